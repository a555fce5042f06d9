"""`{{ moment|newsroom_time }}` → "Tue 8 Dec, 09:00 CET, in 3 days"; `{{ day|due }}` → "3 days late"."""

from django import template

from core import timefmt

register = template.Library()


@register.filter
def newsroom_time(value):
    return timefmt.when(value)


@register.filter
def newsroom_absolute(value):
    return timefmt.absolute(value) if value else "—"


@register.filter
def relative_time(value):
    return timefmt.relative(value) if value else "—"


@register.filter
def due(value):
    return timefmt.due_date(value)


@register.filter
def overdue(value):
    return timefmt.is_overdue(value)


@register.simple_tag
def newsroom_zone():
    """ "Europe/Berlin, CET": the zone's name and its abbreviation now."""
    key, now = timefmt.newsroom_zone().key, timefmt.zone_name()
    return key if key == now else f"{key}, {now}"
