"""The reader's /search/ page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db

URL = "/search/"

ODD_QUERIES = {
    "empty": "",
    "whitespace": "   \t  ",
    "1,000 characters": "learning " * 111 + "x",
    "only punctuation": "!@#$%^&*()_+-=[]{}|;:,.<>?/~`\"'\\",
    "unbalanced quotes": '"learning -"mechanics',
    "tsquery operators": "learning & | ! <-> :* mechanics (",
    "sql": "'; DROP TABLE briefs_brief; --",
    "sql comment": "1 OR 1=1 /*",
    "unicode": "Zürich 学习 力学 🤖 naïve café",
    "rtl arabic": "التعلم الآلي",
    "rtl hebrew": "למידה עמוקה",
    "bidi override": "abc\u202edcba",
    "nul byte": "learn\x00ing",
    "only minus": "- - -",
    "only or": "or or",
    "stop words": "the and of",
    "percent and underscore": "100% _x_",
}


def test_url_name_is_search_results():
    assert reverse("search:results") == URL


def test_an_empty_query_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert "brief found" not in response.text and "briefs found" not in response.text


def test_a_whitespace_query_shows_the_form(client):
    response = client.get(URL, {"q": "   "})
    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert "found" not in response.text


def test_the_results_page_is_noindex(client):
    response = client.get(URL, {"q": "anything"})
    assert '<meta name="robots" content="noindex">' in response.text


@pytest.mark.parametrize("query", ODD_QUERIES.values(), ids=ODD_QUERIES.keys())
def test_odd_queries_never_fail(query, client, reindex):
    BriefFactory(published=True, headline="Learning mechanics explained")
    reindex()
    response = client.get(URL, {"q": query, "page": "x"})
    assert response.status_code == 200


def test_a_nul_byte_is_dropped_not_an_error(client, reindex):
    BriefFactory(published=True, headline="Learning mechanics explained")
    reindex()
    response = client.get(URL, {"q": "learn\x00ing mechanics"})
    assert "Learning mechanics explained" in response.text


def test_a_long_query_is_cut_not_refused(client):
    response = client.get(URL, {"q": "a" * 1000})
    assert response.status_code == 200
    assert "a" * 201 not in response.text


@pytest.mark.parametrize("bad", ["2026-13-45", "yesterday", "0000-00-00", "9" * 50])
def test_an_invalid_date_is_a_form_error(bad, client):
    response = client.get(URL, {"q": "learning", "date_from": bad})
    assert response.status_code == 200
    assert "Enter a valid date." in response.text


def test_an_end_date_before_the_start_is_a_form_error(client):
    response = client.get(URL, {"q": "learning", "date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "The end date is before the start date." in response.text


def test_an_unknown_tag_is_a_form_error(client):
    response = client.get(URL, {"q": "learning", "tag": "no-such-tag"})
    assert response.status_code == 200
    assert "No published brief has the topic “no-such-tag”" in response.text


def test_filters_narrow_the_results(client, reindex):
    old = timezone.now() - dt.timedelta(days=400)
    BriefFactory(published=True, headline="Gecko robots climb", tags=["robots"])
    BriefFactory(published=True, headline="Gecko robots of old", tags=["robots"], published_at=old)
    BriefFactory(published=True, headline="Gecko skin", tags=["biology"])
    reindex()
    text = client.get(URL, {"q": "gecko", "tag": "robots"}).text
    assert "Gecko robots climb" in text and "Gecko robots of old" in text and "Gecko skin" not in text
    since = (timezone.now() - dt.timedelta(days=30)).date().isoformat()
    text = client.get(URL, {"q": "gecko", "tag": "robots", "date_from": since}).text
    assert "Gecko robots climb" in text and "Gecko robots of old" not in text


def test_tag_choices_come_from_published_briefs_only(client):
    BriefFactory(published=True, tags=["visible-topic"])
    BriefFactory(tags=["secret-topic"])
    text = client.get(URL).text
    assert "visible-topic" in text and "secret-topic" not in text


def test_matching_terms_are_shown_above_the_briefs(client, reindex):
    term = TermFactory(name="learning mechanics", definition="A physics-inspired theory of training.")
    BriefFactory(published=True, headline="Learning mechanics explained", terms=[term])
    reindex()
    text = client.get(URL, {"q": "learning mechanics"}).text
    assert "A physics-inspired theory of training." in text
    assert text.index(term.get_absolute_url()) < text.index("Learning mechanics explained")


def test_results_are_paginated_and_keep_the_query(client, reindex):
    for n in range(23):
        BriefFactory(published=True, headline=f"Quokka study {n}")
    reindex()
    first = client.get(URL, {"q": "quokka"})
    assert "23 briefs found" in first.text
    assert first.context["page_obj"].paginator.num_pages == 2
    assert "?q=quokka&amp;page=2" in first.text
    second = client.get(URL, {"q": "quokka", "page": "2"})
    assert len(second.context["briefs"]) == 3
    assert client.get(URL, {"q": "quokka", "page": "99"}).context["page_obj"].number == 2


def test_the_search_page_runs_a_bounded_number_of_queries(client, reindex, django_assert_max_num_queries):
    terms = [TermFactory(name=f"otter term {n}") for n in range(8)]
    for n in range(30):
        BriefFactory(
            published=True, headline=f"Otter behaviour {n}", terms=terms[:3], tags=["otters", f"t{n}"]
        )
    reindex()
    # First request: the page cache's next-publication bound and the cached topic list; on
    # PostgreSQL also the plan estimate that picks how to find the newest matches and the size
    # of the entry table (re-read every ten minutes). Then matches, count, page, snippets, terms.
    with django_assert_max_num_queries(9):
        response = client.get(URL, {"q": "otter", "tag": "otters"})
    assert response.status_code == 200
    assert len(response.context["briefs"]) == 20
    assert len(response.context["terms"]) == 5
    # Once the topic list and the table size are cached: no more than the search itself needs.
    with django_assert_max_num_queries(7):
        client.get(URL, {"q": "otter behaviour", "tag": "otters"})


def test_the_topic_list_offers_the_most_used_topics_and_accepts_any_published_one(client, monkeypatch):
    monkeypatch.setattr("search.forms.TOPIC_CHOICES", 1)
    BriefFactory(published=True, tags=["common-topic"])
    BriefFactory(published=True, tags=["common-topic", "rare-topic"])
    text = client.get(URL).text
    assert 'value="common-topic"' in text and "rare-topic" not in text

    response = client.get(URL, {"q": "anything", "tag": "rare-topic"})
    assert "No published brief has the topic" not in response.text
    assert '<option value="rare-topic" selected>' in response.text
