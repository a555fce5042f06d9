"""Subscribers, issues (one digest run) and deliveries (one issue to one subscriber).

What is stored is the least the digest needs: an address, the choices made, when consent was
given and in which wording; per delivery its state and when it was sent. The text of a mail is
stored once per distinct digest (`DigestContent`), never per subscriber, and holds no address.
"""

import secrets

from django.db import models
from django.db.models.functions import Lower
from taggit.models import Tag


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    ACTIVE = "active", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


def new_token_key():
    return secrets.token_urlsafe(9)


class Subscriber(models.Model):
    """A reader who asked for the digest. No account, no password: links in mails are signed."""

    email = models.EmailField("address", max_length=254)
    status = models.CharField(
        max_length=12, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING, db_index=True
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    topics = models.ManyToManyField(
        Tag,
        blank=True,
        related_name="newsletter_subscribers",
        help_text="Only briefs with one of these tags; none means every brief.",
    )
    # Part of every signed link: erasing the subscriber makes all their links worthless.
    token_key = models.CharField(max_length=16, default=new_token_key, editable=False)
    consent_at = models.DateTimeField("consent given", help_text="When the sign-up form was sent.")
    consent_version = models.CharField(
        "consent wording",
        max_length=20,
        help_text="The version of the wording shown (newsletter/consent.py).",
    )
    confirmed_at = models.DateTimeField(
        "confirmed", null=True, blank=True, help_text="When the confirmation link was followed."
    )
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_issue_at = models.DateTimeField(
        "last digest up to",
        null=True,
        blank=True,
        help_text="The end of the period of the last digest sent; the next one starts there.",
    )

    class Meta:
        ordering = ["-consent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="newsletter_subscriber_email_unique_ci",
                violation_error_message="This address is already on the list.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SubscriberStatus.values),
                name="newsletter_subscriber_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(frequency__in=Frequency.values),
                name="newsletter_subscriber_frequency_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "frequency"], name="newsletter_sub_status_freq")]
        permissions = [
            ("export_subscriber", "Can export subscribers as CSV"),
            ("erase_subscriber", "Can erase subscribers"),
        ]

    def __str__(self):
        return self.email


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft (not started)"
    SENDING = "sending", "Sending"
    PAUSED = "paused", "Paused"
    SENT = "sent", "Sent"
    NOTHING_NEW = "nothing_new", "Nothing new (not sent)"


class Issue(models.Model):
    """One digest run: the daily or weekly mail for one period, to every subscriber of that frequency."""

    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    period_start = models.DateTimeField(help_text="Briefs published after this time…")
    period_end = models.DateTimeField(help_text="…and up to this one (new subscribers get this period).")
    status = models.CharField(max_length=12, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The sending chain that owns the issue; a new chain (after a stall) retires the old one.
    chain = models.CharField(max_length=32, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, help_text="Why sending last stopped, if it did.")

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["frequency", "period_end"], name="newsletter_issue_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=IssueStatus.values), name="newsletter_issue_status_valid"
            ),
        ]
        permissions = [("manage_sending", "Can start, pause and resume digests and send tests")]

    def __str__(self):
        return f"{self.get_frequency_display()} digest of {self.period_end:%Y-%m-%d}"


class DigestContent(models.Model):
    """One distinct digest of an issue, as mailed: subject, HTML and text, with no address in it.

    Subscribers with the same topics and the same last issue get the same briefs, so the digest
    is rendered once and shared; the personal links are filled in for each mail when it is sent
    (and again, identically, when an editor reads a sent mail).
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="contents")
    key = models.CharField(max_length=64, help_text="Hash of the briefs and versions it holds.")
    subject = models.CharField(max_length=300)
    html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    brief_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True, help_text="When the stored text was deleted.")

    class Meta:
        verbose_name = "digest content"
        constraints = [models.UniqueConstraint(fields=["issue", "key"], name="newsletter_content_unique")]

    def __str__(self):
        return self.subject


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    CLAIMED = "claimed", "Taken by a worker"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped (nothing new for this subscriber)"


IN_PROGRESS = (DeliveryStatus.QUEUED, DeliveryStatus.CLAIMED, DeliveryStatus.SENDING)


class Delivery(models.Model):
    """One issue to one subscriber. The unique row is what makes sending idempotent."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    # Erasing a subscriber keeps their deliveries' counts but nothing that points to them.
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    since = models.DateTimeField(help_text="Briefs published after this time are in the digest.")
    content = models.ForeignKey(
        DigestContent, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    claim = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    message_id = models.CharField("Message-ID", max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["issue", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="newsletter_delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["issue", "status", "id"], name="newsletter_delivery_todo")]

    def __str__(self):
        return f"Delivery {self.pk} of {self.issue}"
