"""Editors search with the same backend and every save refreshes the index."""

import pytest
from django.urls import reverse

from briefs.models import Brief
from search.backends import search_briefs
from search.indexing import update_search_vector, update_term_search_vector
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_saving_a_brief_in_the_admin_indexes_its_points_and_terms(client, superuser):
    term = TermFactory(name="world model")
    client.force_login(superuser)
    data = admin_form_data(client.get(reverse("admin:briefs_brief_add")))
    data.update(
        {
            "headline": "Platypus navigation",
            "dek": "Summary.",
            "points-0-text": "Electroreception guides the platypus.",
            "points-0-position": "0",
            "brief_terms-TOTAL_FORMS": "1",
            "brief_terms-0-term": str(term.pk),
            "brief_terms-0-position": "0",
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "primary",
            "links-0-publisher": "Nature",
            "links-0-url": "https://example.org/platypus",
            "links-0-position": "0",
        }
    )
    response = client.post(reverse("admin:briefs_brief_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    brief = Brief.objects.get(headline="Platypus navigation")
    everything = Brief.objects.all()
    assert list(search_briefs("electroreception", queryset=everything)) == [brief]
    assert list(search_briefs('"world model"', queryset=everything)) == [brief]


def test_renaming_a_term_in_the_admin_reindexes_the_briefs_that_use_it(client, superuser):
    term = TermFactory(name="old name")
    brief = BriefFactory(published=True, terms=[term])
    update_search_vector([brief.pk])
    update_term_search_vector([term.pk])
    client.force_login(superuser)
    url = reverse("admin:glossary_term_change", args=[term.pk])
    data = admin_form_data(client.get(url)) | {"name": "hyperbolic embedding"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(search_briefs("hyperbolic embedding")) == [brief]
    assert not search_briefs('"old name"').exists()


def test_admin_brief_search_finds_drafts_too(client, superuser, reindex):
    BriefFactory(headline="Draft about tardigrades")
    BriefFactory(published=True, headline="Published about tardigrades")
    BriefFactory(published=True, headline="Unrelated")
    reindex()
    client.force_login(superuser)
    response = client.get(reverse("admin:briefs_brief_changelist"), {"q": "tardigrades"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


@pytest.mark.postgres
def test_admin_search_matches_word_prefixes_while_typing(client, superuser, reindex):
    BriefFactory(headline="Learning mechanics explained")
    TermFactory(name="learning mechanics")
    reindex()
    client.force_login(superuser)
    briefs = client.get(reverse("admin:briefs_brief_changelist"), {"q": "lea mech"})
    assert briefs.context["cl"].result_count == 1
    terms = client.get(reverse("admin:glossary_term_changelist"), {"q": "lea mech"})
    assert terms.context["cl"].result_count == 1


@pytest.mark.postgres
def test_admin_search_finds_a_brief_by_its_pasted_slug(client, superuser, reindex):
    brief = BriefFactory(headline="Octopus arms compute locally")
    reindex()
    client.force_login(superuser)
    response = client.get(reverse("admin:briefs_brief_changelist"), {"q": brief.slug})
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("query", ["'; DROP TABLE", '"', "- or", "\u202e", "x" * 1000])
def test_admin_search_survives_odd_input(query, client, superuser, reindex):
    BriefFactory(headline="Anything")
    reindex()
    client.force_login(superuser)
    assert client.get(reverse("admin:briefs_brief_changelist"), {"q": query}).status_code == 200
    assert client.get(reverse("admin:glossary_term_changelist"), {"q": query}).status_code == 200


def test_term_autocomplete_uses_the_search(client, superuser, reindex):
    TermFactory(name="learning mechanics")
    reindex()
    client.force_login(superuser)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "learning", "app_label": "briefs", "model_name": "briefterm", "field_name": "term"},
    )
    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"] if r["id"]] == ["learning mechanics"]
