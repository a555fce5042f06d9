"""How one check moves a link's state.

A link is *broken* only after repeated failures spread over time (by default 3 failures over at
least 48 hours): one timeout, a deploy's minute of 500s or a night of DNS trouble make it
*failing*, which readers never see. Any success resets the count. A chain that starts with
permanent redirects and ends on a working page is *moved*, and its target is offered to the
editor as a URL update. Answers that say "not for robots" (401, 403, 429…) prove nothing either
way: they are recorded and leave the state as it was.
"""

from dataclasses import dataclass
from datetime import timedelta

from .archive import wayback_url
from .conf import setting
from .models import LinkState
from .outcomes import Outcome
from .urlkeys import InvalidURL, normalize_url

State = LinkState.State

SUCCESS, FAILURE, INCONCLUSIVE = "success", "failure", "inconclusive"
# The page may well be there; the server will not show it to a checker.
INCONCLUSIVE_STATUSES = frozenset({401, 403, 407, 429, 451, 999})


@dataclass(frozen=True)
class Rules:
    broken_after_failures: int
    broken_after: timedelta
    recheck_ok: timedelta
    recheck_failing: timedelta
    recheck_broken: timedelta

    @classmethod
    def from_settings(cls):
        return cls(
            broken_after_failures=int(setting("SOURCES_BROKEN_AFTER_FAILURES")),
            broken_after=timedelta(hours=float(setting("SOURCES_BROKEN_AFTER_HOURS"))),
            recheck_ok=timedelta(hours=float(setting("SOURCES_RECHECK_OK_HOURS"))),
            recheck_failing=timedelta(hours=float(setting("SOURCES_RECHECK_FAILING_HOURS"))),
            recheck_broken=timedelta(hours=float(setting("SOURCES_RECHECK_BROKEN_HOURS"))),
        )

    def recheck_after(self, state):
        return {
            State.OK: self.recheck_ok,
            State.MOVED: self.recheck_ok,
            State.BROKEN: self.recheck_broken,
        }.get(state, self.recheck_failing)


def verdict(result) -> str:
    if result.outcome == Outcome.OK:
        return SUCCESS
    if result.outcome == Outcome.HTTP_ERROR and result.status_code in INCONCLUSIVE_STATUSES:
        return INCONCLUSIVE
    return FAILURE


def _same(a, b):
    try:
        return normalize_url(a) == normalize_url(b)
    except InvalidURL:
        return a == b


def apply(state: LinkState, result, *, rules: Rules | None = None) -> str:
    """Update `state` (unsaved) from one check's result; return the verdict."""
    rules = rules or Rules.from_settings()
    now = result.checked_at
    state.last_checked_at = now
    state.last_outcome = result.outcome
    state.last_status_code = result.status_code
    state.last_error = result.error
    found = verdict(result)
    if found == SUCCESS:
        state.consecutive_failures = 0
        state.first_failure_at = None
        state.last_ok_at = now
        target = result.permanent_target
        if target and not _same(target, state.url) and not _same(target, state.dismissed_redirect or ""):
            state.state, state.redirect_target = State.MOVED, target
        else:
            state.state, state.redirect_target = State.OK, ""
    elif found == FAILURE:
        state.consecutive_failures += 1
        state.first_failure_at = state.first_failure_at or now
        spread = now - state.first_failure_at
        if state.consecutive_failures >= rules.broken_after_failures and spread >= rules.broken_after:
            state.state = State.BROKEN
        elif state.state != State.BROKEN:
            state.state = State.FAILING
        state.redirect_target = ""
        state.archive_suggestion = state.archive_suggestion or wayback_url(state.url)
    state.next_check_at = now + rules.recheck_after(state.state)
    return found


def mark_checked(state: LinkState, *, by, now) -> None:
    """A moderator looked at the link: failures count from zero, a declined redirect is not offered again."""
    if state.redirect_target:
        state.dismissed_redirect = state.redirect_target
    state.redirect_target = ""
    state.consecutive_failures = 0
    state.first_failure_at = None
    state.state = State.OK
    state.checked_by_editor_at = now
    state.checked_by_editor = by
