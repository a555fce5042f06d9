"""The one rule: readers see only `Brief.objects.published()`, on every public surface."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import BriefFactory, TermFactory
from tests.helpers import publish_now

pytestmark = pytest.mark.django_db

UNPUBLISHED = {
    "draft": {},
    "in review": {"in_review": True},
    "changes requested": {"changes_requested": True},
    "scheduled": {"scheduled": True},
    "archived": {"archived": True},
}


@pytest.fixture
def term():
    return TermFactory(name="shared concept")


@pytest.fixture
def neighbour(term):
    """A published brief sharing the term and a tag, so every surface exists before the walk."""
    return BriefFactory(published=True, headline="Neighbour brief", terms=[term], tags=["common"])


def surfaces(neighbour, term):
    """Every public page or document that could list a brief with the term and the tag."""
    return {
        "home": "/",
        "related on a brief page": neighbour.get_absolute_url(),
        "term page": term.get_absolute_url(),
        "term page, oldest first": term.get_absolute_url() + "?order=oldest",
        "tag page": "/tags/common/",
        "RSS": "/feed/rss/",
        "Atom": "/feed/atom/",
        "tag RSS": "/tags/common/feed/rss/",
        "tag Atom": "/tags/common/feed/atom/",
        "sitemap": "/sitemap.xml",
    }


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_an_unpublished_brief_is_invisible_everywhere_until_it_is_published(client, term, neighbour, state):
    hidden = BriefFactory(
        headline="Secret xyzzy headline", terms=[term], tags=["common", "secret"], **UNPUBLISHED[state]
    )
    pages = surfaces(neighbour, term)

    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert hidden.slug not in response.content.decode(), f"{state} brief leaks on {name}"
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get("/tags/secret/").status_code == 404
    assert client.get("/tags/secret/feed/rss/").status_code == 404
    glossary = {t.name: t.brief_count for t in client.get("/glossary/").context["terms"]}
    assert glossary["shared concept"] == 1
    tags = {t.name: t.brief_count for t in client.get("/tags/").context["tags"]}
    assert tags == {"common": 1}

    publish_now(hidden)

    for name, url in pages.items():
        assert hidden.slug in client.get(url).content.decode(), f"published brief missing from {name}"
    assert client.get(hidden.get_absolute_url()).status_code == 200
    assert client.get("/tags/secret/").status_code == 200
    glossary = {t.name: t.brief_count for t in client.get("/glossary/").context["terms"]}
    assert glossary["shared concept"] == 2
    tags = {t.name: t.brief_count for t in client.get("/tags/").context["tags"]}
    assert tags == {"common": 2, "secret": 1}


def test_a_scheduled_brief_appears_on_its_own_when_its_time_comes(client, monkeypatch):
    brief = BriefFactory(scheduled=True, headline="Comes later")
    assert client.get(brief.get_absolute_url()).status_code == 404
    later = brief.published_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(brief.get_absolute_url()).status_code == 200
    assert "Comes later" in client.get("/").text
