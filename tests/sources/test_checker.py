"""Politeness: one request at a time per host, a pause between requests, hosts in parallel."""

import time

from sources.checker import HostGate, check_many
from sources.outcomes import Outcome


def slow_ok(handler):
    time.sleep(0.03)
    handler.reply(200)


def test_one_request_at_a_time_per_host_while_hosts_run_in_parallel(make_web):
    servers = [make_web() for _ in range(3)]
    urls = []
    for server in servers:
        server.routes["/story"] = slow_ok
        urls += [server.url(f"/story?n={i}") for i in range(8)]
    results = list(check_many(urls, workers=3, interval=0))
    assert len(results) == 24
    assert all(r.outcome == Outcome.OK for r in results)
    for server in servers:
        (host,) = server.recorder.max_in_flight
        assert server.recorder.max_in_flight[host] == 1
        assert len(server.requests) == 8


def test_hosts_are_checked_at_the_same_time(make_web):
    """Three hosts, three workers: the wall time is about one host's share, not the sum."""
    servers = [make_web() for _ in range(3)]
    urls = []
    for server in servers:
        server.routes["/story"] = lambda h: (time.sleep(0.1), h.reply(200))
        urls += [server.url(f"/story?n={i}") for i in range(4)]
    started = time.monotonic()
    list(check_many(urls, workers=3, interval=0))
    assert time.monotonic() - started < 0.4 * 3


def test_many_workers_on_one_host_still_send_one_request_at_a_time(web):
    web.routes["/story"] = slow_ok
    urls = [web.url(f"/story?n={i}") for i in range(10)]
    gate = HostGate(0)
    # The plan hands a host to one worker; the gate holds even if two workers reach the same host.
    results = list(check_many(urls, workers=8, gate=gate))
    assert len(results) == 10
    assert max(web.recorder.max_in_flight.values()) == 1


def test_redirects_to_another_host_wait_for_that_hosts_turn(make_web):
    """Links on A redirect to B while B's own links are checked: B still sees one request at a time."""
    a, b = make_web(), make_web()
    b.routes["/story"] = slow_ok
    a.routes["/old"] = lambda h: h.reply(301, headers={"Location": b.url("/story")})
    urls = [a.url(f"/old?n={i}") for i in range(6)] + [b.url(f"/story?n={i}") for i in range(6)]
    results = list(check_many(urls, workers=4, interval=0))
    assert len(results) == 12
    assert all(r.outcome == Outcome.OK for r in results)
    assert len(b.requests) == 12
    assert max(b.recorder.max_in_flight.values()) == 1


def test_requests_to_one_host_are_spaced_by_the_interval(web):
    web.routes["/story"] = lambda h: h.reply(200)
    urls = [web.url(f"/story?n={i}") for i in range(4)]
    list(check_many(urls, workers=4, interval=0.2))
    (starts,) = web.recorder.starts.values()
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    assert len(gaps) == 3
    assert min(gaps) >= 0.19


def test_a_head_then_get_fallback_respects_the_interval_too(web):
    web.routes["/story"] = lambda h: h.reply(405 if h.command == "HEAD" else 200)
    list(check_many([web.url("/story")], interval=0.2))
    (starts,) = web.recorder.starts.values()
    assert starts[1] - starts[0] >= 0.19


def test_stopping_early_stops_the_workers(web):
    web.routes["/story"] = slow_ok
    urls = [web.url(f"/story?n={i}") for i in range(20)]
    iterator = check_many(urls, workers=1, interval=0)
    next(iterator)
    iterator.close()
    assert len(web.requests) <= 3


def test_the_gate_alone_serialises_requests_from_many_threads(web):
    import threading

    from sources.fetch import fetch

    web.routes["/story"] = slow_ok
    gate = HostGate(0)
    threads = [
        threading.Thread(target=fetch, args=(web.url(f"/story?n={i}"),), kwargs={"gate": gate})
        for i in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(web.requests) == 6
    assert max(web.recorder.max_in_flight.values()) == 1
