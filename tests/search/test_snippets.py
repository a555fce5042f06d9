"""Snippets are escaped text in which only <mark> is markup."""

import re

import pytest

from search.backends import attach_snippets, search_briefs
from search.snippets import START, STOP, from_sentinels, highlight
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db

ONLY_MARK_TAGS = re.compile(r"<(?!/?mark>)")


def test_highlight_marks_every_match_and_escapes_the_rest():
    html = highlight("Deep <b>learning</b> & learning", ["learning"])
    assert html == "Deep &lt;b&gt;<mark>learning</mark>&lt;/b&gt; &amp; <mark>learning</mark>"


def test_highlight_shows_a_window_around_the_first_match():
    text = "word " * 200 + "needle " + "word " * 200
    html = highlight(text, ["needle"], width=100)
    assert "<mark>needle</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 200


def test_sentinels_become_mark_tags_only_after_escaping():
    html = from_sentinels(f"<script>alert(1)</script> {START}found{STOP} & done")
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>found</mark> &amp; done"


def test_unbalanced_sentinels_are_dropped():
    assert from_sentinels(f"a {START}b") == "a b"


def test_a_brief_containing_script_never_reaches_the_page_as_markup(reindex, client):
    BriefFactory(
        published=True,
        headline="Injection <script>alert('h')</script> study",
        dek="We found <script>alert('x')</script> in the prompt injection corpus <img src=x onerror=y>.",
        points=["Prompt injection <b>bold</b> point."],
    )
    reindex()
    brief = attach_snippets(search_briefs("injection"), "injection")[0]
    assert "<mark>" in brief.snippet
    assert not ONLY_MARK_TAGS.search(brief.snippet), brief.snippet
    assert "<script" not in brief.snippet and "<img" not in brief.snippet

    page = client.get("/search/", {"q": "injection"}).text
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;h&#x27;)&lt;/script&gt;" in page


def test_text_matching_the_marker_characters_cannot_forge_markup(reindex):
    BriefFactory(published=True, headline="Marker test", dek=f"Sneaky {START}<i>x</i>{STOP} marker text.")
    reindex()
    brief = attach_snippets(search_briefs("marker"), "marker")[0]
    assert not ONLY_MARK_TAGS.search(brief.snippet), brief.snippet
    assert START not in brief.snippet and STOP not in brief.snippet
