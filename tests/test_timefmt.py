"""Times as the newsroom reads them: its zone named, and how far away in words."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template

from core import timefmt

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 12, 5, 9, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def newsroom_in_berlin(settings):
    settings.TIME_ZONE = "Europe/Berlin"


def test_a_time_is_given_in_the_newsroom_zone_named_and_relative():
    assert (
        timefmt.when(dt.datetime(2026, 12, 8, 9, 0, tzinfo=BERLIN), NOW) == "Tue 8 Dec, 09:00 CET, in 3 days"
    )


def test_a_time_given_in_utc_is_shown_in_newsroom_time():
    at = dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)
    assert timefmt.absolute(at, NOW) == "Tue 8 Dec, 09:00 CET"


def test_summer_time_is_named_too():
    assert timefmt.absolute(dt.datetime(2026, 7, 1, 12, 0, tzinfo=BERLIN), NOW) == "Wed 1 Jul, 12:00 CEST"


def test_another_year_is_written_out():
    assert timefmt.absolute(dt.datetime(2025, 12, 8, 9, 0, tzinfo=BERLIN), NOW) == "Mon 8 Dec 2025, 09:00 CET"


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (dt.timedelta(seconds=20), "just now"),
        (dt.timedelta(minutes=5), "in 5 minutes"),
        (-dt.timedelta(hours=1), "1 hour ago"),
        (-dt.timedelta(days=2, hours=3), "2 days ago"),
        (dt.timedelta(days=400), "in 1 year"),
    ],
)
def test_relative_times_use_the_largest_whole_unit(delta, words):
    assert timefmt.relative(NOW + delta, NOW) == words


@pytest.mark.parametrize(
    ("days", "words"),
    [(2, "due in 2 days"), (1, "due tomorrow"), (0, "due today"), (-1, "1 day late"), (-3, "3 days late")],
)
def test_due_dates_say_how_they_stand(days, words):
    today = dt.date(2026, 12, 5)
    assert timefmt.due(today + dt.timedelta(days=days), today) == words


def test_the_template_filter_uses_the_same_helper():
    rendered = Template("{% load newsroom_time %}{{ at|newsroom_time }}").render(Context({"at": None}))
    assert rendered == "—"


def test_the_admin_has_one_datetime_format_naming_the_zone():
    from django.utils import formats

    assert formats.localize(dt.datetime(2026, 12, 8, 9, 0, tzinfo=BERLIN)) == "Tue 8 Dec 2026, 09:00 CET"
    assert formats.get_format("DATETIME_FORMAT") == "D j M Y, H:i T"
    assert formats.get_format("DATE_FORMAT") == "D j M Y"
