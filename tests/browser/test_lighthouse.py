"""Lighthouse on the public pages, served the way production serves them.

gunicorn with the production settings (DEBUG off, collected static files, the page cache) behind
Debian's nginx with the repository's own deploy/nginx.conf (gzip, static and media files), on
free loopback ports, with the demo content. Lighthouse 12 (npm, pinned in package.json) drives
Debian's chromium with its default mobile emulation, one process per page.

Every page must score 100 for accessibility, best practices and SEO and at least 95 for
performance. Three audits fail on purpose, and are the only ones allowed to: the search page is
kept out of search engines (`noindex`, and robots.txt disallows /search/: SEO "is-crawlable"),
and a missing page answers 404 (SEO "http-status-code"), which Chrome also logs as a failed load
of the document (best practices "errors-in-console", with that one entry and no other). The
brief page weighs at most 250 KB with its fonts and hero image. Reports and a summary are written
to test-artifacts/lighthouse/.

Run it with `make lighthouse` (the suite's `make test` leaves it out: it times pages, and wants
the machine to itself). It is slow: about 20 s a page.
"""

import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.stack import start_gunicorn, start_nginx, stop, wait_for, write_local_nginx
from tests.browser.conftest import CHROMIUM
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.lighthouse

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ARTIFACTS = ROOT / "test-artifacts" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PERFORMANCE_MIN = 0.95
BRIEF_WEIGHT_MAX = 250_000  # bytes transferred by the brief page, fonts and hero image included
FONT_MAX = 40 * 1024
# A noisy machine moves the performance score by a few points between runs: a page below the
# bar is measured twice more and judged by the median of the three runs.
RUNS_WHEN_LOW = 3

SEED = "/briefs/new-paper-argues-for-a-scientific-theory-of-deep-learning/"
PAGES = {
    "home": "/",
    "brief": SEED,
    "glossary": "/glossary/",
    "term": "/glossary/learning-mechanics/",
    "tag": "/tags/theory/",
    "search": "/search/?q=learning+mechanics",
    "not-found": "/briefs/no-such-brief/",
}
# The audits a page fails by design (see the module docstring), by category; nothing else may fail.
EXPECTED_FAILURES = {
    "search": {"seo": {"is-crawlable"}},
    "not-found": {"seo": {"http-status-code"}, "best-practices": {"errors-in-console"}},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(work, site_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "DATABASE_URL", "SITE_URL_FROM_REQUEST"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        BEHIND_TLS_PROXY="0",
        DATABASE_URL=f"sqlite:///{work / 'site.sqlite3'}",
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        SITE_URL=site_url,
        GUNICORN_ACCESSLOG="",
        GUNICORN_LOGLEVEL="warning",
        GUNICORN_WORKERS="2",
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def site():
    """The demo site behind nginx with production settings; yields its base URL."""
    if not CHROMIUM:
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    if not LIGHTHOUSE.exists():
        skip_or_fail("Lighthouse is not installed (npm ci)")
    if not Path(NGINX).exists():
        skip_or_fail("nginx is not installed (apt-get install nginx)")
    work = Path(tempfile.mkdtemp(prefix="briefs-lighthouse-"))
    app_port, web_port = free_port(), free_port()
    base = f"http://127.0.0.1:{web_port}"
    env = production_env(work, base)
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    config = write_local_nginx(
        work / "nginx",
        port=web_port,
        upstream=f"127.0.0.1:{app_port}",
        static_root=work / "static",
        media_root=work / "media",
    )
    app = web = None
    try:
        app = start_gunicorn(port=app_port, workers=2, env=env, log=subprocess.DEVNULL)
        wait_for(f"http://127.0.0.1:{app_port}/healthz")
        web = start_nginx(config)
        wait_for(base + "/nginx-health")
        # A live site's pages come from its caches: fill them once, as readers would.
        for path in PAGES.values():
            try:
                urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 - loopback
            except urllib.error.HTTPError as error:
                assert error.code == 404, path
        yield base
    finally:
        stop(web)
        stop(app)
        shutil.rmtree(work, ignore_errors=True)


def run_lighthouse(url, out, *, not_found=False, attempts=2):
    """One Lighthouse run; a run that failed to record the page (it says "run Lighthouse again")
    is run again once."""
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            # Lighthouse refuses to audit an error page unless told the status is expected.
            *(["--ignore-status-code"] if not_found else []),
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={out}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=240,
    )
    if result.returncode and attempts > 1 and "run Lighthouse again" in result.stderr:
        return run_lighthouse(url, out, not_found=not_found, attempts=attempts - 1)
    assert result.returncode == 0, f"lighthouse {url} failed:\n{result.stderr[-3000:]}"
    return json.loads(Path(out).read_text())


def scores(report):
    return {name: report["categories"][name]["score"] for name in CATEGORIES}


@pytest.fixture(scope="module")
def audit(site):
    """Lighthouse one page (once per module); writes its report and the running summary."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.json"):
        old.unlink()  # reports of an earlier run would pass for this one's
    done, summary = {}, {}

    def run(name):
        if name in done:
            return done[name]
        reports = []
        for attempt in range(RUNS_WHEN_LOW):
            out = ARTIFACTS / f"{name}-run{attempt + 1}.json"
            reports.append(run_lighthouse(site + PAGES[name], out, not_found=name == "not-found"))
            if attempt == 0 and scores(reports[0])["performance"] >= PERFORMANCE_MIN:
                break
        performance = [scores(r)["performance"] for r in reports]
        report = reports[performance.index(statistics.median_low(performance))]
        (ARTIFACTS / f"{name}.json").write_text(json.dumps(report))
        summary[name] = {
            "url": PAGES[name],
            **{category: round(score * 100) for category, score in scores(report).items()},
            "performance_runs": [round(p * 100) for p in performance],
            "total_bytes": report["audits"]["total-byte-weight"]["numericValue"],
            "lcp_ms": round(report["audits"]["largest-contentful-paint"]["numericValue"]),
            "cls": report["audits"]["cumulative-layout-shift"]["numericValue"],
            "tbt_ms": round(report["audits"]["total-blocking-time"]["numericValue"]),
            # How busy the machine was: Lighthouse times the page's main thread on it.
            "benchmark_index": report["environment"]["benchmarkIndex"],
            "load_average": round(os.getloadavg()[0], 2),
        }
        write_summary(summary)
        done[name] = report
        return report

    return run


def write_summary(summary):
    (ARTIFACTS / "summary.json").write_text(json.dumps(summary, indent=2))
    lines = ["| page | performance | accessibility | best practices | SEO | bytes | LCP ms | CLS | TBT ms |"]
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for name, row in summary.items():
        lines.append(
            f"| {name} | {row['performance']} (runs {row['performance_runs']}) | {row['accessibility']} "
            f"| {row['best-practices']} | {row['seo']} | {row['total_bytes']:,} | {row['lcp_ms']} "
            f"| {row['cls']:.3f} | {row['tbt_ms']} |"
        )
    (ARTIFACTS / "summary.md").write_text("\n".join(lines) + "\n")


def failed_audits(report, category):
    refs = report["categories"][category]["auditRefs"]
    return {
        ref["id"]: report["audits"][ref["id"]].get("title", "")
        for ref in refs
        if ref["weight"] > 0 and report["audits"][ref["id"]]["score"] not in (None, 1)
    }


@pytest.mark.parametrize("name", PAGES)
def test_each_page_scores_100_in_accessibility_best_practices_and_seo_and_95_in_performance(audit, name):
    report = audit(name)
    result = scores(report)
    expected = EXPECTED_FAILURES.get(name, {})
    for category in ("accessibility", "best-practices", "seo"):
        assert set(failed_audits(report, category)) == expected.get(category, set()), category
        if category not in expected:
            assert result[category] == 1, category
    if "errors-in-console" in expected.get("best-practices", ()):
        (error,) = report["audits"]["errors-in-console"]["details"]["items"]  # the page's own 404, only
        assert error["source"] == "network" and error["sourceLocation"]["url"].endswith(PAGES[name])
    assert result["performance"] >= PERFORMANCE_MIN, {
        audit_id: report["audits"][audit_id]["displayValue"]
        for audit_id in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        )
    }


def test_the_brief_page_weighs_at_most_250_kb_with_its_fonts_and_hero_image(audit):
    report = audit("brief")
    requests = report["audits"]["network-requests"]["details"]["items"]
    fonts = [r for r in requests if r.get("resourceType") == "Font"]
    images = [r for r in requests if "/media/renditions/" in r["url"]]
    assert len(fonts) == 2, [r["url"] for r in fonts]
    assert images, "the hero rendition was not loaded"
    assert all(r["transferSize"] <= FONT_MAX for r in fonts), [(r["url"], r["transferSize"]) for r in fonts]
    total = report["audits"]["total-byte-weight"]["numericValue"]
    assert total <= BRIEF_WEIGHT_MAX, [(r["url"], r["transferSize"]) for r in requests]
