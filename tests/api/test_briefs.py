import datetime as dt

import pytest
from django.utils import timezone

from briefs.models import Correction, Status
from search.indexing import rebuild_search_index
from tests.factories import BriefFactory, TermFactory, UserFactory, image_file

pytestmark = pytest.mark.django_db

LIST = "/api/v1/briefs/"


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def hidden_briefs():
    """One brief in every state readers must not see."""
    return [
        BriefFactory(status=Status.DRAFT),
        BriefFactory(status=Status.IN_REVIEW),
        BriefFactory(scheduled=True),
        BriefFactory(status=Status.ARCHIVED, published_at=timezone.now() - dt.timedelta(days=2)),
    ]


def test_brief_list_shows_only_published_briefs_newest_first(client):
    now = timezone.now()
    older = BriefFactory(published=True, published_at=now - dt.timedelta(days=2))
    newer = BriefFactory(published=True, published_at=now - dt.timedelta(hours=1))
    hidden_briefs()
    response = client.get(LIST)
    assert response.status_code == 200
    assert slugs(response) == [newer.slug, older.slug]
    assert response.json()["count"] == 2


def test_no_api_surface_shows_a_brief_until_it_is_published(client):
    term = TermFactory()
    hidden = hidden_briefs()
    for brief in hidden:
        brief.tags.add("secret")
        brief.brief_terms.create(term=term)
        assert client.get(f"{LIST}{brief.slug}/").status_code == 404
    assert slugs(client.get(LIST)) == []
    assert client.get(f"/api/v1/terms/{term.slug}/").json()["briefs"] == []
    assert client.get("/api/v1/tags/").json()["results"] == []

    draft = hidden[0]
    draft.status, draft.published_at = Status.PUBLISHED, timezone.now() - dt.timedelta(minutes=1)
    draft.save()
    assert client.get(f"{LIST}{draft.slug}/").status_code == 200
    assert slugs(client.get(LIST)) == [draft.slug]
    assert [b["slug"] for b in client.get(f"/api/v1/terms/{term.slug}/").json()["briefs"]] == [draft.slug]
    assert client.get("/api/v1/tags/").json()["results"] == [{"name": "secret", "slug": "secret", "count": 1}]


def test_brief_list_filters_by_tag_and_term(client):
    term = TermFactory(name="scaling laws")
    tagged = BriefFactory(published=True, tags=["safety"])
    with_term = BriefFactory(published=True, terms=[term])
    BriefFactory(published=True)
    assert slugs(client.get(LIST, {"tag": "safety"})) == [tagged.slug]
    assert slugs(client.get(LIST, {"term": term.slug})) == [with_term.slug]
    assert slugs(client.get(LIST, {"tag": "no-such-tag"})) == []


def test_brief_list_filters_by_updated_since_using_the_update_time_or_the_publication_time(client):
    now = timezone.now()
    old = BriefFactory(published=True, published_at=now - dt.timedelta(days=10))
    updated = BriefFactory(
        published=True,
        published_at=now - dt.timedelta(days=10),
        content_updated_at=now - dt.timedelta(hours=2),
    )
    recent = BriefFactory(published=True, published_at=now - dt.timedelta(hours=1))
    since = (now - dt.timedelta(days=1)).isoformat()
    assert set(slugs(client.get(LIST, {"updated_since": since}))) == {updated.slug, recent.slug}
    assert old.slug in slugs(client.get(LIST, {"updated_since": "2000-01-01"}))


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-11-28T25:00", "1"])
def test_a_bad_updated_since_is_a_400_with_a_clear_message(client, value):
    response = client.get(LIST, {"updated_since": value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "updated_since must be an ISO-8601 date" in response.json()["detail"]


def test_q_matches_headline_or_summary_ignoring_case(client):
    by_headline = BriefFactory(published=True, headline="Sparse autoencoders explained")
    by_dek = BriefFactory(published=True, dek="How SPARSE features appear.")
    BriefFactory(published=True, headline="Something else", dek="Nothing here.")
    rebuild_search_index()  # as the admin and the API's writes do; the factory writes rows only
    assert set(slugs(client.get(LIST, {"q": "sparse"}))) == {by_headline.slug, by_dek.slug}


def test_brief_list_is_paginated_with_next_and_previous_links(client):
    BriefFactory.create_batch(21, published=True, author=UserFactory())
    first = client.get(LIST, {"tag": "", "page": 1}).json()
    assert first["count"] == 21 and len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"] == "http://127.0.0.1:8000/api/v1/briefs/?tag=&page=2"
    second = client.get(first["next"].removeprefix("http://127.0.0.1:8000")).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"] == "http://127.0.0.1:8000/api/v1/briefs/?tag=&page=1"


@pytest.mark.parametrize(("page", "status"), [("0", 400), ("two", 400), ("99", 404)])
def test_a_page_that_does_not_exist_is_a_json_error(client, page, status):
    BriefFactory(published=True)
    response = client.get(LIST, {"page": page})
    assert response.status_code == status
    assert response.json()["detail"]


def test_unknown_query_parameters_are_ignored(client):
    brief = BriefFactory(published=True)
    assert slugs(client.get(LIST, {"ordering": "headline", "colour": "blue"})) == [brief.slug]


def test_filters_with_control_characters_are_answered_not_crashed(client):
    BriefFactory(published=True)
    for name in ("q", "tag", "term"):
        assert client.get(LIST, {name: "a\x00b\u202e"}).status_code == 200
    assert client.get(f"{LIST}a%00b/").status_code == 404


def test_brief_detail_has_every_reader_visible_field(client, settings):
    settings.SITE_URL = "https://briefs.example"
    term = TermFactory(name="learning mechanics")
    brief = BriefFactory(
        published=True,
        points=["First point", "Second point"],
        terms=[term],
        tags=["theory"],
        body="Some **bold** text.\n\n<script>alert(1)</script>",
        hero_image=image_file(size=(64, 48)),
        hero_alt="A chart",
        hero_credit="Jane Doe",
        content_updated_at=timezone.now(),
    )
    Correction.objects.create(brief=brief, text="An earlier version misnamed the lab.")
    data = client.get(f"{LIST}{brief.slug}/").json()
    assert data["headline"] == brief.headline and data["dek"] == brief.dek
    assert data["points"] == ["First point", "Second point"]
    assert data["body_html"] == "<p>Some <strong>bold</strong> text.</p>"
    assert data["body_text"] == "Some bold text."
    assert data["terms"][0]["definition"] == term.definition
    assert data["terms"][0]["url"] == f"https://briefs.example/glossary/{term.slug}/"
    assert data["links"] == [
        {
            "kind": "primary",
            "url": "https://www.alignmentforum.org/posts/example",
            "publisher": "AI Alignment Forum",
            "title": "",
        }
    ]
    assert data["tags"] == [{"name": "theory", "slug": "theory"}]
    assert data["image"]["width"] == 64 and data["image"]["height"] == 48
    assert data["image"]["alt"] == "A chart" and data["image"]["credit"] == "Jane Doe"
    assert data["image"]["url"].startswith("https://briefs.example/media/heroes/")
    assert data["image"]["renditions"] and all(
        r["url"].startswith("https://briefs.example/media/renditions/") for r in data["image"]["renditions"]
    )
    assert data["url"] == f"https://briefs.example/briefs/{brief.slug}/"
    assert data["updated_at"] != data["published_at"]
    assert [c["text"] for c in data["corrections"]] == ["An earlier version misnamed the lab."]


def test_updated_falls_back_to_the_publication_time(client):
    brief = BriefFactory(published=True)
    data = client.get(f"{LIST}{brief.slug}/").json()
    assert data["updated_at"] == data["published_at"]


def test_brief_detail_lists_image_renditions_with_their_sizes(client, django_capture_on_commit_callbacks):
    from tests.factories import image_file

    with django_capture_on_commit_callbacks(execute=True):
        brief = BriefFactory(
            published=True,
            hero_image=image_file(size=(1000, 600)),
            hero_alt="A chart",
            hero_credit="Lab",
        )
    image = client.get(f"/api/v1/briefs/{brief.slug}/").json()["image"]
    widths = {(r["format"], r["width"]) for r in image["renditions"]}
    assert ("webp", 480) in widths and ("webp", 960) in widths
    assert all(r["width"] <= 1000 for r in image["renditions"])
    assert all(r["height"] for r in image["renditions"])
