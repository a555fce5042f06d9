import pytest

from briefs.models import LinkKind
from tests.factories import BriefFactory, SourceLinkFactory
from tests.helpers import parse_xml

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def brief():
    brief = BriefFactory(
        published=True,
        headline="Feed headline",
        points=["First point", "Second <point>"],
        tags=["theory"],
    )
    SourceLinkFactory(brief=brief, kind=LinkKind.PAPER)
    return brief


def test_rss_feed_has_full_points_and_the_primary_link(client, brief, settings):
    response = client.get("/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response.content).find("channel")
    (item,) = channel.findall("item")
    assert item.findtext("title") == "Feed headline"
    assert item.findtext("link") == settings.SITE_URL + brief.get_absolute_url()
    description = item.findtext("description")
    assert "<li>First point</li>" in description
    assert "<li>Second &lt;point&gt;</li>" in description
    assert (
        '<a href="https://www.alignmentforum.org/posts/example">Read full story at AI Alignment Forum →</a>'
        in (description)
    )
    assert [c.text for c in item.findall("category")] == ["theory"]


def test_atom_feed_has_full_points_and_the_primary_link(client, brief, settings):
    response = client.get("/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse_xml(response.content)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Feed headline"
    assert entry.find(f"{ATOM}link").get("href") == settings.SITE_URL + brief.get_absolute_url()
    summary = entry.findtext(f"{ATOM}summary")
    assert "<li>First point</li>" in summary and "Read full story at AI Alignment Forum →" in summary
    assert entry.findtext(f"{ATOM}updated")


def test_tag_feeds_list_only_briefs_with_that_tag(client, brief):
    BriefFactory(published=True, headline="Other topic", tags=["robotics"])
    for url in ["/tags/theory/feed/rss/", "/tags/theory/feed/atom/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert b"Feed headline" in response.content
        assert b"Other topic" not in response.content


def test_feed_for_an_unknown_tag_is_a_404(client):
    assert client.get("/tags/nope/feed/rss/").status_code == 404
    assert client.get("/tags/nope/feed/atom/").status_code == 404


def test_sitemap_lists_briefs_with_lastmod_terms_and_tags(client, brief, settings):
    from tests.factories import TermFactory

    term = TermFactory(name="glossary entry")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response.content)
    entries = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    brief_url = settings.SITE_URL + brief.get_absolute_url()
    assert entries[brief_url] == brief.published_at.date().isoformat()
    assert settings.SITE_URL + term.get_absolute_url() in entries
    assert settings.SITE_URL + "/tags/theory/" in entries
