"""What a brief is made of besides its own fields: its "In brief" points, glossary terms, source
links, and the corrections readers see."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from core.text import clean_line
from sources import urlkeys

from . import validate_web_url
from .brief import POINT_MAX_LENGTH, Brief
from .choices import LinkKind


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
