"""When digests are due, in the newsroom's time zone."""

import datetime as dt

import pytest

from newsletter import schedule

UTC = dt.UTC


@pytest.fixture(autouse=True)
def paris(settings):
    settings.NEWSLETTER_TIME_ZONE = "Europe/Paris"
    settings.NEWSLETTER_DAILY_HOUR = 7
    settings.NEWSLETTER_WEEKLY_DAY = 0
    settings.NEWSLETTER_WEEKLY_HOUR = 8


def test_the_daily_issue_is_due_at_the_hour_in_the_newsroom_zone():
    before = dt.datetime(2026, 12, 2, 5, 59, tzinfo=UTC)  # 06:59 in Paris
    after = dt.datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # 07:00 in Paris
    assert schedule.latest_slot("daily", before) == dt.datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    assert schedule.latest_slot("daily", after) == dt.datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    assert schedule.current_period("daily", after) == (
        dt.datetime(2026, 12, 1, 6, 0, tzinfo=UTC),
        dt.datetime(2026, 12, 2, 6, 0, tzinfo=UTC),
    )


def test_the_weekly_issue_is_due_on_its_day():
    wednesday = dt.datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    monday_8_paris = dt.datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert schedule.latest_slot("weekly", wednesday) == monday_8_paris
    assert schedule.latest_slot("weekly", monday_8_paris) == monday_8_paris
    assert schedule.latest_slot(
        "weekly", monday_8_paris - dt.timedelta(seconds=1)
    ) == monday_8_paris - dt.timedelta(days=7)


def test_a_period_across_a_clock_change_keeps_the_local_hour():
    # Paris leaves summer time at 03:00 on 25 October 2026: that period lasts 25 hours.
    after_change = dt.datetime(2026, 10, 25, 12, 0, tzinfo=UTC)
    start, end = schedule.current_period("daily", after_change)
    assert end == dt.datetime(2026, 10, 25, 6, 0, tzinfo=UTC)  # 07:00 winter time
    assert start == dt.datetime(2026, 10, 24, 5, 0, tzinfo=UTC)  # 07:00 summer time
