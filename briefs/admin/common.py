"""Pieces every brief screen of the admin shares."""

from django.utils.html import format_html

from core import timefmt

ADMIN_CSS = {"all": ["briefs/admin/workflow.css", "briefs/admin/lists.css"]}


def status_label(brief):
    if brief.is_scheduled:
        return f"Scheduled for {timefmt.when(brief.published_at)}"
    return brief.get_status_display()


def status_badge(brief):
    kind = "scheduled" if brief.is_scheduled else brief.status
    return format_html('<span class="brief-badge brief-badge--{}">{}</span>', kind, status_label(brief))
