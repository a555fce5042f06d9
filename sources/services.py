"""Link-check actions: track URLs, check them and record what was found, mark them as checked.

Writes go to the sources tables only. A check never saves a brief or its links, so it neither
moves the page cache's generation nor creates a revision; the brief side reads LinkState.
"""

import time
import uuid
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.changes import LINK_STATES, record

from . import policy
from .checker import check_many
from .conf import setting
from .models import LinkCheck, LinkState, State
from .selectors import urls_due
from .urlkeys import canonical_url, url_hash

CHECK_PERMISSION = "sources.check_links"
DUE_LOCK_KEY = "sources:check-due-links:lock"
LEASE = timedelta(hours=1)


def track_urls(urls) -> int:
    """Make sure each URL has a state row (due for a first check). Idempotent; returns how many were new."""
    rows = {}
    for url in urls:
        if url:
            rows.setdefault(url_hash(url), canonical_url(url))
    if not rows:
        return 0
    existing = set(LinkState.objects.filter(url_hash__in=rows).values_list("url_hash", flat=True))
    new = [LinkState(url_hash=key, url=url) for key, url in rows.items() if key not in existing]
    LinkState.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def forget_urls(urls) -> None:
    """Drop the state and history of URLs no source uses any more."""
    keys = {url_hash(url) for url in urls}
    with transaction.atomic():
        LinkCheck.objects.filter(url_hash__in=keys).delete()
        LinkState.objects.filter(url_hash__in=keys).delete()


STATE_FIELDS = [
    "state",
    "consecutive_failures",
    "first_failure_at",
    "last_checked_at",
    "last_ok_at",
    "next_check_at",
    "last_outcome",
    "last_status_code",
    "last_error",
    "redirect_target",
    "archive_suggestion",
]
BATCH_SIZE = 50
BATCH_SECONDS = 1.0


def record_results(results, *, rules=None) -> list[LinkState]:
    """Store checks and move each URL's state by the policy: one transaction, three statements a batch."""
    results = list(results)
    if not results:
        return []
    rules = rules or policy.Rules.from_settings()
    keys = [url_hash(r.url) for r in results]
    with transaction.atomic():
        LinkCheck.objects.bulk_create(
            [
                LinkCheck(
                    url_hash=key,
                    url=canonical_url(r.url),
                    checked_at=r.checked_at,
                    outcome=r.outcome,
                    status_code=r.status_code,
                    final_url=r.final_url,
                    redirect_chain=r.chain,
                    error=r.error,
                    elapsed_ms=r.elapsed_ms,
                    bytes_read=r.bytes_read,
                )
                for key, r in zip(keys, results, strict=True)
            ]
        )
        states = {s.url_hash: s for s in LinkState.objects.select_for_update().filter(url_hash__in=set(keys))}
        was_broken = {key for key, s in states.items() if s.state == State.BROKEN}
        new = {}
        for key, r in zip(keys, results, strict=True):
            state = states.get(key) or new.get(key)
            if state is None:
                state = new[key] = LinkState(url_hash=key, url=canonical_url(r.url))
            policy.apply(state, r, rules=rules)
        if states:
            LinkState.objects.bulk_update(list(states.values()), STATE_FIELDS)
        if new:
            LinkState.objects.bulk_create(list(new.values()))
        record_broken_flips(was_broken, {**states, **new})
    touched = {**states, **new}
    return [touched[key] for key in dict.fromkeys(keys)]


def record_result(result, *, rules=None) -> LinkState:
    return record_results([result], rules=rules)[0]


def check_urls(urls, *, force=False, options=None, workers=None, interval=None) -> dict:
    """Check URLs politely and record results as they come; return {url as given: LinkState}.

    The same address given twice (or spelled two ways) is checked once. Without `force`, a URL
    checked less than SOURCES_MIN_RECHECK_SECONDS ago is not checked again, so a check enqueued
    twice costs the host one request. Results are written in small batches (at most
    BATCH_SIZE, or what a second brought), so an interrupted run keeps what it found.
    """
    by_key = {}
    for url in urls:
        if url:
            by_key.setdefault(url_hash(url), []).append(url)
    if not by_key:
        return {}
    track_urls(urls)
    states = {s.url_hash: s for s in LinkState.objects.filter(url_hash__in=by_key)}
    recent = timezone.now() - timedelta(seconds=float(setting("SOURCES_MIN_RECHECK_SECONDS")))
    to_check = [
        states[key].url
        for key in by_key
        if force or states[key].last_checked_at is None or states[key].last_checked_at < recent
    ]
    rules = policy.Rules.from_settings()
    batch, batch_started = [], time.monotonic()

    def flush():
        for state in record_results(batch, rules=rules):
            states[state.url_hash] = state
        batch.clear()

    for result in check_many(to_check, options=options, workers=workers, interval=interval):
        if not batch:
            batch_started = time.monotonic()
        batch.append(result)
        if len(batch) >= BATCH_SIZE or time.monotonic() - batch_started >= BATCH_SECONDS:
            flush()
    flush()
    return {url: states[key] for key, given in by_key.items() for url in given}


def claim_due_urls(limit=None) -> list[str]:
    """The URLs due now, pushed back by a lease so an overlapping run does not take them too."""
    now = timezone.now()
    urls = urls_due(limit or int(setting("SOURCES_CHECK_BATCH")), now=now)
    if urls:
        LinkState.objects.filter(url_hash__in=[url_hash(u) for u in urls], next_check_at__lte=now).update(
            next_check_at=now + LEASE
        )
    return urls


def check_due_links(*, limit=None, **check_options) -> int:
    """Check the links that are due, one run at a time (with a shared cache); return how many."""
    token = uuid.uuid4().hex
    if not cache.add(DUE_LOCK_KEY, token, timeout=int(LEASE.total_seconds())):
        return 0
    try:
        urls = claim_due_urls(limit)
        return len(check_urls(urls, force=True, **check_options)) if urls else 0
    finally:
        if cache.get(DUE_LOCK_KEY) == token:
            cache.delete(DUE_LOCK_KEY)


def mark_checked(*, url, by) -> LinkState:
    """A moderator has looked at the link: clear its failures (and a declined redirect offer)."""
    if not by.has_perm(CHECK_PERMISSION):
        raise PermissionDenied("Only moderators can mark a link as checked.")
    track_urls([url])
    with transaction.atomic():
        state = LinkState.objects.select_for_update().get(url_hash=url_hash(url))
        was_broken = {state.url_hash} if state.state == State.BROKEN else set()
        policy.mark_checked(state, by=by, now=timezone.now())
        state.save()
        record_broken_flips(was_broken, {state.url_hash: state})
    return state


def record_broken_flips(was_broken, states):
    """Tell the public pages when a link became broken or works again: a brief's page then sends
    readers to the link's archived copy, or back to the original."""
    flipped = [s.pk for key, s in states.items() if (s.state == State.BROKEN) != (key in was_broken)]
    if flipped:
        record(LINK_STATES, flipped)


def prune_checks(*, older_than_days=None) -> int:
    """Delete check history older than SOURCES_KEEP_CHECKS_DAYS; states keep the last verdict."""
    days = int(older_than_days if older_than_days is not None else setting("SOURCES_KEEP_CHECKS_DAYS"))
    deleted, _ = LinkCheck.objects.filter(checked_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted
