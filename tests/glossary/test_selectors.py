import pytest

from glossary.selectors import briefs_using, search_terms
from tests.factories import BriefFactory, TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_briefs_using_a_term_are_only_published_ones():
    term = TermFactory()
    live = BriefFactory(published=True, terms=[term])
    BriefFactory(terms=[term])
    BriefFactory(scheduled=True, terms=[term])
    assert list(briefs_using(term)) == [live]


def test_search_finds_terms_by_name_alias_or_definition_words():
    rlhf = TermFactory(name="reinforcement learning from human feedback", definition="Uses preferences.")
    TermAliasFactory(term=rlhf, name="RLHF")
    grok = TermFactory(name="grokking", definition="Sudden generalisation after long training.")
    TermFactory(name="hidden", definition="Sudden generalisation.", draft=True)
    assert list(search_terms("rlhf")) == [rlhf]
    assert list(search_terms("human feedback")) == [rlhf]
    assert list(search_terms("sudden generalisation")) == [grok]
    assert list(search_terms("  ")) == []
