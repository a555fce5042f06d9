import pytest

from tests.factories import BriefFactory, TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_terms_are_listed_in_slug_order_with_definitions(client):
    TermFactory(name="zeta")
    TermFactory(name="alpha")
    data = client.get("/api/v1/terms/").json()
    assert [t["slug"] for t in data["results"]] == ["alpha", "zeta"]
    assert data["results"][0]["definition"]
    assert data["results"][0]["api_url"].endswith("/api/v1/terms/alpha/")


def test_term_detail_lists_aliases_related_terms_and_published_briefs(client):
    term = TermFactory(name="large language model")
    TermAliasFactory(term=term, name="LLM")
    related = TermFactory(name="transformer")
    term.related_terms.add(related)
    live = BriefFactory(published=True, terms=[term])
    BriefFactory(terms=[term])
    data = client.get(f"/api/v1/terms/{term.slug}/").json()
    assert data["aliases"] == ["LLM"]
    assert [t["slug"] for t in data["related"]] == [related.slug]
    assert [b["slug"] for b in data["briefs"]] == [live.slug]


def test_unknown_term_is_a_json_404(client):
    response = client.get("/api/v1/terms/no-such-term/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No term has the slug 'no-such-term'."}


def test_tags_count_only_published_briefs_and_leave_unused_tags_out(client):
    BriefFactory(published=True, tags=["safety", "theory"])
    BriefFactory(published=True, tags=["safety"])
    BriefFactory(tags=["safety", "drafts-only"])
    assert client.get("/api/v1/tags/").json()["results"] == [
        {"name": "safety", "slug": "safety", "count": 2},
        {"name": "theory", "slug": "theory", "count": 1},
    ]


def test_term_detail_shows_the_newest_twenty_briefs_and_links_to_the_rest(client):
    term = TermFactory(name="attention")
    BriefFactory.create_batch(21, published=True, terms=[term])
    data = client.get(f"/api/v1/terms/{term.slug}/").json()
    assert data["brief_count"] == 21 and len(data["briefs"]) == 20
    assert data["briefs_url"] == f"http://127.0.0.1:8000/api/v1/briefs/?term={term.slug}"
