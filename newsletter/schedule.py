"""When digests are due, in the newsroom's time zone (daylight saving time included)."""

import datetime as dt

from . import conf
from .models import Frequency


def _at(day, hour, zone):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def latest_slot(frequency, now):
    """The most recent time at or before `now` when an issue of `frequency` was due."""
    zone = conf.newsroom_zone()
    local = now.astimezone(zone)
    if frequency == Frequency.DAILY:
        hour = int(conf.get("DAILY_HOUR"))
        slot = _at(local.date(), hour, zone)
        if slot > local:
            slot = _at(local.date() - dt.timedelta(days=1), hour, zone)
        return slot.astimezone(dt.UTC)
    hour, weekday = int(conf.get("WEEKLY_HOUR")), int(conf.get("WEEKLY_DAY"))
    day = local.date() - dt.timedelta(days=(local.weekday() - weekday) % 7)
    slot = _at(day, hour, zone)
    if slot > local:
        slot = _at(day - dt.timedelta(days=7), hour, zone)
    return slot.astimezone(dt.UTC)


def previous_slot(frequency, slot):
    """The slot before `slot`: the start of its period (a day or a week earlier, local time)."""
    zone = conf.newsroom_zone()
    local = slot.astimezone(zone)
    days = 1 if frequency == Frequency.DAILY else 7
    return _at(local.date() - dt.timedelta(days=days), local.hour, zone).astimezone(dt.UTC)


def current_period(frequency, now):
    """(start, end) of the latest due period of `frequency`."""
    end = latest_slot(frequency, now)
    return previous_slot(frequency, end), end
