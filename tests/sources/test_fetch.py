"""One link check against real servers on loopback: every case the checker must tell apart."""

import threading
import time

import pytest
import trustme

from sources.fetch import fetch
from sources.outcomes import Outcome

from .servers import free_port, full_backlog, tls_server_context


def ok(handler):
    handler.reply(200, headers={"Content-Type": "text/html"}, body=b"<p>hello</p>")


def redirect(status, to):
    def answer(handler):
        handler.reply(status, headers={"Location": to})

    return answer


def test_a_page_that_answers_200_is_ok_after_one_head_request(web):
    web.routes["/story"] = ok
    result = fetch(web.url("/story"))
    assert result.outcome == Outcome.OK
    assert result.status_code == 200
    assert result.chain == [{"url": web.url("/story"), "status": 200}]
    assert result.final_url == web.url("/story")
    assert result.bytes_read == 0
    assert [r["method"] for r in web.requests] == ["HEAD"]


def test_the_user_agent_names_the_site_and_the_host_header_names_the_host(web):
    web.routes["/story"] = ok
    fetch(web.url("/story", host="localhost"))
    request = web.requests[0]
    assert request["headers"]["User-Agent"] == "AI Research Briefs link checker (+https://briefs.example)"
    assert request["host"] == f"localhost:{web.port}"


def test_a_chain_of_301s_is_followed_and_kept_whole(web):
    web.routes["/a"] = redirect(301, "/b")
    web.routes["/b"] = redirect(301, web.url("/c"))
    web.routes["/c"] = ok
    result = fetch(web.url("/a"))
    assert result.outcome == Outcome.OK
    assert result.chain == [
        {"url": web.url("/a"), "status": 301},
        {"url": web.url("/b"), "status": 301},
        {"url": web.url("/c"), "status": 200},
    ]
    assert result.final_url == web.url("/c")
    assert result.permanent_target == web.url("/c")


def test_a_302_is_followed_but_offers_no_permanent_target(web):
    web.routes["/a"] = redirect(302, "/login-wall")
    web.routes["/login-wall"] = ok
    result = fetch(web.url("/a"))
    assert result.outcome == Outcome.OK
    assert [hop["status"] for hop in result.chain] == [302, 200]
    assert result.permanent_target == ""


def test_a_permanent_target_stops_at_the_first_temporary_redirect(web):
    web.routes["/old"] = redirect(308, "/new")
    web.routes["/new"] = redirect(302, "/today")
    web.routes["/today"] = ok
    assert fetch(web.url("/old")).permanent_target == web.url("/new")


def test_a_redirect_loop_is_detected_and_stops(web):
    web.routes["/a"] = redirect(302, "/b")
    web.routes["/b"] = redirect(302, "/a")
    result = fetch(web.url("/a"))
    assert result.outcome == Outcome.REDIRECT_LOOP
    assert [hop["url"] for hop in result.chain] == [web.url("/a"), web.url("/b"), web.url("/a")]
    assert len(web.requests) == 2


def test_a_page_redirecting_to_itself_is_a_loop(web):
    web.routes["/self"] = redirect(301, "/self")
    assert fetch(web.url("/self")).outcome == Outcome.REDIRECT_LOOP


def test_more_redirects_than_the_limit_stop_there(web, settings):
    settings.SOURCES_MAX_REDIRECTS = 3
    for i in range(10):
        web.routes[f"/r{i}"] = redirect(302, f"/r{i + 1}")
    result = fetch(web.url("/r0"))
    assert result.outcome == Outcome.TOO_MANY_REDIRECTS
    assert len(web.requests) == 4


@pytest.mark.parametrize("status", [404, 410])
def test_404_and_410_are_error_statuses_confirmed_by_get(web, status):
    web.routes["/gone"] = lambda h: h.reply(status, body=b"gone")
    result = fetch(web.url("/gone"))
    assert result.outcome == Outcome.HTTP_ERROR
    assert result.status_code == status
    methods = [r["method"] for r in web.requests]
    # A HEAD 404 is asked again with GET (some servers only answer GET); 410 is taken at its word.
    assert methods == (["HEAD", "GET"] if status == 404 else ["HEAD"])


def test_a_500_is_an_error_status(web):
    web.routes["/boom"] = lambda h: h.reply(500)
    result = fetch(web.url("/boom"))
    assert (result.outcome, result.status_code) == (Outcome.HTTP_ERROR, 500)


@pytest.mark.parametrize("status", [405, 501])
def test_head_refused_falls_back_to_get(web, status):
    def story(handler):
        if handler.command == "HEAD":
            handler.reply(status)
        else:
            ok(handler)

    web.routes["/story"] = story
    result = fetch(web.url("/story"))
    assert result.outcome == Outcome.OK
    assert [r["method"] for r in web.requests] == ["HEAD", "GET"]
    assert result.bytes_read == len(b"<p>hello</p>")


def test_a_server_hanging_up_on_head_is_asked_with_get(web):
    def story(handler):
        if handler.command == "HEAD":
            handler.close_connection = True
            return  # no answer at all
        ok(handler)

    web.routes["/story"] = story
    result = fetch(web.url("/story"))
    assert result.outcome == Outcome.OK
    assert [r["method"] for r in web.requests] == ["HEAD", "GET"]


def test_a_connect_timeout_is_reported_as_such(settings):
    settings.SOURCES_CONNECT_TIMEOUT = 0.3
    with full_backlog() as port:
        started = time.monotonic()
        result = fetch(f"http://127.0.0.1:{port}/story")
    assert result.outcome == Outcome.CONNECT_TIMEOUT
    assert time.monotonic() - started < 2


def test_a_server_that_never_answers_is_a_read_timeout(web, settings):
    settings.SOURCES_READ_TIMEOUT = 0.3
    release = threading.Event()
    web.routes["/slow"] = lambda h: release.wait(5)
    try:
        result = fetch(web.url("/slow"))
    finally:
        release.set()
    assert result.outcome == Outcome.READ_TIMEOUT


def test_a_slow_body_is_cut_off_by_the_deadline(web, settings):
    """A byte every 0.2 s never trips the 1 s read timeout; the 1.5 s deadline for the URL stops it."""
    settings.SOURCES_URL_DEADLINE = 1.5

    def dribble(handler):
        if handler.command == "HEAD":
            handler.reply(405)
            return
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    web.routes["/dribble"] = dribble
    started = time.monotonic()
    result = fetch(web.url("/dribble"))
    elapsed = time.monotonic() - started
    assert result.outcome == Outcome.READ_TIMEOUT
    assert "longer than 1.5 s" in result.error
    assert elapsed < 2.5


def test_connection_refused():
    port = free_port()
    result = fetch(f"http://127.0.0.1:{port}/story")
    assert result.outcome == Outcome.REFUSED
    assert result.chain == [{"url": f"http://127.0.0.1:{port}/story", "status": None}]


def test_a_body_of_many_megabytes_is_not_read_beyond_the_cap(web, settings):
    settings.SOURCES_MAX_BODY_BYTES = 64 * 1024
    total = 32 * 1024 * 1024
    sent = {"bytes": 0, "cut_off": False}
    done = threading.Event()

    def huge(handler):
        if handler.command == "HEAD":
            handler.reply(405)
            return
        handler.send_response(200)
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        chunk = b"x" * 65536
        try:
            while sent["bytes"] < total:
                handler.wfile.write(chunk)
                sent["bytes"] += len(chunk)
        except OSError:
            sent["cut_off"] = True
        finally:
            done.set()

    web.routes["/huge"] = huge
    result = fetch(web.url("/huge"))
    assert result.outcome == Outcome.OK
    assert result.bytes_read == 64 * 1024
    assert done.wait(5)
    # The checker hung up: the server could not send the rest (only what socket buffers took).
    assert sent["cut_off"]
    assert sent["bytes"] < total / 2


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/paper.pdf",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "gopher://example.org/",
        "mailto:a@b",
    ],
)
def test_non_http_schemes_are_refused_without_any_connection(url, connects):
    result = fetch(url)
    assert result.outcome == Outcome.UNSUPPORTED_SCHEME
    assert "Only http and https" in result.error
    assert connects.hosts() == []


def test_a_redirect_to_a_non_http_scheme_is_refused(web):
    web.routes["/a"] = redirect(302, "file:///etc/passwd")
    result = fetch(web.url("/a"))
    assert result.outcome == Outcome.UNSUPPORTED_SCHEME
    assert result.chain[-1] == {"url": "file:///etc/passwd", "status": None}


def test_an_unknown_name_is_a_dns_error():
    result = fetch("http://no-such-host.invalid/story")
    assert result.outcome == Outcome.DNS_ERROR


class TestHTTPS:
    @pytest.fixture
    def ca(self, tmp_path, settings):
        authority = trustme.CA()
        path = tmp_path / "ca.pem"
        authority.cert_pem.write_to_path(str(path))
        settings.SOURCES_TLS_CA_FILE = str(path)
        return authority

    def test_https_verifies_the_certificate_for_the_name_while_connecting_to_the_pinned_address(
        self, ca, make_web, connects
    ):
        names = []
        server = make_web(tls_context=tls_server_context(ca, "localhost", seen_names=names))
        server.routes["/story"] = ok
        result = fetch(server.url("/story", host="localhost"))
        assert result.outcome == Outcome.OK, result.error
        assert names == ["localhost"]  # SNI carries the name
        assert server.requests[0]["host"] == f"localhost:{server.port}"
        assert ("127.0.0.1", server.port) in connects.addresses  # the socket went to the vetted address

    def test_a_certificate_for_another_name_is_refused(self, ca, make_web):
        server = make_web(tls_context=tls_server_context(ca, "other.example"))
        server.routes["/story"] = ok
        result = fetch(server.url("/story", host="localhost"))
        assert result.outcome == Outcome.TLS_ERROR
        assert server.requests == []

    def test_an_unknown_authority_is_refused(self, ca, make_web, settings):
        settings.SOURCES_TLS_CA_FILE = None
        server = make_web(tls_context=tls_server_context(ca, "localhost"))
        server.routes["/story"] = ok
        result = fetch(server.url("/story", host="localhost"))
        assert result.outcome == Outcome.TLS_ERROR
        assert "certificate" in result.error

    def test_a_stalled_tls_handshake_times_out(self, ca, settings):
        import socket

        settings.SOURCES_READ_TIMEOUT = 0.5
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        accepted = []
        thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
        thread.start()
        try:
            result = fetch(f"https://localhost:{listener.getsockname()[1]}/story")
        finally:
            for conn, _ in accepted:
                conn.close()
            listener.close()
        assert result.outcome == Outcome.READ_TIMEOUT
