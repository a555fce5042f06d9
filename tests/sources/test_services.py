"""Recording checks: history and state in the sources tables only, once per URL, safe to repeat."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources import services, tasks
from sources.models import LinkCheck, LinkState
from sources.selectors import broken_states, check_history, states_for_urls, urls_due
from sources.urlkeys import url_hash

pytestmark = pytest.mark.django_db
State = LinkState.State
# Table names after FROM/INTO/UPDATE/JOIN; not functions such as PostgreSQL's unnest(...).
TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE|JOIN)\s+"?(\w+)\b"?(?!\s*\()', re.IGNORECASE)


def ok(handler):
    handler.reply(200)


def test_a_check_is_recorded_with_its_whole_chain(web):
    web.routes["/a"] = lambda h: h.reply(301, headers={"Location": "/b"})
    web.routes["/b"] = ok
    states = services.check_urls([web.url("/a")])
    state = states[web.url("/a")]
    assert state.state == State.MOVED
    assert state.redirect_target == web.url("/b")
    (check,) = LinkCheck.objects.all()
    assert check.url_hash == url_hash(web.url("/a"))
    assert check.outcome == "ok"
    assert check.status_code == 200
    assert check.final_url == web.url("/b")
    assert check.redirect_chain == [
        {"url": web.url("/a"), "status": 301},
        {"url": web.url("/b"), "status": 200},
    ]
    assert check.elapsed_ms >= 0


def test_500_once_then_200_is_not_broken(web):
    answers = iter([500, 200])
    web.routes["/story"] = lambda h: h.reply(next(answers))
    first = services.check_urls([web.url("/story")])[web.url("/story")]
    assert (first.state, first.consecutive_failures, first.last_status_code) == (State.FAILING, 1, 500)
    second = services.check_urls([web.url("/story")])[web.url("/story")]
    assert (second.state, second.consecutive_failures) == (State.OK, 0)
    assert [c.status_code for c in check_history(web.url("/story"))] == [200, 500]


def test_repeated_failures_over_two_days_make_a_link_broken(web, settings):
    web.routes["/gone"] = lambda h: h.reply(410)
    url = web.url("/gone")
    services.check_urls([url])
    # The first failure was two days ago: two more failures now confirm it.
    LinkState.objects.update(first_failure_at=timezone.now() - timedelta(hours=49))
    services.check_urls([url])
    assert LinkState.objects.get().state == State.FAILING
    services.check_urls([url])
    state = LinkState.objects.get()
    assert state.state == State.BROKEN
    assert state.archive_suggestion == f"https://web.archive.org/web/{url}"
    assert list(broken_states()) == [state]


def test_the_same_url_on_several_briefs_or_spelled_twice_is_checked_once(web):
    web.routes["/story"] = ok
    spellings = [web.url("/story"), web.url("/story") + "#intro", web.url("/story").replace("http:", "HTTP:")]
    states = services.check_urls(spellings)
    assert len(web.requests) == 1
    assert LinkState.objects.count() == 1
    assert {s.pk for s in states.values()} == {LinkState.objects.get().pk}
    assert set(states) == set(spellings)


def test_a_link_checked_a_moment_ago_is_not_fetched_again(web, settings):
    settings.SOURCES_MIN_RECHECK_SECONDS = 60
    web.routes["/story"] = ok
    services.check_urls([web.url("/story")])
    services.check_urls([web.url("/story")])
    assert len(web.requests) == 1
    services.check_urls([web.url("/story")], force=True)
    assert len(web.requests) == 2


def test_recording_checks_writes_only_the_sources_tables(web):
    web.routes["/story"] = ok
    web.routes["/gone"] = lambda h: h.reply(404)
    with CaptureQueriesContext(connection) as queries:
        services.check_urls([web.url("/story"), web.url("/gone")])
    tables = {t.lower() for q in queries.captured_queries for t in TABLE.findall(q["sql"])}
    assert tables
    assert all(t.startswith("sources_") for t in tables), tables
    # The states' first insert, then per batch of results: the history rows, the states read under
    # lock, and one update of the states.
    sqls = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    batches = sum(1 for q in sqls if q.startswith('INSERT INTO "SOURCES_LINKCHECK"'))
    assert batches >= 1
    assert sum(1 for q in sqls if q.startswith(("INSERT", "UPDATE"))) == 1 + 2 * batches
    if connection.features.has_select_for_update:
        assert sum(1 for q in sqls if "FOR UPDATE" in q) == batches


def test_a_large_batch_of_results_is_written_in_few_statements(web, django_assert_max_num_queries):
    web.routes["/story"] = ok
    urls = [web.url(f"/story?n={i}") for i in range(120)]
    with django_assert_max_num_queries(4 + 4 * 5):  # tracking, then 3 (+ savepoints) per batch of 50 or 1 s
        states = services.check_urls(urls)
    assert {s.state for s in states.values()} == {State.OK}
    assert LinkCheck.objects.count() == 120


def test_non_http_links_are_recorded_as_refused(db):
    states = services.check_urls(["javascript:alert(1)", "ftp://example.org/a"])
    assert {s.last_outcome for s in states.values()} == {"unsupported_scheme"}
    assert all(s.state == State.FAILING for s in states.values())


def test_urls_due_are_never_checked_and_overdue_ones_oldest_first(db):
    now = timezone.now()
    services.track_urls(["https://a.example/1", "https://b.example/2", "https://c.example/3"])
    LinkState.objects.filter(url="https://a.example/1").update(next_check_at=now - timedelta(days=1))
    LinkState.objects.filter(url="https://b.example/2").update(next_check_at=now + timedelta(days=1))
    assert urls_due(10) == ["https://a.example/1", "https://c.example/3"]
    assert urls_due(1) == ["https://a.example/1"]


def test_claimed_urls_are_not_claimed_again_by_an_overlapping_run(db):
    services.track_urls(["https://a.example/1", "https://b.example/2"])
    assert sorted(services.claim_due_urls()) == ["https://a.example/1", "https://b.example/2"]
    assert services.claim_due_urls() == []


def test_check_due_links_checks_what_is_due_and_is_idempotent(web, run_tasks):
    web.routes["/story"] = web.routes["/other"] = ok
    services.track_urls([web.url("/story"), web.url("/other")])
    tasks.check_due_links.enqueue()
    tasks.check_due_links.enqueue()
    assert [r.return_value for r in run_tasks()] == [2, 0]
    assert len(web.requests) == 2
    assert LinkState.objects.get(url=web.url("/story")).next_check_at > timezone.now() + timedelta(days=6)


def test_check_due_links_does_nothing_while_another_run_holds_the_lock(web):
    from django.core.cache import cache

    services.track_urls([web.url("/story")])
    cache.add(services.DUE_LOCK_KEY, "other-run", 60)
    assert services.check_due_links() == 0
    assert web.requests == []


def test_the_check_links_task_takes_plain_urls_and_runs_twice_safely(web, settings, run_tasks):
    settings.SOURCES_MIN_RECHECK_SECONDS = 60
    web.routes["/story"] = ok
    tasks.check_links.enqueue([web.url("/story")])
    tasks.check_links.enqueue([web.url("/story")])
    assert [r.return_value for r in run_tasks()] == [{web.url("/story"): "ok"}] * 2
    assert len(web.requests) == 1
    assert LinkCheck.objects.count() == 1


def test_states_for_urls_is_one_query(db, django_assert_num_queries):
    services.track_urls([f"https://example.org/{i}" for i in range(50)])
    with django_assert_num_queries(1):
        found = states_for_urls([f"https://example.org/{i}" for i in range(60)])
    assert len(found) == 50


def test_marking_as_checked_needs_the_permission(db, django_user_model):
    services.track_urls(["https://example.org/story"])
    nobody = django_user_model.objects.create_user("nobody")
    with pytest.raises(PermissionDenied):
        services.mark_checked(url="https://example.org/story", by=nobody)
    moderator = django_user_model.objects.create_user("mod")
    moderator.user_permissions.add(Permission.objects.get(codename="check_links"))
    moderator = django_user_model.objects.get(pk=moderator.pk)
    state = services.mark_checked(url="https://example.org/story", by=moderator)
    assert state.checked_by_editor == moderator
    assert state.checked_by_editor_at is not None


def test_forget_and_prune(web, run_tasks):
    web.routes["/story"] = ok
    services.check_urls([web.url("/story")])
    LinkCheck.objects.update(checked_at=timezone.now() - timedelta(days=400))
    tasks.prune_link_checks.enqueue()
    assert [r.return_value for r in run_tasks()] == [1]
    services.forget_urls([web.url("/story")])
    assert not LinkState.objects.exists()


def test_a_url_of_2000_characters_is_tracked_by_its_hash(web):
    web.routes["/story"] = ok
    long_url = web.url("/story?q=" + "a" * 2000)
    state = services.check_urls([long_url])[long_url]
    assert len(state.url) > 2000
    assert state.url_hash == url_hash(long_url)


def test_the_command_checks_due_links_or_the_urls_given(web):
    from io import StringIO

    from django.core.management import call_command

    web.routes["/story"] = ok
    out = StringIO()
    call_command("check_links", web.url("/story"), web.url("/gone"), stdout=out)
    assert f"Working (200): {web.url('/story')}" in out.getvalue()
    assert f"Failing (404): {web.url('/gone')}" in out.getvalue()
    LinkState.objects.update(next_check_at=timezone.now())
    out = StringIO()
    call_command("check_links", "--prune", stdout=out)
    assert "Checked 2 due link(s)." in out.getvalue()
    assert "Deleted 0 old check(s)." in out.getvalue()
