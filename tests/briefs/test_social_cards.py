"""A brief without a hero image shares a 1200×630 card: headline, site name and first point."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from briefs import services, social_cards
from briefs.models import BriefPoint
from tests.factories import BriefFactory, image_file

pytestmark = pytest.mark.django_db


def og_image(html):
    return re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)


def stored_cards():
    try:
        return sorted(default_storage.listdir(social_cards.FOLDER)[1])
    except FileNotFoundError:
        return []


def test_a_brief_without_an_image_has_its_card_as_og_image_with_size_and_alt(client, settings):
    brief = BriefFactory(published=True, headline="Sparse models learn faster", points=["They do."])
    html = client.get(brief.get_absolute_url()).text
    url = og_image(html)
    assert url.startswith(f"{settings.SITE_URL}/briefs/{brief.slug}/social-card.png?v=")
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert (
        f'<meta property="og:image:alt" content="Sparse models learn faster — {settings.SITE_NAME}">' in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert stored_cards() == []  # showing the page draws nothing


def test_the_card_is_a_1200_by_630_png_drawn_once_and_then_read_from_storage(client, monkeypatch):
    brief = BriefFactory(published=True)
    response = client.get(f"/briefs/{brief.slug}/social-card.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert len(stored_cards()) == 1

    def no_drawing(*args, **kwargs):
        raise AssertionError("the card was drawn again")

    monkeypatch.setattr(social_cards, "render", no_drawing)
    from django.core.cache import cache

    cache.clear()  # past the page cache: the view reads the stored file
    assert client.get(f"/briefs/{brief.slug}/social-card.png").content == response.content


def test_a_new_headline_or_first_point_makes_a_new_card_and_removes_the_old_one(client):
    brief = BriefFactory(published=True, headline="First wording", points=["Point A", "Point B"])
    before = og_image(client.get(brief.get_absolute_url()).text)
    client.get(f"/briefs/{brief.slug}/social-card.png")
    (old,) = stored_cards()

    BriefPoint.objects.filter(brief=brief, position=1).update(text="Point B, edited")  # not on the card
    assert og_image(client.get(brief.get_absolute_url()).text) == before

    brief.headline = "Second wording"
    services.save_brief(brief)
    after = og_image(client.get(brief.get_absolute_url()).text)
    assert after != before
    client.get(f"/briefs/{brief.slug}/social-card.png")
    (new,) = stored_cards()
    assert new != old


def test_a_card_fits_a_very_long_headline_and_point():
    png = social_cards.render("Word " * 60, "Another word " * 80)
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_a_brief_with_a_hero_image_shares_its_image_not_a_card(client, settings):
    brief = BriefFactory(published=True, hero_image=image_file(), hero_alt="A chart", hero_credit="Lab")
    html = client.get(brief.get_absolute_url()).text
    assert og_image(html) == settings.SITE_URL + brief.hero_og_image.file.url  # its 1200×630 crop
    assert '<meta property="og:image:alt" content="A chart">' in html


@pytest.mark.parametrize("state", [{}, {"in_review": True}, {"scheduled": True}])
def test_no_card_for_a_brief_readers_cannot_see(client, state):
    brief = BriefFactory(**state)
    assert client.get(f"/briefs/{brief.slug}/social-card.png").status_code == 404
    assert stored_cards() == []
