from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """A running task worker says it is alive every few seconds; a silent one is presumed dead."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    backend = models.CharField(max_length=20)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    tasks_run = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = "task worker"

    def __str__(self):
        return f"{self.hostname}:{self.pid}"


class MailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be delivered"


class OutgoingMail(models.Model):
    """A mail the newsroom sends (workflow notices, reminders): kept until delivered, retried with
    back-off, and left for staff to see when delivery finally fails."""

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    kind = models.CharField(max_length=40, help_text="What the mail is about, e.g. “changes requested”.")
    about = models.CharField(max_length=200, blank=True, help_text="The brief or item it concerns.")
    status = models.CharField(
        max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outgoing mail"
        verbose_name_plural = "outgoing mail"

    def __str__(self):
        return f"{self.subject} → {self.to}"
