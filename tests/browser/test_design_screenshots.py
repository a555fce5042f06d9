"""Every public page type, photographed at 1280 and 390 px in light and dark, for design review;
and a hero image whose file is missing shows a placeholder, not a broken image."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from playwright.sync_api import expect

from briefs.models import Brief

from .conftest import ARTIFACTS, WIDTHS

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "home": "/",
    "brief": "/briefs/new-paper-argues-for-a-scientific-theory-of-deep-learning/",
    "glossary": "/glossary/",
    "term": "/glossary/learning-mechanics/",
    "tag-list": "/tags/",
    "tag": "/tags/deep-learning/",
    "search": "/search/?q=learning",
    "not-found": "/briefs/no-such-brief/",
}

ALL_IMAGES_LOADED = """() => {
  document.querySelectorAll('img[loading="lazy"]').forEach(img => { img.loading = "eager"; });
  return Promise.all(Array.from(document.images).map(img => img.complete ? null
    : new Promise(done => { img.onload = img.onerror = done; })));
}"""


def photograph(page, name):
    """Full-page PNGs of what `page` shows, every image loaded (lazy ones too), at both widths."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(ALL_IMAGES_LOADED)
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_public_page_type_at_desktop_and_phone_widths(page, live_server, scheme):
    call_command("load_demo")
    page.emulate_media(color_scheme=scheme)
    for name, path in PAGES.items():
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "not-found" else 200), path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        photograph(page, f"design-{name}-{scheme}")
    for name in PAGES:
        for label in WIDTHS:
            assert (ARTIFACTS / f"design-{name}-{scheme}-{label}.png").stat().st_size > 10_000


def test_a_missing_hero_file_shows_a_placeholder_with_the_alt_text(page, live_server):
    from tests.factories import BriefFactory, image_file

    brief = BriefFactory(
        published=True, hero_image=image_file(size=(800, 450)), hero_alt="A lab bench", hero_credit="Lab"
    )
    Brief.objects.filter(pk=brief.pk).get().hero_renditions.all().delete()
    default_storage.delete(brief.hero_image.name)  # the file is gone; the row still names it

    page.goto(live_server.url + brief.get_absolute_url())
    image = page.locator(".hero img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth === 0")  # it did fail to load
    box = image.bounding_box()
    assert box["width"] > 300 and 0.5 < box["height"] / box["width"] < 0.6  # its space is kept
    # The placeholder covers the broken-image icon and shows the alt text.
    before = image.evaluate("img => getComputedStyle(img, '::before').backgroundImage")
    assert "gradient" in before
    words = image.evaluate("img => getComputedStyle(img, '::after').content")
    assert "Image not available" in words and "A lab bench" in words
    image.screenshot(path=str(ARTIFACTS / "design-missing-image.png"))
    page.screenshot(path=str(ARTIFACTS / "design-missing-image-page.png"), full_page=True)


def test_a_printed_brief_keeps_the_brief_and_its_sources_and_drops_the_rest(page, live_server):
    call_command("load_demo")
    page.goto(live_server.url + PAGES["brief"])
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".points li")).to_have_count(7)
    for hidden in (".site-header", ".site-footer", ".related", ".breadcrumbs", ".term-ref__tip"):
        expect(page.locator(hidden).first).to_be_hidden()
    after = page.locator(".read-more a").evaluate("a => getComputedStyle(a, '::after').content")
    assert "attr(href)" in after or "alignmentforum.org" in after  # where the link goes, on paper
    page.pdf(path=str(ARTIFACTS / "design-brief-print.pdf"))
