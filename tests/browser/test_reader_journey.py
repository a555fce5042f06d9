"""A reader, with no account, finds and reads a brief in a real browser."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEED = "new-paper-argues-for-a-scientific-theory-of-deep-learning"


def test_reader_opens_the_seed_brief_from_the_home_page(page, live_server, screenshot):
    call_command("load_demo")
    draft = BriefFactory(headline="Embargoed draft")

    page.goto(live_server.url + "/")
    screenshot("reader-home")
    page.get_by_role("link", name="New Paper Argues for a Scientific Theory of Deep Learning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "New Paper Argues for a Scientific Theory of Deep Learning"
    )
    expect(page.get_by_role("heading", name="In brief")).to_be_visible()
    expect(page.get_by_role("link", name="Read full story at AI Alignment Forum →")).to_be_visible()
    screenshot("reader-brief")

    page.get_by_role("link", name="learning mechanics").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("learning mechanics")

    response = page.goto(live_server.url + draft.get_absolute_url())
    assert response.status == 404
