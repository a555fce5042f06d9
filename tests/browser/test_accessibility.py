"""Public pages have no WCAG 2.2 A/AA violations (axe-core) in light and dark schemes,
and can be used with the keyboard alone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import WIDTHS

pytestmark = pytest.mark.django_db(transaction=True)

SEED = "/briefs/new-paper-argues-for-a-scientific-theory-of-deep-learning/"
PAGES = {
    "home": "/",
    "brief": SEED,
    "glossary": "/glossary/",
    "term": "/glossary/learning-mechanics/",
    "tag": "/tags/theory/",
    "search": "/search/?q=learning+mechanics",
    "not-found": "/briefs/no-such-brief/",
}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


@pytest.fixture
def demo(db):
    call_command("load_demo")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages_have_no_accessibility_violations(demo, page, live_server, scheme, screenshot):
    axe = Axe()
    page.emulate_media(color_scheme=scheme)
    problems = {}
    for name, path in PAGES.items():
        for width in WIDTHS.values():  # the desktop layout and the phone layout
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            results = axe.run(page, options=WCAG)
            if results.violations_count:
                problems[f"{name} at {width} px"] = results.generate_report()
        screenshot(f"a11y-{name}-{scheme}")
    assert not problems, "\n\n".join(f"{name}:\n{report}" for name, report in problems.items())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_known_terms_and_open_tips_have_no_accessibility_violations(demo, page, live_server, scheme):
    """The buttons the script adds, pressed and not, and a tip on screen, in both schemes."""
    axe = Axe()
    page.emulate_media(color_scheme=scheme)
    problems = {}
    page.goto(live_server.url + PAGES["term"])
    page.get_by_role("button", name="I know this term").click()
    for name in ("term", "brief"):
        page.goto(live_server.url + PAGES[name])
        expect(page.get_by_role("button", name="I know this term").first).to_have_attribute(
            "aria-pressed", "true"
        )
        results = axe.run(page, options=WCAG)
        if results.violations_count:
            problems[f"{name}, term known"] = results.generate_report()
    page.get_by_role("button", name="I know this term").first.click()
    page.locator(".points .term-ref__link").first.focus()
    expect(page.locator(".points .term-ref__tip").first).to_be_visible()
    results = axe.run(page, options=WCAG)
    if results.violations_count:
        problems["brief, tip open"] = results.generate_report()
    assert not problems, "\n\n".join(f"{name}:\n{report}" for name, report in problems.items())


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(demo, page, live_server):
    page.goto(live_server.url + SEED)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_control_on_the_brief_page_is_reachable_by_keyboard_with_visible_focus(demo, page, live_server):
    page.goto(live_server.url + SEED)
    controls = page.evaluate(
        "(window.__controls = Array.from("
        "document.querySelectorAll('a[href], button, input, select, textarea'))"
        ".filter(el => el.offsetParent !== null || getComputedStyle(el).position === 'fixed')).length"
    )
    reached = set()
    for _ in range(controls):
        page.keyboard.press("Tab")
        index, tag, html, visible_focus = page.evaluate(
            """() => { const el = document.activeElement; const s = getComputedStyle(el);
                return [window.__controls.indexOf(el), el.tagName, el.outerHTML.slice(0, 120),
                        s.outlineStyle !== 'none' || s.boxShadow !== 'none'
                        || s.textDecorationLine.includes('underline')]; }"""
        )
        assert tag != "BODY", f"Tab left the page after {len(reached)} of {controls} controls"
        assert visible_focus, f"no visible focus indicator on {html}"
        reached.add(index)
    assert len(reached) == controls
