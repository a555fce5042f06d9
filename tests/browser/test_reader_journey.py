"""A reader, with no account, finds and reads a brief, looks up a term by keyboard and by mouse,
follows the links to more reading, searches, and cannot reach a draft."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEED = "New Paper Argues for a Scientific Theory of Deep Learning"


def tab_to(page, target, limit=40):
    """Press Tab until `target` has the keyboard focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached with {limit} presses of Tab")


def test_reader_reads_a_brief_looks_up_a_term_and_follows_the_links(page, live_server, screenshot):
    call_command("load_demo")
    draft = BriefFactory(headline="Embargoed draft")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Embargoed draft")).to_have_count(0)
    screenshot("reader-home")
    page.get_by_role("link", name=SEED).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED)
    points = page.get_by_role("region", name="In brief").get_by_role("listitem")
    expect(points).to_have_count(7)
    expect(points.nth(1)).to_contain_text("The authors propose a framework called")
    expect(page.get_by_role("link", name="Read full story at AI Alignment Forum →")).to_be_visible()

    # The term's definition appears when the link gets keyboard focus…
    term = page.locator(".points .term-ref").filter(has_text="learning mechanics").first
    link, tip = term.get_by_role("link", name="learning mechanics"), term.get_by_role("tooltip")
    expect(tip).to_be_hidden()
    tab_to(page, link)
    expect(link).to_be_focused()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("physics")
    expect(link).to_have_accessible_description(re.compile("physics"))
    screenshot("reader-term-tooltip-keyboard")
    page.keyboard.press("Tab")
    expect(tip).to_be_hidden()

    # …and when the pointer rests on it.
    link.hover()
    expect(tip).to_be_visible()
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()

    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("learning mechanics")
    page.go_back()

    page.get_by_role("region", name="Tags").get_by_role("link", name="theory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tag theory")
    expect(page.get_by_role("link", name=SEED).first).to_be_visible()
    page.go_back()

    more = page.get_by_role("complementary", name="More briefs").get_by_role("link").first
    other = more.inner_text()
    more.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(other)

    search = page.get_by_role("searchbox", name="Search briefs")
    search.fill("learning mechanics")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=learning\+mechanics"))
    expect(page.get_by_role("main").get_by_role("link", name=SEED).first).to_be_visible()
    screenshot("reader-search")

    response = page.goto(live_server.url + draft.get_absolute_url())
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
