"""The address guard: the checker never reaches loopback, private, link-local or metadata addresses.

Refusals are proven against the network itself: Python's audit events list every socket
connect the process makes, and where a target exists it is a real server that records requests.
"""

import ipaddress

import pytest

from sources import guard
from sources.fetch import fetch
from sources.outcomes import Outcome


@pytest.fixture
def no_loopback(settings):
    settings.SOURCES_ALLOW_LOOPBACK_FOR_TESTS = False


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address the guard must refuse
        "224.0.0.1",
        "255.255.255.255",
        "240.0.0.1",
        "198.18.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "::127.0.0.1",  # IPv4-compatible
        "2001:db8::1",
    ],
)
def test_non_public_addresses_are_forbidden(address, no_loopback):
    assert guard.forbidden_reason(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address, no_loopback):
    assert guard.forbidden_reason(ipaddress.ip_address(address)) is None


def test_the_test_allowance_opens_127_0_0_1_and_colon_colon_1_and_nothing_else(settings):
    settings.SOURCES_ALLOW_LOOPBACK_FOR_TESTS = True
    assert guard.forbidden_reason(ipaddress.ip_address("127.0.0.1")) is None
    assert guard.forbidden_reason(ipaddress.ip_address("::1")) is None
    for other in ["127.0.0.2", "10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "192.168.0.1"]:
        assert guard.forbidden_reason(ipaddress.ip_address(other)), other


def test_127_0_0_1_is_refused_and_its_server_sees_no_request(web, no_loopback, connects):
    web.routes["/story"] = lambda h: h.reply(200)
    result = fetch(web.url("/story"))
    assert result.outcome == Outcome.BLOCKED
    assert "127.0.0.1, a loopback address" in result.error
    assert web.requests == []
    assert connects.hosts() == []


def test_localhost_by_name_is_refused_too(web, no_loopback, connects):
    result = fetch(web.url("/story", host="localhost"))
    assert result.outcome == Outcome.BLOCKED
    assert web.requests == []
    assert connects.hosts() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0:8000/",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_private_and_metadata_addresses_are_refused_before_any_connection(url, no_loopback, connects):
    result = fetch(url)
    assert result.outcome == Outcome.BLOCKED, result.error
    assert connects.hosts() == []


@pytest.mark.parametrize("target", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/"])
def test_a_redirect_to_a_private_or_metadata_address_is_refused_before_connecting(web, target, connects):
    web.routes["/story"] = lambda h: h.reply(302, headers={"Location": target})
    result = fetch(web.url("/story"))
    assert result.outcome == Outcome.BLOCKED
    assert result.chain == [{"url": web.url("/story"), "status": 302}, {"url": target, "status": None}]
    assert connects.hosts() == ["127.0.0.1"]  # the allowed first hop only


def test_a_redirect_to_another_loopback_server_is_refused_and_that_server_sees_nothing(
    web, make_web, connects
):
    """The allowance covers 127.0.0.1 only: a server on 127.0.0.2 stands for the machine's own services."""
    inside = make_web("127.0.0.2")
    inside.routes["/secret"] = lambda h: h.reply(200, body=b"secret")
    web.routes["/story"] = lambda h: h.reply(301, headers={"Location": inside.url("/secret")})
    result = fetch(web.url("/story"))
    assert result.outcome == Outcome.BLOCKED
    assert inside.requests == []
    assert "127.0.0.2" not in connects.hosts()


def test_a_redirect_to_127_0_0_1_from_an_allowed_server_is_refused_when_loopback_is_off_for_that_hop(
    make_web, settings, connects
):
    """With the allowance on for ::1 alone (the first server), a hop to 127.0.0.1 is refused."""
    inside = make_web("127.0.0.1")
    inside.routes["/secret"] = lambda h: h.reply(200)
    outside = make_web("::1")
    outside.routes["/story"] = lambda h: h.reply(302, headers={"Location": inside.url("/secret")})
    original = guard.TEST_LOOPBACK
    guard.TEST_LOOPBACK = frozenset({ipaddress.ip_address("::1")})
    try:
        result = fetch(outside.url("/story"))
    finally:
        guard.TEST_LOOPBACK = original
    assert result.outcome == Outcome.BLOCKED
    assert len(outside.requests) == 1
    assert inside.requests == []
    assert "127.0.0.1" not in connects.hosts()


def test_each_hop_is_resolved_once_and_the_socket_goes_to_the_vetted_address(web, connects):
    """No second lookup between vetting and connecting: the connect address is the vetted IP itself."""
    web.routes["/a"] = lambda h: h.reply(301, headers={"Location": web.url("/b", host="localhost")})
    web.routes["/b"] = lambda h: h.reply(200)
    result = fetch(web.url("/a", host="localhost"))
    assert result.outcome == Outcome.OK
    assert connects.hosts() == ["127.0.0.1", "127.0.0.1"]
    assert all(r["host"] == f"localhost:{web.port}" for r in web.requests)


def test_a_name_answering_with_any_forbidden_address_is_refused_whole(no_loopback):
    """`localhost` may resolve to 127.0.0.1 and ::1; one forbidden address refuses the name."""
    with pytest.raises(guard.Refused):
        guard.vet("http://localhost/")


@pytest.mark.parametrize(
    ("url", "outcome"),
    [
        ("http://exa mple.org/", Outcome.INVALID_URL),
        ("http://example.org:99999/", Outcome.INVALID_URL),
        ("http:///no-host", Outcome.INVALID_URL),
        ("http://example.org/a b", Outcome.INVALID_URL),
    ],
)
def test_malformed_addresses_are_refused_with_a_reason(url, outcome, connects):
    result = fetch(url)
    assert result.outcome == outcome
    assert result.error
    assert connects.hosts() == []
