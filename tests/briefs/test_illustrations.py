"""Demo briefs get drawn hero images, with alt text and credit, through the normal image path."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from briefs.illustrations import CREDIT, SIZE, add_illustration, illustration_for
from briefs.models import Brief, HeroRendition
from tests.factories import BriefFactory, image_file

pytestmark = pytest.mark.django_db


def test_the_same_slug_always_gives_the_same_picture_and_another_slug_another():
    first = illustration_for("a-slug")
    assert illustration_for.__wrapped__("a-slug").image == first.image  # drawn again, not cached
    assert illustration_for("another-slug").image != first.image
    image = Image.open(io.BytesIO(first.image))
    assert (image.format, image.size) == ("JPEG", SIZE)


def test_the_alt_text_says_what_the_drawing_shows():
    alt = illustration_for("new-model-predicts-cancer-treatment-response").alt
    assert alt.startswith("Abstract illustration: ") and alt.endswith(".")
    assert " in " in alt  # the shapes, then the palette's colours


def test_add_illustration_saves_a_reencoded_hero_with_alt_text_and_credit():
    brief = BriefFactory(published=True)
    assert add_illustration(brief) is True
    brief.refresh_from_db()
    assert brief.hero_image.name.startswith("heroes/") and brief.hero_image.name.endswith(".jpg")
    assert (brief.hero_width, brief.hero_height) == SIZE
    assert brief.hero_alt.startswith("Abstract illustration")
    assert brief.hero_credit == CREDIT
    brief.full_clean()  # alt text and credit, as any image needs


def test_renditions_are_built_for_the_drawing_like_for_an_upload(django_capture_on_commit_callbacks):
    brief = BriefFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        add_illustration(brief)
    widths = set(HeroRendition.objects.filter(brief=brief, purpose="srcset").values_list("width", flat=True))
    assert widths == {480, 960, 1600}
    assert HeroRendition.objects.filter(brief=brief, purpose="og", width=1200, height=630).exists()


def test_an_image_an_editor_chose_is_never_replaced():
    brief = BriefFactory(published=True, hero_image=image_file(), hero_alt="A photo", hero_credit="Jane Doe")
    name = brief.hero_image.name
    assert add_illustration(brief) is False
    brief.refresh_from_db()
    assert (brief.hero_image.name, brief.hero_alt, brief.hero_credit) == (name, "A photo", "Jane Doe")


def test_load_demo_gives_every_brief_an_illustration_and_keeps_an_editors_image():
    call_command("load_demo")
    assert not Brief.objects.filter(hero_image="").exists()
    assert set(Brief.objects.values_list("hero_credit", flat=True)) == {CREDIT}
    edited = Brief.objects.get(slug="ai-helps-identify-at-risk-teens")
    edited.hero_image = image_file(name="mine.png")
    edited.hero_alt, edited.hero_credit = "The editor's photo", "Newsroom"
    edited.save()
    name = edited.hero_image.name
    call_command("load_demo")
    edited.refresh_from_db()
    assert (edited.hero_image.name, edited.hero_alt, edited.hero_credit) == (
        name,
        "The editor's photo",
        "Newsroom",
    )
