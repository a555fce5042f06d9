"""How results move a link's state: broken only after repeated failures spread over time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sources import policy
from sources.fetch import FetchResult
from sources.models import LinkState
from sources.outcomes import Outcome

State = LinkState.State
RULES = policy.Rules(
    broken_after_failures=3,
    broken_after=timedelta(hours=48),
    recheck_ok=timedelta(days=7),
    recheck_failing=timedelta(hours=6),
    recheck_broken=timedelta(hours=24),
)
URL = "https://example.org/story"
T0 = timezone.now()


def result(outcome=Outcome.OK, status=200, at=T0, chain=None):
    return FetchResult(
        url=URL,
        outcome=outcome,
        status_code=status,
        checked_at=at,
        chain=chain or [{"url": URL, "status": status}],
    )


def failure(at, status=500):
    return result(Outcome.HTTP_ERROR, status, at)


def state():
    return LinkState(url=URL, url_hash="x")


def test_a_working_link_is_ok_and_checked_again_in_a_week():
    s = state()
    assert policy.apply(s, result(), rules=RULES) == policy.SUCCESS
    assert s.state == State.OK
    assert s.last_ok_at == T0
    assert s.next_check_at == T0 + timedelta(days=7)


def test_one_500_then_a_200_is_never_broken():
    s = state()
    policy.apply(s, failure(T0), rules=RULES)
    assert (s.state, s.consecutive_failures) == (State.FAILING, 1)
    assert s.next_check_at == T0 + timedelta(hours=6)
    policy.apply(s, result(at=T0 + timedelta(hours=6)), rules=RULES)
    assert (s.state, s.consecutive_failures, s.first_failure_at) == (State.OK, 0, None)


def test_three_failures_within_a_day_are_failing_not_broken():
    s = state()
    for hours in (0, 6, 12, 18):
        policy.apply(s, failure(T0 + timedelta(hours=hours), 404), rules=RULES)
    assert s.consecutive_failures == 4
    assert s.state == State.FAILING


def test_failures_over_48_hours_make_it_broken_and_propose_the_archived_copy():
    s = state()
    for hours in (0, 24, 48):
        policy.apply(s, failure(T0 + timedelta(hours=hours), 410), rules=RULES)
    assert s.state == State.BROKEN
    assert s.first_failure_at == T0
    assert s.archive_suggestion == "https://web.archive.org/web/https://example.org/story"
    assert s.next_check_at == T0 + timedelta(hours=72)


def test_two_failures_far_apart_are_not_enough():
    s = state()
    policy.apply(s, failure(T0), rules=RULES)
    policy.apply(s, failure(T0 + timedelta(days=5)), rules=RULES)
    assert s.state == State.FAILING


def test_a_broken_link_that_answers_again_is_ok():
    s = state()
    for hours in (0, 24, 48):
        policy.apply(s, failure(T0 + timedelta(hours=hours)), rules=RULES)
    policy.apply(s, result(at=T0 + timedelta(hours=72)), rules=RULES)
    assert s.state == State.OK
    assert s.consecutive_failures == 0


@pytest.mark.parametrize(
    "outcome",
    [Outcome.DNS_ERROR, Outcome.REFUSED, Outcome.CONNECT_TIMEOUT, Outcome.READ_TIMEOUT, Outcome.TLS_ERROR],
)
def test_network_failures_count_as_failures(outcome):
    s = state()
    assert policy.apply(s, result(outcome, None), rules=RULES) == policy.FAILURE
    assert s.state == State.FAILING


@pytest.mark.parametrize("status", [401, 403, 429])
def test_answers_that_refuse_robots_leave_the_state_alone(status):
    s = state()
    policy.apply(s, result(), rules=RULES)
    assert policy.apply(s, result(Outcome.HTTP_ERROR, status, T0 + timedelta(days=7)), rules=RULES) == (
        policy.INCONCLUSIVE
    )
    assert (s.state, s.consecutive_failures, s.last_status_code) == (State.OK, 0, status)


def test_a_permanent_redirect_to_a_working_page_is_moved_with_its_target():
    s = state()
    chain = [
        {"url": URL, "status": 301},
        {"url": "https://example.org/2026/story", "status": 200},
    ]
    policy.apply(s, result(chain=chain), rules=RULES)
    assert s.state == State.MOVED
    assert s.redirect_target == "https://example.org/2026/story"


def test_a_temporary_redirect_is_simply_ok():
    s = state()
    chain = [{"url": URL, "status": 302}, {"url": "https://example.org/login", "status": 200}]
    policy.apply(s, result(chain=chain), rules=RULES)
    assert (s.state, s.redirect_target) == (State.OK, "")


def test_marking_as_checked_clears_failures_and_the_declined_redirect_is_not_offered_again():
    s = state()
    chain = [{"url": URL, "status": 308}, {"url": "https://example.org/new", "status": 200}]
    policy.apply(s, result(chain=chain), rules=RULES)
    policy.mark_checked(s, by=None, now=T0)
    assert (s.state, s.redirect_target, s.dismissed_redirect) == (State.OK, "", "https://example.org/new")
    policy.apply(s, result(chain=chain, at=T0 + timedelta(days=7)), rules=RULES)
    assert s.state == State.OK
