"""Follow a term: RSS and Atom (and JSON Feed) of the published briefs that use it."""

import pytest

from tests.factories import BriefFactory, TermFactory
from tests.helpers import parse_xml

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def term():
    term = TermFactory(name="learning mechanics", slug="learning-mechanics")
    BriefFactory(published=True, headline="Uses it", terms=[term])
    BriefFactory(published=True, headline="Does not use it")
    BriefFactory(headline="A draft that uses it", terms=[term])
    BriefFactory(scheduled=True, headline="Scheduled, uses it", terms=[term])
    return term


def test_the_rss_feed_lists_the_published_briefs_using_the_term(client, term, settings):
    response = client.get("/glossary/learning-mechanics/feed/rss/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response.content).find("channel")
    assert [i.findtext("title") for i in channel.findall("item")] == ["Uses it"]
    assert channel.findtext("link") == settings.SITE_URL + "/glossary/learning-mechanics/"
    assert "learning mechanics" in channel.findtext("title")


def test_the_atom_feed_lists_the_same_briefs(client, term):
    response = client.get("/glossary/learning-mechanics/feed/atom/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    entries = parse_xml(response.content).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Uses it"]


def test_a_draft_or_unknown_term_has_no_feed(client):
    draft = TermFactory(name="unapproved", draft=True)
    for url in [f"/glossary/{draft.slug}/feed/rss/", "/glossary/nope/feed/atom/"]:
        assert client.get(url).status_code == 404, url


def test_the_term_page_links_its_feeds_for_readers_and_feed_readers(client, term):
    html = client.get("/glossary/learning-mechanics/").text
    for kind, mime in [
        ("rss", "application/rss+xml"),
        ("atom", "application/atom+xml"),
        ("json", "application/feed+json"),
    ]:
        assert f'<link rel="alternate" type="{mime}"' in html
        assert f'href="/glossary/learning-mechanics/feed/{kind}/"' in html
    assert "Follow this term:" in html


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_term_feeds_do_not_grow_with_content(client, django_assert_max_num_queries, kind):
    term = TermFactory(name="budget term")
    for i in range(40):
        BriefFactory(published=True, terms=[term], tags=[f"t{i}", "bulk"])
    with django_assert_max_num_queries(6):
        assert client.get(f"/glossary/{term.slug}/feed/{kind}/").status_code == 200
