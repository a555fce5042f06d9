import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import BriefFactory, TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


class TestGlossaryIndex:
    def test_terms_are_grouped_a_to_z_with_a_letter_index(self, client):
        TermFactory(name="deep learning")
        TermFactory(name="Attention")
        TermFactory(name="diffusion model")
        TermFactory(name="3D reconstruction")
        response = client.get(reverse("glossary:index"))
        assert response.status_code == 200
        groups = {g.letter: [t.name for t in g.terms] for g in response.context["letters"]}
        assert groups["A"] == ["Attention"]
        assert groups["D"] == ["deep learning", "diffusion model"]
        assert groups["#"] == ["3D reconstruction"]
        html = response.text
        assert '<a href="#letter-d">D</a>' in html
        assert '<a role="link" aria-disabled="true">B</a>' in html
        assert html.index("Attention") < html.index("deep learning") < html.index("diffusion model")

    def test_each_term_shows_a_one_line_definition_and_its_published_brief_count(self, client):
        term = TermFactory(name="attention", definition="Word " * 100)
        BriefFactory.create_batch(2, published=True, terms=[term])
        BriefFactory(terms=[term])
        TermFactory(name="unused")
        html = client.get("/glossary/").text.split("</head>")[1]
        assert "Used in 2 briefs" in html
        assert "Not used in a brief yet" in html
        assert "Word " * 100 not in html and "Word Word…" in html

    def test_filter_box_works_without_javascript(self, client):
        TermFactory(name="large language model")
        TermAliasFactory(term=TermFactory(name="transformer"), name="attention network")
        TermFactory(name="robotics")
        response = client.get("/glossary/?q=LANGUAGE")
        assert [t.name for t in response.context["terms"]] == ["large language model"]
        assert '<form class="filter" method="get" action="/glossary/">' in response.text
        assert 'value="LANGUAGE"' in response.text
        by_alias = client.get("/glossary/?q=attention")
        assert [t.name for t in by_alias.context["terms"]] == ["transformer"]

    def test_a_filter_matching_nothing_says_so(self, client):
        TermFactory(name="robotics")
        assert "No term matches “zebra”." in client.get("/glossary/?q=zebra").text


class TestTermPage:
    @pytest.fixture
    def term(self):
        term = TermFactory(name="large language model", definition="A model of text.")
        TermAliasFactory(term=term, name="LLM")
        TermAliasFactory(term=term, name="language model")
        term.related_terms.add(TermFactory(name="generative AI"))
        return term

    def test_shows_name_aliases_definition_and_related_terms(self, client, term):
        response = client.get(term.get_absolute_url())
        assert response.status_code == 200
        html = response.text
        assert '<h1 class="page-title">large language model</h1>' in html
        assert "Also called:" in html and "LLM" in html and "language model" in html
        assert "A model of text." in html
        assert '<a href="/glossary/generative-ai/">generative AI</a>' in html

    def test_lists_published_briefs_newest_first(self, client, term):
        old = BriefFactory(published=True, terms=[term], published_at=days_ago(5))
        new = BriefFactory(published=True, terms=[term], published_at=days_ago(1))
        BriefFactory(terms=[term], headline="Draft using the term")
        response = client.get(term.get_absolute_url())
        assert list(response.context["briefs"]) == [new, old]
        assert "Draft using the term" not in response.text

    def test_order_oldest_lists_briefs_oldest_first(self, client, term):
        old = BriefFactory(published=True, terms=[term], published_at=days_ago(5))
        new = BriefFactory(published=True, terms=[term], published_at=days_ago(1))
        response = client.get(term.get_absolute_url() + "?order=oldest")
        assert list(response.context["briefs"]) == [old, new]
        assert "oldest first</strong>" in response.text

    def test_briefs_are_paginated_and_keep_the_order(self, client, term):
        for i in range(21):
            BriefFactory(published=True, terms=[term], published_at=days_ago(i))
        page = client.get(term.get_absolute_url() + "?order=oldest")
        assert len(page.context["briefs"]) == 20
        assert 'href="?order=oldest&amp;page=2" rel="next"' in page.text
        assert len(client.get(term.get_absolute_url() + "?order=oldest&page=2").context["briefs"]) == 1
        assert client.get(term.get_absolute_url() + "?page=3").status_code == 404

    def test_a_term_no_brief_uses_yet_says_so(self, client, term):
        assert "No published brief uses this term yet." in client.get(term.get_absolute_url()).text

    def test_unknown_term_is_a_404(self, client):
        assert client.get("/glossary/no-such-term/").status_code == 404
