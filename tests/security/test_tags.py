"""Tags that differ only in case or Unicode form are one tag, never an IntegrityError."""

import unicodedata

import pytest
from taggit.models import Tag
from taggit.utils import parse_tags

from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def test_tags_differing_only_in_case_are_one_tag():
    first, second = BriefFactory(), BriefFactory()
    first.tags.add("Deep Learning")
    second.tags.add("deep learning")
    assert Tag.objects.count() == 1


def test_tags_differing_only_in_unicode_form_are_one_tag():
    composed = unicodedata.normalize("NFC", "Café")
    decomposed = unicodedata.normalize("NFD", "Café")
    assert composed != decomposed
    brief = BriefFactory()
    brief.tags.set(parse_tags(composed))
    other = BriefFactory()
    other.tags.set(parse_tags(decomposed))
    assert Tag.objects.count() == 1


def test_typed_tags_are_cleaned_and_deduplicated():
    assert parse_tags('Theory, theory , "AI safety", \u200bhidden\u202e, ,') == [
        "AI safety",
        "hidden",
        "Theory",
    ]
