"""Search entries follow the content: briefs, their points and terms, and term renames."""

import pytest
from django.core.management import call_command

from briefs.models import BriefPoint
from search.backends import search_briefs, search_terms
from search.indexing import update_search_vector, update_term_search_vector
from search.models import BriefSearchEntry
from tests.factories import BriefFactory, TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_update_search_vector_holds_points_and_term_names_in_order():
    term = TermFactory(name="world model")
    brief = BriefFactory(points=["First point.", "Second point."], terms=[term])
    assert update_search_vector([brief.pk]) == 1
    assert BriefSearchEntry.objects.get(brief=brief).extra == "First point.\nSecond point.\nworld model"


def test_update_search_vector_is_idempotent_and_ignores_missing_ids():
    brief = BriefFactory()
    update_search_vector([brief.pk])
    assert update_search_vector([brief.pk, 999_999]) == 1
    assert BriefSearchEntry.objects.count() == 1


def test_update_search_vector_handles_many_briefs_in_chunks(settings):
    briefs = [BriefFactory(published=True, headline=f"Narwhal {n}") for n in range(5)]
    from search import indexing

    indexing.CHUNK_SIZE, old = 2, indexing.CHUNK_SIZE
    try:
        assert update_search_vector() == 5
    finally:
        indexing.CHUNK_SIZE = old
    assert set(search_briefs("narwhal")) == set(briefs)


@pytest.mark.postgres
def test_a_stored_vector_is_weighted_by_field():
    brief = BriefFactory(headline="Alpha", dek="Beta", points=["Gamma"], body="Delta")
    update_search_vector([brief.pk])
    vector = str(BriefSearchEntry.objects.get(brief=brief).vector)
    assert "'alpha':1A" in vector and "'beta':2B" in vector and "'gamma':3B" in vector
    assert "'delta':4" in vector and "'delta':4A" not in vector


def test_a_new_point_is_found_after_the_update():
    brief = BriefFactory(published=True)
    update_search_vector([brief.pk])
    BriefPoint.objects.create(brief=brief, text="Capybaras swim well.", position=5)
    assert not search_briefs("capybaras").exists()
    update_search_vector([brief.pk])
    assert list(search_briefs("capybaras")) == [brief]


def test_terms_are_found_by_name_alias_and_definition():
    term = TermFactory(
        name="retrieval augmented generation", definition="Looking things up before answering."
    )
    TermAliasFactory(term=term, name="RAG")
    update_term_search_vector()
    assert list(search_terms("retrieval")) == [term]
    assert list(search_terms("rag")) == [term]
    assert list(search_terms("answering")) == [term]


def test_a_term_named_like_the_query_comes_before_one_that_only_defines_it():
    defines = TermFactory(name="attention head", definition="Part of a transformer.")
    named = TermFactory(name="transformer", definition="A neural network architecture.")
    update_term_search_vector()
    assert list(search_terms("transformer")) == [named, defines]


def test_rebuild_search_index_command(capsys):
    BriefFactory()
    TermFactory()
    call_command("rebuild_search_index")
    assert "1 briefs, 1 terms" in capsys.readouterr().out
