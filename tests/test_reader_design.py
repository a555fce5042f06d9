"""The reader's site's assets: self-hosted fonts under 40 KB, preloaded; nothing from other hosts;
definitions shortened between words; a print stylesheet; placeholders for missing images."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import shorten
from tests.factories import BriefFactory, TermFactory

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "static" / "fonts"
CSS = (ROOT / "static" / "css" / "site.css").read_text()


def test_each_font_file_is_a_woff2_under_40_kb_with_its_licence():
    files = sorted(FONTS.glob("*.woff2"))
    assert [f.name for f in files] == [
        "newsreader-latin-600-normal.woff2",
        "public-sans-latin-wght-normal.woff2",
    ]
    for font in files:
        assert font.read_bytes()[:4] == b"wOF2", font.name
        assert font.stat().st_size <= 40 * 1024, font.name
    assert (FONTS / "OFL-Newsreader.txt").read_text().count("SIL Open Font License") >= 1
    assert (FONTS / "OFL-PublicSans.txt").read_text().count("SIL Open Font License") >= 1
    note = (FONTS / "README.md").read_text()
    assert "@fontsource/newsreader` 5.3.0" in note and "@fontsource-variable/public-sans` 5.3.0" in note


def test_every_font_face_says_how_to_display_and_points_at_a_committed_file():
    faces = re.findall(r"@font-face\s*{([^}]*)}", CSS)
    assert len(faces) == 2
    for face in faces:
        assert "font-display: swap" in face
        (url,) = re.findall(r'url\("\.\./fonts/([^"]+)"\)', face)
        assert (FONTS / url).exists()


def test_nothing_is_loaded_from_another_host():
    for path in [*ROOT.glob("static/**/*.css"), *ROOT.glob("templates/**/*.html")]:
        text = path.read_text()
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
        assert not re.search(r'<(link|script|img)[^>]+(href|src)="(https?:)?//', text), path


@pytest.mark.django_db
def test_pages_preload_the_two_fonts_and_load_the_print_stylesheet_without_blocking(client):
    html = client.get("/").text
    for font in ("public-sans-latin-wght-normal", "newsreader-latin-600-normal"):
        assert re.search(
            rf'<link rel="preload" href="/static/fonts/{font}\.woff2" as="font" type="font/woff2"'
            " crossorigin>",
            html,
        )
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert '<link rel="icon" href="/static/img/icon.svg" type="image/svg+xml">' in html


@given(st.text(alphabet=st.sampled_from("abc ,.\n"), max_size=80), st.integers(min_value=5, max_value=60))
def test_shorten_never_cuts_inside_a_word(text, limit):
    text = text.strip()
    short = shorten(text, limit)
    assert len(short) <= limit
    if short == text:
        return
    kept = short.removesuffix("…")
    assert short.endswith("…") and text.startswith(kept)
    first_word = text.split()[0]
    if len(first_word) >= limit:
        return  # a single word longer than the limit is the one thing cut inside
    # What follows the kept text in the original starts a new word (or is the dropped punctuation).
    rest = text[len(kept) :]
    assert rest[:1] in {" ", "\n", ",", "."}, (text, short)
    assert not kept or kept[-1] not in " ,.\n"


def test_shorten_cuts_at_the_last_space_and_drops_dangling_punctuation():
    text = "Learning mechanics studies training, and predicts behaviour of systems."
    assert shorten(text, 40) == "Learning mechanics studies training…"
    assert shorten(text, 500) == text
    assert shorten("Supercalifragilistic", 8) == "Superca…"  # one word longer than the limit


@pytest.mark.django_db
def test_the_glossary_cuts_definitions_between_words(client):
    TermFactory(name="representation", definition="representation " * 20)
    html = client.get("/glossary/").text
    (shown,) = re.findall(r"<dd>\s*<p>([^<]*)</p>", html)
    assert shown.endswith("representation…") and len(shown) <= 160


@pytest.mark.django_db
def test_a_missing_hero_file_gets_a_placeholder_not_a_broken_image(client):
    """The stylesheet draws the placeholder (and the alt text) where an image failed to load;
    the browser test checks it on screen. Here: the rules exist for every place images are shown."""
    for place in (".hero img", ".featured__figure img", ".brief-card__figure img"):
        assert f"{place}::before" in CSS and f"{place}::after" in CSS
    assert 'content: "Image not available: " attr(alt)' in CSS
    BriefFactory.create_batch(2, published=True)  # and a listed brief without an image gets a drawn panel
    assert (
        '<div class="brief-card__figure brief-card__placeholder" aria-hidden="true"></div>'
        in client.get("/").text
    )
