import datetime as dt
import uuid
from pathlib import PurePath

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from core.site import absolute_url
from core.text import clean_line, clean_text, make_slug
from sources import urlkeys

from .images import validate_hero_image
from .rendering import plain_text, render_body

HEADLINE_MAX_LENGTH = 200
POINT_MAX_LENGTH = 400
MIN_POINTS = 1
DEK_MAX_LENGTH = 1200
MAX_POINTS = 10
BODY_MAX_LENGTH = 20_000  # briefs are short; the longest body fits in any form post


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


def published_q(prefix="", now=None):
    """The one definition of what readers may see: published, and its time has come.

    As a Q object so queries across a relation use it too (`published_q("brief__")`)."""
    return models.Q(
        **{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": now or timezone.now()}
    )


def listed_q(prefix="", now=None):
    """What lists, feeds and search show: published, and not yet expired.

    An expired brief keeps its page (with a notice pointing to its successor); it only leaves
    the lists. Next to `published_q`, so every public surface agrees on both."""
    now = now or timezone.now()
    not_expired = models.Q(**{f"{prefix}expire_at__isnull": True}) | models.Q(
        **{f"{prefix}expire_at__gt": now}
    )
    return published_q(prefix, now) & not_expired


class BriefQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: a brief's page (see `published_q`)."""
        return self.filter(published_q(now=now))

    def listed(self, now=None):
        """What lists, feeds and search show (see `listed_q`)."""
        return self.filter(listed_q(now=now))

    def expiring(self, within, now=None):
        """Listed briefs that leave the lists within `within` (a timedelta), soonest first."""
        now = now or timezone.now()
        return self.listed(now).filter(expire_at__lte=now + within).order_by("expire_at", "pk")

    def scheduled(self, now=None):
        return self.filter(status=Status.PUBLISHED, published_at__gt=now or timezone.now())

    def for_lists(self):
        """What a list of brief cards reads for every brief it shows: not the body, which no card
        shows. The cards are kept between requests, so what only a card shows (its tags and
        image) is read by `brief_cards` for the cards not kept yet; the reading time is stored."""
        return self.defer("body", "body_html", "body_text")

    def attach_renditions(self, briefs):
        """The hero renditions of these briefs (a page of a list) that have an image: one query, none
        when no brief has one. Returns the briefs as a list. Reachable through any relation to
        briefs (`term.briefs.attach_renditions(page)`), so other apps need not import this one."""
        briefs = list(briefs)
        models.prefetch_related_objects([brief for brief in briefs if brief.hero_image], "hero_renditions")
        return briefs


def incoming_image_path(instance, filename):
    """Where an upload waits, unserved, until the background has checked and re-encoded it."""
    return f"incoming/{uuid.uuid4().hex}{PurePath(hero_image_path(instance, filename)).suffix}"


def hero_image_path(instance, filename):
    """Store uploads under a generated name: nothing the uploader typed reaches the path."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}:
        suffix = ".img"
    now = timezone.now()
    return f"heroes/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


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


class BriefPoint(models.Model):
    """One item of the "In brief" list."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="points")
    text = models.CharField(max_length=POINT_MAX_LENGTH, help_text="One sentence or two.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the list.")

    class Meta:
        verbose_name = "point"
        verbose_name_plural = "In brief"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="briefpoint_text_not_empty"),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.text = clean_line(self.text or "")
        super().save(*args, **kwargs)


class BriefTerm(models.Model):
    """A glossary term used by a brief, in the editor's order."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="brief_terms")
    term = models.ForeignKey("glossary.Term", on_delete=models.PROTECT, related_name="brief_terms")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "term"
        verbose_name_plural = "Terms in this brief"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "term"],
                name="briefterm_unique",
                violation_error_message="This term is already listed on the brief.",
            ),
        ]

    def __str__(self):
        return str(self.term)


class LinkKind(models.TextChoices):
    PRIMARY = "primary", "Primary (Read full story)"
    PAPER = "paper", "Paper"
    CODE = "code", "Code"
    COVERAGE = "coverage", "Coverage"


def validate_web_url(value):
    """Only absolute http(s) addresses with a host: no javascript:, data:, file: or //host tricks."""
    URLValidator(
        schemes=["http", "https"], message="Enter a full web address starting with https:// or http://."
    )(value)


class SourceLink(models.Model):
    """Where the brief comes from: the primary story and any paper, code or coverage."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(
        "URL",
        max_length=2000,
        validators=[validate_web_url],
        help_text="Full address starting with https://.",
    )
    outlet = models.ForeignKey(
        "sources.Outlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="links",
        db_index=False,  # the (outlet, brief) index below serves its lookups; built concurrently
        help_text="Who published it. Suggested from the link's address; filled in on save when left empty.",
    )
    publisher = models.CharField(
        "publisher as typed",
        max_length=120,
        blank=True,
        help_text=(
            "The publisher's name as written on this link. Readers see the outlet's name; this one "
            "only when the link has no outlet. Typing a new name here creates its outlet."
        ),
    )
    title = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12, choices=LinkKind.choices, default=LinkKind.PRIMARY)
    archive_url = models.URLField(
        "archived copy",
        max_length=2000,
        blank=True,
        validators=[validate_web_url],
        help_text=(
            "An archived copy of the page (e.g. the Wayback Machine's). Readers are sent there when "
            "the link is confirmed broken."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The link's key in the check history (sources.urlkeys.url_hash): lets the admin filter briefs
    # by the state of their links in the database. Derived from `url` on every save.
    url_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "source link"
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["outlet", "brief"], name="sourcelink_outlet_idx"),
            models.Index(fields=["url_hash"], name="sourcelink_url_hash_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["brief"],
                condition=models.Q(kind=LinkKind.PRIMARY),
                name="sourcelink_one_primary_per_brief",
                violation_error_message="A brief has exactly one primary link.",
            ),
            models.CheckConstraint(
                condition=models.Q(url__startswith="http://") | models.Q(url__startswith="https://"),
                name="sourcelink_url_http",
                violation_error_message="Enter a full web address starting with https://.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=LinkKind.values), name="sourcelink_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.source_name}"

    @property
    def source_name(self):
        """The name readers see: the outlet's, else the publisher as typed."""
        return self.outlet.name if self.outlet_id and self.outlet else self.publisher

    def save(self, *args, **kwargs):
        self.publisher = clean_line(self.publisher or "")
        self.title = clean_line(self.title or "")
        self.archive_url = (self.archive_url or "").strip()
        self.url_hash = urlkeys.url_hash(self.url)
        if not self.publisher and self.outlet_id and self.outlet:
            self.publisher = self.outlet.name[:120]
        super().save(*args, **kwargs)


class Correction(models.Model):
    """A public correction or update note shown at the foot of a published brief."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(max_length=1000, validators=[MaxLengthValidator(1000)])
    created_at = models.DateTimeField(default=timezone.now, help_text="The date readers see.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]

    def save(self, *args, **kwargs):
        """A correction is a change readers should know of: it moves the brief's "updated" date."""
        super().save(*args, **kwargs)
        Brief.objects.filter(pk=self.brief_id).filter(
            models.Q(content_updated_at__isnull=True) | models.Q(content_updated_at__lt=self.created_at)
        ).update(content_updated_at=self.created_at)


class Transition(models.Model):
    """One step of a brief through the workflow: who moved it, when, from where to where, and why."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        get_latest_by = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class PendingStatus(models.TextChoices):
    DRAFT = "draft", "Being edited"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


OPEN_PENDING = (PendingStatus.DRAFT, PendingStatus.IN_REVIEW, PendingStatus.CHANGES_REQUESTED)


class PendingChange(models.Model):
    """Edits to a published brief that readers do not see until a moderator publishes them.

    The brief's own rows stay what readers see (the live version); its pending changes are a
    whole new version of its content (`snapshot`: text, points, terms, links, tags, and a new
    image waiting in `hero_upload`), moving through review like a draft. Published or
    discarded ones are kept, so a discard can be undone and the history shows every change."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="pending_changes")
    status = models.CharField(max_length=20, choices=PendingStatus.choices, default=PendingStatus.DRAFT)
    snapshot = models.JSONField(help_text="The whole content of the brief as it will be once published.")
    hero_upload = models.FileField(upload_to=incoming_image_path, max_length=255, blank=True)
    hero_cleared = models.BooleanField(default=False, help_text="The change removes the brief's image.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "pending change"
        constraints = [
            models.UniqueConstraint(
                fields=["brief"],
                condition=models.Q(status__in=OPEN_PENDING),
                name="pendingchange_one_open_per_brief",
                violation_error_message="This brief already has pending changes.",
            ),
        ]

    def __str__(self):
        return f"Pending changes to “{self.brief}”"

    @property
    def is_open(self):
        return self.status in OPEN_PENDING


def lock_expiry():
    return timezone.now() + dt.timedelta(minutes=getattr(settings, "BRIEF_LOCK_MINUTES", 30))


class BriefLock(models.Model):
    """Someone is working on a brief: others may read it but not save it or move it through the
    workflow until the lock is released, expires, or a moderator breaks it."""

    brief = models.OneToOneField(Brief, on_delete=models.CASCADE, related_name="lock")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    locked_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=lock_expiry)

    class Meta:
        verbose_name = "lock"

    def __str__(self):
        return f"“{self.brief}” held by {self.holder}"

    @property
    def is_active(self):
        return self.expires_at > timezone.now()


class StaffNote(models.Model):
    """An internal note on a brief for the newsroom; never shown to readers."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=2000, validators=[MaxLengthValidator(2000)])

    class Meta:
        verbose_name = "staff note"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]


SHARE_LINK_LIFETIME = dt.timedelta(days=7)


def share_link_expiry():
    return timezone.now() + SHARE_LINK_LIFETIME


class ShareLink(models.Model):
    """A revocable, expiring link that shows an unpublished brief to someone without a login."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=share_link_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Share link for “{self.brief}”"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class ModerationQueue(Brief):
    """Briefs waiting for review, as their own admin list."""

    class Meta:
        proxy = True
        verbose_name = "brief in the moderation queue"
        verbose_name_plural = "Moderation queue"


class MyBrief(Brief):
    """The signed-in person's own briefs, as their own admin list."""

    class Meta:
        proxy = True
        verbose_name = "my brief"
        verbose_name_plural = "My briefs"


class RenditionFormat(models.TextChoices):
    WEBP = "webp", "WebP"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


class RenditionPurpose(models.TextChoices):
    SRCSET = "srcset", "Responsive width"
    OPENGRAPH = "og", "OpenGraph (1200×630)"


class HeroRendition(models.Model):
    """A resized copy of a brief's hero image, made by Pillow when the image is set or replaced."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="hero_renditions")
    source = models.CharField(max_length=255, help_text="The hero image file this was made from.")
    purpose = models.CharField(
        max_length=8, choices=RenditionPurpose.choices, default=RenditionPurpose.SRCSET
    )
    format = models.CharField(max_length=8, choices=RenditionFormat.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=255)

    class Meta:
        ordering = ["purpose", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "purpose", "format", "width"], name="herorendition_unique"
            ),
        ]

    def __str__(self):
        return f"{self.format} {self.width}×{self.height}"


# Revisions keep a brief with everything an editor changes on its form.
reversion.register(BriefPoint)
reversion.register(SourceLink)
reversion.register(BriefTerm)
reversion.register(TaggedItem)
reversion.register(Brief, follow=["points", "links", "brief_terms", "tagged_items"])
