import pytest

from glossary import services
from glossary.matcher import find_terms
from glossary.models import Term, TermAlias, TermRedirect
from tests.factories import BriefFactory, TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    survivor = TermFactory(name="large language model")
    other = TermFactory(name="LLM model")
    TermAliasFactory(term=other, name="big LM")
    related = TermFactory(name="transformer")
    other.related_terms.add(related, survivor)
    return survivor, other, related


def test_merge_moves_briefs_aliases_and_related_terms(pair):
    survivor, other, related = pair
    only_other = BriefFactory(terms=[other])
    both = BriefFactory(terms=[survivor, other])
    services.merge_terms(survivor, [other])

    assert not Term.objects.filter(pk=other.pk).exists()
    assert list(only_other.terms.all()) == [survivor]
    assert list(both.terms.all()) == [survivor]
    assert set(survivor.aliases.values_list("name", flat=True)) == {"big LM", "LLM model"}
    assert list(survivor.related_terms.all()) == [related]


def test_merged_terms_name_is_still_found_in_text(pair):
    survivor, other, _ = pair
    services.merge_terms(survivor, [other])
    assert [m.term_id for m in find_terms("an LLM model")] == [survivor.pk]


def test_old_slug_redirects_permanently_to_the_survivor(pair, client):
    survivor, other, _ = pair
    old_url = other.get_absolute_url()
    services.merge_terms(survivor, [other])
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_redirects_to_a_merged_term_follow_it_to_the_survivor(pair, client):
    survivor, other, _ = pair
    TermRedirect.objects.create(old_slug="older-name", term=other)
    services.merge_terms(survivor, [other])
    assert client.get("/glossary/older-name/")["Location"] == survivor.get_absolute_url()


def test_unknown_slug_is_still_404(client):
    assert client.get("/glossary/never-existed/").status_code == 404


def test_merge_action_in_the_admin(client, moderator, pair):
    survivor, other, _ = pair
    client.force_login(moderator)
    ids = [survivor.pk, other.pk]
    page = client.post("/admin/glossary/term/", {"action": "merge_selected", "_selected_action": ids})
    assert "Choose the term to keep" in page.content.decode()
    client.post(
        "/admin/glossary/term/",
        {"action": "merge_selected", "_selected_action": ids, "survivor": survivor.pk, "confirm": "yes"},
    )
    assert list(Term.objects.filter(pk__in=ids)) == [survivor]
    assert TermAlias.objects.filter(term=survivor, name="LLM model").exists()


def test_deleting_a_term_used_by_published_briefs_lists_them(client, moderator):
    term = TermFactory(name="grokking")
    BriefFactory(headline="Grokking explained", published=True, terms=[term])
    BriefFactory(headline="A draft about grokking", terms=[term])
    client.force_login(moderator)
    page = client.get(f"/admin/glossary/term/{term.pk}/delete/").content.decode()
    assert "Published brief" in page and "Grokking explained" in page
    assert "Unpublished brief" in page and "A draft about grokking" in page
    assert page.index("Grokking explained") < page.index("A draft about grokking")
    client.post(f"/admin/glossary/term/{term.pk}/delete/", {"post": "yes"})
    assert Term.objects.filter(pk=term.pk).exists()


def test_unused_term_can_be_deleted(client, moderator):
    term = TermFactory(name="grokking")
    client.force_login(moderator)
    client.post(f"/admin/glossary/term/{term.pk}/delete/", {"post": "yes"})
    assert not Term.objects.filter(pk=term.pk).exists()
