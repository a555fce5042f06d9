"""Ranking and query syntax on a hand-built corpus."""

import datetime as dt

import pytest
from django.utils import timezone

from briefs.models import Brief
from search.backends import search_briefs
from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db


def headlines(query, **filters):
    return [brief.headline for brief in search_briefs(query, **filters)]


@pytest.fixture
def corpus(reindex):
    BriefFactory(
        published=True,
        headline="Weather report for the coast",
        dek="Rain later.",
        points=["Clouds."],
        body="A long note that mentions photonic chips only in passing.",
    )
    BriefFactory(
        published=True,
        headline="Photonic chips cut training energy",
        dek="Light instead of electrons.",
        points=["Optical links."],
    )
    BriefFactory(
        published=True,
        headline="Mechanics of learning in small networks",
        dek="Learning is studied; mechanics are measured.",
        points=["Toy models."],
    )
    BriefFactory(
        published=True,
        headline="A scientific theory of deep learning",
        dek="The authors name the field learning mechanics.",
        points=["Physics-style laws of training."],
    )
    reindex()


@pytest.mark.postgres
def test_a_headline_match_outranks_a_body_match(corpus):
    assert headlines("photonic chips") == [
        "Photonic chips cut training energy",
        "Weather report for the coast",
    ]


@pytest.mark.postgres
def test_a_quoted_phrase_matches_only_the_phrase(corpus):
    assert headlines('"learning mechanics"') == ["A scientific theory of deep learning"]


@pytest.mark.postgres
def test_without_quotes_the_words_may_appear_apart(corpus):
    assert set(headlines("learning mechanics")) == {
        "A scientific theory of deep learning",
        "Mechanics of learning in small networks",
    }


@pytest.mark.postgres
def test_minus_excludes_a_word(corpus):
    assert headlines("photonic -weather") == ["Photonic chips cut training energy"]


@pytest.mark.postgres
def test_or_finds_either_word(corpus):
    assert set(headlines("weather or photonic")) == {
        "Photonic chips cut training energy",
        "Weather report for the coast",
    }


@pytest.mark.postgres
def test_summary_points_and_term_names_outrank_the_body(reindex):
    term = TermFactory(name="sparse autoencoder")
    in_body = BriefFactory(published=True, headline="One", body="We trained a sparse autoencoder.")
    in_point = BriefFactory(published=True, headline="Two", points=["A sparse autoencoder helps."])
    in_terms = BriefFactory(published=True, headline="Three", terms=[term])
    reindex()
    found = list(search_briefs("sparse autoencoder"))
    assert found[-1] == in_body
    assert set(found[:2]) == {in_point, in_terms}


def test_equal_matches_come_newest_first(reindex):
    now = timezone.now()
    older = BriefFactory(published=True, headline="Robot arms", published_at=now - dt.timedelta(days=3))
    newer = BriefFactory(published=True, headline="Robot arms", published_at=now - dt.timedelta(days=1))
    reindex()
    assert list(search_briefs("robot arms")) == [newer, older]


def test_every_word_must_match_on_both_backends(corpus):
    assert headlines("photonic zebra") == []
    assert "Photonic chips cut training energy" in headlines("photonic training")


def test_a_headline_hit_comes_first_on_both_backends(corpus):
    assert headlines("photonic")[0] == "Photonic chips cut training energy"


def test_minus_and_or_work_on_both_backends(corpus):
    assert headlines("photonic -weather") == ["Photonic chips cut training energy"]
    assert set(headlines("weather or photonic")) == {
        "Photonic chips cut training energy",
        "Weather report for the coast",
    }


def test_filters_by_tag_and_inclusive_dates(reindex):
    day = timezone.now() - dt.timedelta(days=10)
    tagged = BriefFactory(published=True, headline="Agents plan", tags=["agents"], published_at=day)
    BriefFactory(published=True, headline="Agents act", tags=["robots"], published_at=day)
    old = BriefFactory(published=True, headline="Agents of old", published_at=day - dt.timedelta(days=30))
    reindex()
    assert headlines("agents", tag="agents") == ["Agents plan"]
    assert old.headline not in headlines("agents", date_from=day.date())
    assert set(headlines("agents", date_from=day.date(), date_to=day.date())) == {
        "Agents act",
        tagged.headline,
    }
    assert headlines("agents", date_to=(day - dt.timedelta(days=1)).date()) == ["Agents of old"]


@pytest.mark.postgres
def test_a_broad_search_ranks_only_the_most_recent_matches(reindex, client, monkeypatch):
    """Ranking every match of a common word does not scale: readers get the newest N, ranked."""
    import search.backends.postgres

    monkeypatch.setattr(search.backends.postgres, "RANKED_CANDIDATES", 2)
    now = timezone.now()
    for days, headline in [(3, "Gradient news, oldest"), (2, "Middle note"), (1, "Newest note")]:
        BriefFactory(
            published=True,
            headline=headline,
            body="Something about gradient descent.",
            published_at=now - dt.timedelta(days=days),
        )
    reindex()
    assert headlines("gradient") == ["Newest note", "Middle note"]
    assert len(search_briefs("gradient", queryset=Brief.objects.all())) == 3  # the admin
    html = client.get("/search/", {"q": "gradient"}).text
    assert "More than 2 briefs found" in html
    # The public API's q ranks the same newest matches, within its own filters.
    api = client.get("/api/v1/briefs/", {"q": "gradient"}).json()
    assert [item["headline"] for item in api["results"]] == ["Newest note", "Middle note"]


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["gradient", "gradient descent", '"gradient descent"', "gradient -noisy"])
def test_both_ways_of_finding_the_newest_matches_agree(reindex, monkeypatch, query):
    """Walking the date index and reading the GIN index are two plans for one answer."""
    import search.backends.postgres

    monkeypatch.setattr(search.backends.postgres, "RANKED_CANDIDATES", 4)
    now = timezone.now()
    for n in range(12):
        BriefFactory(
            published=True,
            headline=f"Note {n}",
            body="Gradient descent, noisy." if n % 3 == 0 else "Gradient descent." if n % 2 else "Other.",
            published_at=now - dt.timedelta(hours=n),
        )
    reindex()
    monkeypatch.setattr(search.backends.postgres, "WALK_COST", 0)  # always walk
    walked = headlines(query)
    monkeypatch.setattr(search.backends.postgres, "WALK_COST", 10**9)  # never walk
    assert headlines(query) == walked
    assert walked  # and there is something to agree on
