"""Pieces every brief screen of the admin shares."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

ADMIN_CSS = {"all": ["briefs/admin/workflow.css"]}


def status_label(brief):
    if brief.is_scheduled:
        return f"Scheduled for {date_format(timezone.localtime(brief.published_at), 'j M Y, H:i')}"
    return brief.get_status_display()


def status_badge(brief):
    kind = "scheduled" if brief.is_scheduled else brief.status
    return format_html('<span class="brief-badge brief-badge--{}">{}</span>', kind, status_label(brief))
