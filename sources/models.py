"""Outlets (who publishes a source) and the history of link checks.

Checks are keyed by the URL itself (its SHA-256), not by a brief's link: the same address on
several briefs is checked once, and writing a check touches no brief table, so it neither
purges the page cache nor makes a revision.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.text import clean_line

from .outcomes import Outcome
from .urlkeys import InvalidURL, normalize_domain


class Outlet(models.Model):
    """A publisher of sources: a journal, a lab's blog, a forum, a newspaper."""

    name = models.CharField(
        max_length=120, help_text="As readers see it in “Read full story at … →”, e.g. “Nature”."
    )
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Its page's address: /sources/ followed by the slug."
    )
    home_page = models.URLField(
        "home page", max_length=2000, help_text="The outlet's front page, starting with https://."
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="Optional: one or two sentences readers see on its page."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="outlet_name_unique_ci",
                violation_error_message="An outlet with this name already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(home_page__startswith="http://")
                | models.Q(home_page__startswith="https://"),
                name="outlet_home_page_http",
                violation_error_message="Enter a full web address starting with https://.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_line(self.name or "")
        self.description = clean_line(self.description or "")
        super().save(*args, **kwargs)


class OutletDomain(models.Model):
    """A host name whose links belong to an outlet (its subdomains too, unless registered elsewhere)."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text="A host name such as example.org, without https:// or www. Subdomains match too.",
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = "domain"

    def __str__(self):
        return self.domain

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            self.domain = normalize_domain(self.domain)
        except InvalidURL as exc:
            raise ValidationError({"domain": str(exc)}) from exc

    def save(self, *args, **kwargs):
        self.domain = normalize_domain(self.domain)
        super().save(*args, **kwargs)


class State(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Working"
    FAILING = "failing", "Failing"
    BROKEN = "broken", "Broken"
    MOVED = "moved", "Moved permanently"


class LinkState(models.Model):
    """Where one URL stands: the current verdict, kept apart from the history of checks."""

    State = State

    url_hash = models.CharField(max_length=64, unique=True, editable=False)
    url = models.TextField("URL")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UNCHECKED)
    consecutive_failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(
        null=True, blank=True, help_text="Start of the current run of failures."
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(default=timezone.now)
    last_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    redirect_target = models.TextField(
        blank=True, help_text="Where the link now permanently redirects: offered as a URL update."
    )
    dismissed_redirect = models.TextField(
        blank=True, help_text="A redirect target a moderator declined; it is not offered again."
    )
    archive_suggestion = models.TextField(
        blank=True, help_text="The Wayback Machine's address for the link, proposed when it fails."
    )
    checked_by_editor_at = models.DateTimeField(
        null=True, blank=True, help_text="When a moderator last looked at the link and marked it as checked."
    )
    checked_by_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "link state"
        ordering = ["url"]
        indexes = [
            models.Index(fields=["next_check_at"], name="linkstate_due"),
            models.Index(fields=["state", "-last_checked_at"], name="linkstate_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=State.values), name="linkstate_state_valid")
        ]
        permissions = [("check_links", "Can check links on demand and mark them as checked")]

    def __str__(self):
        return self.url


class LinkCheck(models.Model):
    """One check of one URL, as it happened. Rows are only ever added (and pruned when old)."""

    url_hash = models.CharField(max_length=64, editable=False)
    url = models.TextField("URL")
    checked_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.TextField("final URL", blank=True)
    redirect_chain = models.JSONField(default=list, blank=True, help_text="Each hop: {url, status}.")
    error = models.TextField(blank=True)
    elapsed_ms = models.PositiveIntegerField(default=0)
    bytes_read = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "link check"
        ordering = ["-checked_at", "-id"]
        indexes = [
            models.Index(fields=["url_hash", "-checked_at"], name="linkcheck_history"),
            models.Index(fields=["checked_at"], name="linkcheck_age"),
        ]

    def __str__(self):
        return f"{self.url} at {self.checked_at:%Y-%m-%d %H:%M}"
