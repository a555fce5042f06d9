"""Times as the newsroom reads them: in its own time zone, named, and relative to now.

"Tue 8 Dec, 09:00 CET, in 3 days". One helper, so the desk, the lists, the side pages and the
template filter (`core.templatetags.newsroom_time`) never disagree on a format or a zone.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

DAY_FORMAT = "D j M"  # Tue 8 Dec
YEAR_FORMAT = "D j M Y"  # another year: Tue 8 Dec 2025
TIME_FORMAT = "H:i"


def newsroom_zone():
    """The newsroom's time zone (settings.TIME_ZONE), whatever zone a request may have activated."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local(value):
    """`value` (an aware datetime) in the newsroom's time zone."""
    return timezone.localtime(value, newsroom_zone())


def zone_name(at=None):
    """The zone's abbreviation at `at` (now by default): "CET", "CEST", "UTC"."""
    return local(at or timezone.now()).tzname()


def _plural(count, unit):
    return f"{count} {unit}{'' if count == 1 else 's'}"


def relative(value, now=None):
    """ "in 3 days", "5 minutes ago", "just now": the largest whole unit, rounded down."""
    now = now or timezone.now()
    seconds = (value - now).total_seconds()
    ahead, seconds = seconds > 0, abs(seconds)
    if seconds < 60:
        return "just now"
    for unit, size in (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            amount = _plural(int(seconds // size), unit)
            return f"in {amount}" if ahead else f"{amount} ago"
    raise AssertionError("unreachable")


def absolute(value, now=None):
    """ "Tue 8 Dec, 09:00 CET": the year only when it is not this one."""
    moment = local(value)
    this_year = local(now or timezone.now()).year
    day = date_format(moment, DAY_FORMAT if moment.year == this_year else YEAR_FORMAT)
    return f"{day}, {date_format(moment, TIME_FORMAT)} {moment.tzname()}"


def when(value, now=None):
    """ "Tue 8 Dec, 09:00 CET, in 3 days"; "—" for no time."""
    if value is None:
        return "—"
    if not isinstance(value, dt.datetime):
        return due_date(value)
    return f"{absolute(value, now)}, {relative(value, now)}"


def newsroom_today():
    return local(timezone.now()).date()


def due(day, today=None):
    """A due date against the newsroom's today: "due in 2 days", "due today", "3 days late"."""
    if day is None:
        return "—"
    today = today or newsroom_today()
    days = (day - today).days
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days > 0:
        return f"due in {days} days"
    return f"{_plural(-days, 'day')} late"


def due_date(day, today=None):
    """ "Tue 8 Dec, 3 days late": the date and how it stands."""
    if day is None:
        return "—"
    this_year = (today or newsroom_today()).year
    label = date_format(day, DAY_FORMAT if day.year == this_year else YEAR_FORMAT)
    return f"{label}, {due(day, today)}"


def is_overdue(day, today=None):
    return day is not None and day < (today or newsroom_today())


def zone_help():
    """Said next to every time an editor types in."""
    return f"Newsroom time ({settings.TIME_ZONE}, now {zone_name()})."
