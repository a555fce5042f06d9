"""JSON Feed 1.1 beside RSS and Atom: site-wide, per tag and per term, checked against the spec.

The schema below is the spec's (https://jsonfeed.org/version/1.1): the top-level object needs
`version`, `title` and `items`; each item an `id` and `content_html` or `content_text`; dates
are RFC 3339; `authors` are objects with at least one of name, url, avatar.
"""

import datetime as dt
import json

import jsonschema
import pytest

from tests.factories import BriefFactory, TermFactory, image_file

pytestmark = pytest.mark.django_db

AUTHOR = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "url": {"type": "string"}, "avatar": {"type": "string"}},
    "anyOf": [{"required": ["name"]}, {"required": ["url"]}, {"required": ["avatar"]}],
}
ITEM = {
    "type": "object",
    "required": ["id"],
    "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
    "properties": {
        "id": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "external_url": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "content_html": {"type": "string"},
        "content_text": {"type": "string"},
        "summary": {"type": "string"},
        "image": {"type": "string", "format": "uri"},
        "banner_image": {"type": "string", "format": "uri"},
        "date_published": {"type": "string", "format": "date-time"},
        "date_modified": {"type": "string", "format": "date-time"},
        "authors": {"type": "array", "items": AUTHOR},
        "tags": {"type": "array", "items": {"type": "string"}},
        "language": {"type": "string"},
    },
}
JSON_FEED_1_1 = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "description": {"type": "string"},
        "icon": {"type": "string"},
        "authors": {"type": "array", "items": AUTHOR},
        "language": {"type": "string"},
        "expired": {"type": "boolean"},
        "items": {"type": "array", "items": ITEM},
    },
}


def valid_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    data = json.loads(response.content)
    jsonschema.validate(data, JSON_FEED_1_1, format_checker=jsonschema.FormatChecker())
    for item in data["items"]:
        for key in ("date_published", "date_modified"):
            dt.datetime.fromisoformat(item[key])  # RFC 3339 with its offset
    return data


@pytest.fixture
def brief():
    brief = BriefFactory(
        published=True, headline="Feed headline", points=["First point", "Second <point>"], tags=["theory"]
    )
    return brief


def test_the_site_feed_is_json_feed_1_1_with_the_same_content_as_rss(client, brief, settings):
    BriefFactory(headline="A draft")
    data = valid_feed(client.get("/feed/json/"))
    assert data["feed_url"] == settings.SITE_URL + "/feed/json/"
    assert data["home_page_url"] == settings.SITE_URL + "/"
    (item,) = data["items"]
    url = settings.SITE_URL + brief.get_absolute_url()
    assert (item["id"], item["url"], item["title"]) == (url, url, "Feed headline")
    assert "<li>First point</li>" in item["content_html"]
    assert "<li>Second &lt;point&gt;</li>" in item["content_html"]
    assert "Read full story at AI Alignment Forum →" in item["content_html"]
    assert item["external_url"] == brief.primary_link.url
    assert item["tags"] == ["theory"]
    assert item["summary"] == brief.dek
    assert item["image"].startswith(f"{settings.SITE_URL}/briefs/{brief.slug}/social-card.png?v=")


def test_a_brief_with_a_hero_image_gives_it_as_the_item_image(client, settings):
    brief = BriefFactory(published=True, hero_image=image_file(), hero_alt="A chart", hero_credit="Lab")
    (item,) = valid_feed(client.get("/feed/json/"))["items"]
    assert item["image"] == settings.SITE_URL + brief.hero_image.url


def test_tag_and_term_json_feeds_list_only_their_briefs(client, brief):
    term = TermFactory(name="sparsity")
    other = BriefFactory(published=True, headline="Uses the term", terms=[term], tags=["robotics"])
    tag_items = valid_feed(client.get("/tags/theory/feed/json/"))["items"]
    assert [i["title"] for i in tag_items] == ["Feed headline"]
    term_feed = valid_feed(client.get(f"/glossary/{term.slug}/feed/json/"))
    assert [i["title"] for i in term_feed["items"]] == [other.headline]
    assert term_feed["title"].endswith("briefs using “sparsity”")


def test_unknown_tags_and_terms_have_no_feed(client, brief):
    draft = TermFactory(name="unapproved", draft=True)
    for url in ["/tags/nope/feed/json/", "/glossary/nope/feed/json/", f"/glossary/{draft.slug}/feed/json/"]:
        assert client.get(url).status_code == 404, url


def test_every_page_announces_the_json_feed(client, brief):
    html = client.get("/").text
    assert '<link rel="alternate" type="application/feed+json"' in html and 'href="/feed/json/"' in html
    assert 'href="/tags/theory/feed/json/"' in client.get("/tags/theory/").text


def test_json_feed_only_answers_get_and_head(client, brief):
    assert client.post("/feed/json/").status_code == 405
    assert client.head("/feed/json/").status_code == 200
