import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from glossary.models import DEFINITION_MAX_LENGTH, Term, TermAlias
from tests.factories import TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_term_names_are_unique_ignoring_case():
    TermFactory(name="Learning Mechanics")
    with pytest.raises(ValidationError) as error:
        Term(name="learning mechanics", definition="x").full_clean()
    assert "already exists" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(name="LEARNING MECHANICS", definition="x", slug="other")


def test_definition_is_required_and_limited():
    with pytest.raises(ValidationError) as error:
        Term(name="x", definition="").full_clean()
    assert "definition" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Term(name="y", definition="d" * (DEFINITION_MAX_LENGTH + 1)).full_clean()
    assert "at most 1,500" in str(error.value.message_dict["definition"]) or "1500" in str(
        error.value.message_dict["definition"]
    )


def test_slug_is_generated_from_the_name():
    assert TermFactory(name="Large Language Model").slug == "large-language-model"


def test_aliases_are_unique_across_terms():
    TermAliasFactory(name="LLM")
    with pytest.raises(IntegrityError), transaction.atomic():
        TermAlias.objects.create(term=TermFactory(), name="llm")


def test_alias_cannot_be_another_terms_name():
    TermFactory(name="transformer")
    alias = TermAlias(term=TermFactory(), name="Transformer")
    with pytest.raises(ValidationError) as error:
        alias.full_clean()
    assert "already the name of a term" in error.value.message_dict["name"][0]


def test_term_name_cannot_be_another_terms_alias():
    TermAliasFactory(name="LLM")
    with pytest.raises(ValidationError) as error:
        Term(name="llm", definition="x").full_clean()
    assert "already an alias" in error.value.message_dict["name"][0]


def test_with_name_finds_terms_by_name_or_alias():
    term = TermFactory(name="large language model")
    TermAliasFactory(term=term, name="LLM")
    assert list(Term.objects.with_name("llm")) == [term]
    assert list(Term.objects.with_name("Large Language Model")) == [term]


def test_related_terms_are_symmetrical():
    a, b = TermFactory(), TermFactory()
    a.related_terms.add(b)
    assert list(b.related_terms.all()) == [a]
