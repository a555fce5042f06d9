import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from briefs.models import Brief
from core.text import make_slug
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def test_slug_is_generated_from_the_headline():
    assert BriefFactory(headline="New Paper Argues for a Theory!").slug == "new-paper-argues-for-a-theory"


def test_accents_are_transliterated():
    assert BriefFactory(headline="Café résumé: naïve models").slug == "cafe-resume-naive-models"


def test_non_latin_headline_keeps_its_letters():
    assert BriefFactory(headline="深層学習の理論").slug == "深層学習の理論"


def test_punctuation_only_headline_falls_back_to_a_word():
    assert BriefFactory(headline="?!…").slug == "brief"


def test_duplicate_headlines_get_numbered_slugs():
    slugs = [BriefFactory(headline="Same headline").slug for _ in range(3)]
    assert slugs == ["same-headline", "same-headline-2", "same-headline-3"]


def test_very_long_headline_is_cut_at_a_word_boundary():
    slug = BriefFactory(headline="word " * 40).slug
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.split("-") == ["word"] * len(slug.split("-"))


def test_invisible_and_bidi_characters_never_reach_the_headline_or_slug():
    brief = BriefFactory(headline="Safe\u202e headline\u200b\x00")
    assert brief.headline == "Safe headline"
    assert brief.slug == "safe-headline"


def test_slug_can_change_before_first_publication():
    brief = BriefFactory()
    brief.slug = "a-better-address"
    brief.full_clean()
    brief.save()
    assert Brief.objects.get(pk=brief.pk).slug == "a-better-address"


def test_slug_is_stable_after_first_publication():
    brief = BriefFactory(published=True)
    brief.slug = "another-address"
    with pytest.raises(ValidationError) as error:
        brief.full_clean()
    assert "can no longer change" in error.value.message_dict["slug"][0]


@given(st.text(max_size=300))
def test_any_text_gives_a_url_safe_slug(text):
    slug = make_slug(text)
    assert slug
    assert len(slug) <= 80
    assert all(ch.isalnum() or ch in "-_" for ch in slug)
    assert slug == slug.strip("-")
