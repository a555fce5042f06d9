"""A reader can mark a term as known: its tips stop appearing everywhere, in this browser only.
Without JavaScript nothing changes: no button, and every tip still shows."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SEED = "/briefs/new-paper-argues-for-a-scientific-theory-of-deep-learning/"
TERM = "/glossary/learning-mechanics/"


def tip_in_points(page):
    ref = page.locator(".points .term-ref").filter(has_text="learning mechanics").first
    return ref, ref.get_by_role("link", name="learning mechanics"), ref.locator(".term-ref__tip")


def test_marking_a_term_known_on_its_page_quiets_its_tips_on_every_brief(page, live_server, screenshot):
    call_command("load_demo")
    page.goto(live_server.url + TERM)
    button = page.get_by_role("button", name="I know this term")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("status")).to_have_text(
        "Definition tips for “learning mechanics” are now hidden."
    )
    screenshot("known-term-marked")

    page.goto(live_server.url + SEED)
    ref, link, tip = tip_in_points(page)
    expect(ref).to_have_class("term-ref term-ref--known")
    link.hover()
    expect(tip).to_be_hidden()
    link.focus()
    expect(tip).to_be_hidden()
    assert link.get_attribute("aria-describedby") is None  # screen readers no longer read it out
    expect(link).to_have_attribute("href", TERM)  # still a link to the definition

    # The same choice shows in "Terms in this brief", where it can be undone.
    again = page.get_by_role("region", name="Terms in this brief").get_by_role(
        "button", name="I know this term"
    )
    expect(again).to_have_attribute("aria-pressed", "true")
    again.click()
    expect(again).to_have_attribute("aria-pressed", "false")
    link.hover()
    expect(tip).to_be_visible()
    assert link.get_attribute("aria-describedby") == tip.get_attribute("id")
    assert page.evaluate("localStorage.getItem('briefs:known-terms')") == "[]"


def test_the_choice_stays_in_this_browser(page, live_server, person):
    call_command("load_demo")
    page.goto(live_server.url + TERM)
    page.get_by_role("button", name="I know this term").click()
    page.reload()
    expect(page.get_by_role("button", name="I know this term")).to_have_attribute("aria-pressed", "true")

    someone_else = person()  # another browser: nothing was sent to the server
    someone_else.goto(live_server.url + SEED)
    _, link, tip = tip_in_points(someone_else)
    link.hover()
    expect(tip).to_be_visible()


def test_without_javascript_there_is_no_button_and_tips_work(new_context, live_server):
    call_command("load_demo")
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + TERM)
    expect(page.get_by_role("button", name="I know this term")).to_have_count(0)
    page.goto(live_server.url + SEED)
    expect(page.get_by_role("button", name="I know this term")).to_have_count(0)
    _, link, tip = tip_in_points(page)
    link.hover()
    expect(tip).to_be_visible()
