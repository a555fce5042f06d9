"""A term's definition is one hover, focus or tap away, without JavaScript."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SEED = "/briefs/new-paper-argues-for-a-scientific-theory-of-deep-learning/"


def test_on_a_touch_screen_a_tap_shows_the_definition_without_leaving_the_page(new_context, live_server):
    call_command("load_demo")
    phone = new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = phone.new_page()
    page.goto(live_server.url + SEED)
    tip = page.locator(".points .term-ref__tip").first
    expect(tip).to_be_hidden()

    page.get_by_role("button", name="Definition of learning mechanics").tap()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("framework inspired by physics")
    assert page.url == live_server.url + SEED

    page.mouse.click(5, 5)  # tapping elsewhere closes it (light dismiss)
    expect(tip).to_be_hidden()


def test_with_a_mouse_the_tap_button_is_not_shown(page, live_server):
    call_command("load_demo")
    page.goto(live_server.url + SEED)
    expect(page.get_by_role("button", name="Definition of learning mechanics")).to_be_hidden()
