"""Absolute links follow the address being browsed in development; production uses SITE_URL."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import BriefFactory
from tests.helpers import parse_xml

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1:8101"
MAKE = shutil.which("make") or "/usr/bin/make"


@pytest.fixture
def brief():
    return BriefFactory(published=True, headline="Ports matter", tags=["theory"])


@pytest.fixture
def following(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]


def test_in_development_canonical_og_url_feeds_and_sitemap_use_the_browsed_address(client, brief, following):
    url = f"http://{HOST}{brief.get_absolute_url()}"
    html = client.get(brief.get_absolute_url(), HTTP_HOST=HOST).text
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'"url": "{url}"' in html or f'"@id": "{url}' in html  # JSON-LD
    rss = parse_xml(client.get("/feed/rss/", HTTP_HOST=HOST).content)
    assert rss.find("channel").find("item").findtext("link") == url
    sitemap = client.get("/sitemap.xml", HTTP_HOST=HOST).text
    assert url in sitemap and ":8000" not in sitemap
    assert f"Sitemap: http://{HOST}/sitemap.xml" in client.get("/robots.txt", HTTP_HOST=HOST).text
    assert client.get("/feed/json/", HTTP_HOST=HOST).json()["feed_url"] == f"http://{HOST}/feed/json/"


def test_the_page_cache_keeps_one_copy_per_address(client, brief, following):
    client.get("/", HTTP_HOST=HOST)
    other = client.get("/", HTTP_HOST="127.0.0.1:8102").text
    assert 'href="http://127.0.0.1:8102/"' in other and "8101" not in other


def test_with_the_setting_off_links_use_site_url(client, brief, settings):
    settings.SITE_URL_FROM_REQUEST = False
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    html = client.get(brief.get_absolute_url(), HTTP_HOST=HOST).text
    assert f'<link rel="canonical" href="{settings.SITE_URL}{brief.get_absolute_url()}">' in html


def test_production_always_uses_site_url_whatever_the_host(client, brief, settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://briefs.example"
    settings.SITE_URL_FROM_REQUEST = True  # even if someone set it: DEBUG is off
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    html = client.get(brief.get_absolute_url(), HTTP_HOST=HOST).text
    assert f'<link rel="canonical" href="https://briefs.example{brief.get_absolute_url()}">' in html


def settings_value(env, expression):
    env = {**{k: v for k, v in os.environ.items() if k not in ("SITE_URL", "SITE_URL_FROM_REQUEST")}, **env}
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_setting_is_on_in_development_unless_site_url_is_given_and_never_in_production():
    base = {"DJANGO_SETTINGS_MODULE": "briefs_cms.settings", "SECRET_KEY": "x" * 60}
    assert settings_value({**base, "DEBUG": "1"}, "settings.SITE_URL_FROM_REQUEST") == "True"
    assert (
        settings_value({**base, "DEBUG": "1", "SITE_URL": "http://a.test"}, "settings.SITE_URL_FROM_REQUEST")
        == "False"
    )
    assert (
        settings_value({**base, "DEBUG": "0", "SITE_URL_FROM_REQUEST": "1"}, "settings.SITE_URL_FROM_REQUEST")
        == "False"
    )


def test_make_run_serves_and_mails_with_the_address_it_was_given():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    out = subprocess.run(
        [MAKE, "-n", "run", "PORT=8101"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    assert (
        "SITE_URL=http://127.0.0.1:8101 SITE_URL_FROM_REQUEST=1" in out and "runserver 127.0.0.1:8101" in out
    )
    given = subprocess.run(
        [MAKE, "-n", "run", "SITE_URL=https://briefs.example"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert "SITE_URL=https://briefs.example" in given and "SITE_URL_FROM_REQUEST" not in given
