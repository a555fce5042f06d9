"""The newsroom's work on a brief: its steps through the workflow, pending changes to a published
brief, locks, staff notes, share links, and the admin's own lists of briefs."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from . import incoming_image_path, lock_expiry, share_link_expiry
from .brief import Brief
from .choices import Status


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
