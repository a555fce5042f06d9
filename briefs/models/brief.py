"""The brief: its text, image, tags, terms and workflow fields, and the limits of its text."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from core.site import absolute_url
from core.text import clean_line, clean_text, make_slug

from ..images import validate_hero_image
from ..rendering import plain_text, render_body
from . import hero_image_path, incoming_image_path
from .choices import LinkKind, RenditionFormat, RenditionPurpose, Status
from .publication import BriefQuerySet

HEADLINE_MAX_LENGTH = 200
POINT_MAX_LENGTH = 400
MIN_POINTS = 1
DEK_MAX_LENGTH = 1200
MAX_POINTS = 10
BODY_MAX_LENGTH = 20_000  # briefs are short; the longest body fits in any form post


class Brief(models.Model):
    """A short research brief: headline, "In brief" points, terms, tags and its source."""

    headline = models.CharField(
        max_length=HEADLINE_MAX_LENGTH,
        help_text=f"At most {HEADLINE_MAX_LENGTH} characters.",
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=(
            "The brief's address: /briefs/ followed by the slug. Generated from the headline when left "
            "empty; it can be changed until the brief is first published and stays fixed afterwards."
        ),
    )
    dek = models.TextField(
        "summary",
        max_length=DEK_MAX_LENGTH,
        validators=[MaxLengthValidator(DEK_MAX_LENGTH)],
        blank=True,
        help_text="One paragraph that sums the brief up; shown in lists such as “More briefs”.",
    )
    body = models.TextField(
        blank=True,
        max_length=BODY_MAX_LENGTH,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
        help_text=(
            f"Optional longer text, at most {BODY_MAX_LENGTH:,} characters. "
            "Markdown: paragraphs, **bold**, *italic*, lists and links."
        ),
    )
    # The body as readers get it, rendered and sanitized once on save rather than on every view.
    body_html = models.TextField(blank=True, default="", editable=False)
    body_text = models.TextField(blank=True, default="", editable=False)
    # Words of the summary, points and body, counted by the database after each recorded change
    # of the brief's content (`reading.refresh_word_counts`): what list cards show as reading time.
    word_count = models.PositiveIntegerField(default=0, editable=False)
    hero_image = models.ImageField(
        upload_to=hero_image_path,
        blank=True,
        validators=[validate_hero_image],
        help_text=(
            "JPEG, PNG or WebP, at most 15 MB and 40 megapixels. Alt text and credit are required "
            "when an image is set. Location and camera metadata are removed."
        ),
    )
    # A new upload, stored as it came, until the background work re-encodes it into hero_image.
    hero_upload = models.FileField(upload_to=incoming_image_path, max_length=255, blank=True, editable=False)
    # Measured from the re-encoded file (not on assignment, where a bomb would be decoded).
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        "image alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    hero_credit = models.CharField(
        "image credit", max_length=200, blank=True, help_text="Who made or owns the image."
    )
    tags = TaggableManager(blank=True, help_text="Comma-separated topics, e.g. “theory, safety”.")
    terms = models.ManyToManyField(
        "glossary.Term",
        through="BriefTerm",
        related_name="briefs",
        blank=True,
        help_text="Glossary terms this brief uses, in the order readers should meet them.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="briefs",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        editable=False,
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text="When readers may first see the brief; a future time means scheduled.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    content_updated_at = models.DateTimeField(
        "updated",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a published brief gets a substantive change; shown to readers.",
    )
    submitted_at = models.DateTimeField(
        "in review since",
        null=True,
        blank=True,
        editable=False,
        help_text="When the brief was last submitted for review; the moderation queue is oldest first.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="assigned_briefs",
        help_text="The moderator who reviews this brief.",
    )
    review_due = models.DateField(
        "review due",
        null=True,
        blank=True,
        editable=False,
        help_text="When the assigned moderator should have reviewed the brief.",
    )
    expire_at = models.DateTimeField(
        "leaves the lists at",
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "After this time the brief leaves lists, feeds and search; its page stays, marked out of date."
        ),
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="supersedes",
        db_index=False,  # never looked up by successor on a reader's page; no index to build on a live table
        help_text="The newer brief readers of this one should read instead.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The tag rows themselves, so revisions can follow (and restore) a brief's tags.
    tagged_items = GenericRelation(TaggedItem, related_query_name="brief")
    # Bumped on every save; an edit made on an older version is refused, not merged.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="brief_status_published_idx"),
            # The API's Last-Modified reads the latest save.
            models.Index(fields=["updated_at"], name="brief_updated_idx"),
            # The next brief to leave the lists (page cache lifetimes, the moderators' list).
            models.Index(
                fields=["expire_at"], name="brief_expire_idx", condition=models.Q(expire_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(headline=""),
                name="brief_headline_not_empty",
                violation_error_message="A brief needs a headline.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.PUBLISHED) | models.Q(published_at__isnull=False),
                name="brief_published_has_date",
                violation_error_message="A published brief needs a publication time.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("dek"), DEK_MAX_LENGTH),
                name="brief_dek_max_length",
                violation_error_message=f"The summary has at most {DEK_MAX_LENGTH:,} characters.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="brief_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(hero_image="") | (~models.Q(hero_alt="") & ~models.Q(hero_credit="")),
                name="brief_hero_image_has_alt_and_credit",
                violation_error_message="An image needs alt text and a credit.",
            ),
        ]
        permissions = [
            ("publish_brief", "Can publish, schedule, unpublish and archive briefs"),
            ("edit_any_brief", "Can edit briefs by any author"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("briefs:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        """Mirrors BriefQuerySet.published() for one object."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_expired(self):
        """Mirrors `listed_q` for one published brief: its time in the lists is over."""
        return self.expire_at is not None and self.expire_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == Status.PUBLISHED and self.published_at and not self.is_published

    @property
    def hero_processing(self):
        """A new image was uploaded and is being prepared; pages show a placeholder meanwhile."""
        return bool(self.hero_upload)

    @property
    def slug_is_locked(self):
        return self.first_published_at is not None

    def tidy_text(self):
        """Strip invisible characters and stray spaces from everything editors type."""
        self.headline = clean_line(self.headline or "")
        self.dek = clean_text(self.dek or "")
        self.body = clean_text(self.body or "")
        self.hero_alt = clean_line(self.hero_alt or "")
        self.hero_credit = clean_line(self.hero_credit or "")

    def clean(self):
        self.tidy_text()
        errors = {}
        if self.slug:
            self.slug = make_slug(self.slug, max_length=100, fallback="")
            if not self.slug:
                errors["slug"] = "Use letters, numbers and hyphens in the slug."
        if self.pk and self.slug_is_locked:
            stored = Brief.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if stored and self.slug != stored:
                errors["slug"] = (
                    f"This brief has been published as “{stored}”; its address can no longer "
                    "change, so links to it keep working."
                )
        if self.hero_image:
            if not self.hero_alt:
                errors["hero_alt"] = "Describe the image for readers who cannot see it."
            if not self.hero_credit:
                errors["hero_credit"] = "Say who made or owns the image."
        if errors:
            raise ValidationError(errors)

    def render_stored_body(self):
        """Set `body_html` and `body_text` from `body` (Markdown, sanitized by nh3)."""
        self.body_html = render_body(self.body)
        self.body_text = plain_text(self.body_html)

    def save(self, *args, **kwargs):
        self.tidy_text()
        self.render_stored_body()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "body_text"}
        if self.hero_image and not self.hero_image._committed:
            # The upload waits unserved; readers see the image once it is re-encoded (no metadata,
            # no trailing payload) and resized, in the background (briefs.renditions).
            upload = self.hero_image.file
            self.hero_upload.save(upload.name or "hero", upload, save=False)
            stored = Brief.objects.filter(pk=self.pk).values_list("hero_image", "hero_width", "hero_height")
            self.hero_image, self.hero_width, self.hero_height = stored.first() or ("", None, None)
        elif not self.hero_image and not self.hero_upload:
            self.hero_width = self.hero_height = None
        if not self.slug:
            self.slug = self.unique_slug()
        if self.pk:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def unique_slug(self):
        base = make_slug(self.headline, max_length=80, fallback="brief")
        slug, n = base, 2
        while Brief.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def hero_renditions_of(self, format, purpose="srcset"):
        """Renditions in one format, narrowest first; uses prefetched renditions when there."""
        return [
            r
            for r in self.hero_renditions.all()
            if r.format == format and r.purpose == purpose and r.source == self.hero_image.name
        ]

    def hero_srcset(self, format):
        """The `srcset` value for one format: "url 480w, url 960w, …" ("" when there is none)."""
        return ", ".join(f"{r.file.url} {r.width}w" for r in self.hero_renditions_of(format))

    @property
    def hero_webp_srcset(self):
        return self.hero_srcset(RenditionFormat.WEBP)

    @property
    def hero_fallback(self):
        """The widest JPEG or PNG rendition: the <img> every browser can show."""
        renditions = self.hero_renditions_of(RenditionFormat.JPEG) or self.hero_renditions_of(
            RenditionFormat.PNG
        )
        return renditions[-1] if renditions else None

    @property
    def hero_fallback_srcset(self):
        fallback = self.hero_fallback
        return self.hero_srcset(fallback.format) if fallback else ""

    @property
    def hero_og_image(self):
        """The 1200×630 crop for og:image, or None."""
        for rendition in self.hero_renditions.all():
            if rendition.purpose == RenditionPurpose.OPENGRAPH and rendition.source == self.hero_image.name:
                return rendition
        return None

    @property
    def hero_og_image_url(self):
        """Absolute address of the OpenGraph image (media URLs may be relative), or ""."""
        og = self.hero_og_image
        if og is None:
            return ""
        return absolute_url(og.file.url)

    @property
    def approved_terms(self):
        """The brief's glossary terms readers may see (approved ones), in the editor's order.

        Uses prefetched terms when they are there. A draft term an editor attached is never shown."""
        return [use.term for use in self.brief_terms.all() if use.term.is_approved]

    @property
    def primary_link(self):
        """The "Read full story at …" link; uses prefetched links when they are there."""
        for link in self.links.all():
            if link.kind == LinkKind.PRIMARY:
                return link
        return None
