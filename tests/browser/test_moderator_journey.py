"""A moderator sends a brief back with a note, the contributor fixes it, and the moderator shares,
schedules and publishes it; readers see it only once it is live."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from briefs.models import Status
from tests.factories import BriefFactory, TermFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Small Models Learn to Check Their Own Arithmetic"
NOTE = "The second point overstates the result: say it was tested on grade-school problems only."
FIXED = "It was tested on grade-school arithmetic problems only."


@pytest.fixture
def brief_in_review(contributor):
    term = TermFactory(name="deep learning", definition="Training neural networks with many layers.")
    return BriefFactory(
        headline=HEADLINE,
        author=contributor,
        in_review=True,
        points=[
            "A deep learning model of 100 million parameters checks each step of its own sums.",
            "It solves every kind of mathematics problem.",
        ],
        terms=[term],
        tags=["reasoning"],
    )


def badge(page):
    return page.locator(".workflow-panel .brief-badge")


def test_moderator_requests_changes_then_shares_schedules_and_publishes(
    page, person, live_server, moderator, contributor, brief_in_review, screenshot
):
    public_url = live_server.url + brief_in_review.get_absolute_url()

    # The moderator finds the brief in the queue and reads it as readers would.
    log_in(page, live_server.url, moderator)
    page.get_by_role("rowheader", name="Moderation queue").get_by_role("link").click()
    page.get_by_role("link", name=HEADLINE).click()
    expect(badge(page)).to_have_text("In review")
    page.get_by_role("link", name="Preview").click()
    expect(page.locator(".points li").nth(1)).to_have_text("It solves every kind of mathematics problem.")
    page.go_back()

    page.get_by_label("What needs to change").fill(NOTE)
    page.get_by_role("button", name="Request changes").click()
    expect(badge(page)).to_have_text("Changes requested")

    # The contributor, at another computer, finds the note on their brief, fixes it and resubmits.
    author = person()
    log_in(author, live_server.url, contributor)
    author.get_by_role("rowheader", name="My briefs").get_by_role("link").click()
    author.get_by_role("link", name=HEADLINE).click()
    request = author.locator(".workflow-change-request")
    expect(request).to_contain_text(f"Changes requested by {moderator.get_full_name()}")
    expect(request.locator("blockquote")).to_have_text(NOTE)
    screenshot("moderator-changes-requested-seen-by-author", on=author)
    author.locator("#id_points-1-text").fill(FIXED)
    author.get_by_role("button", name="Save and continue editing").click()
    expect(author.locator(".messagelist .success").first).to_contain_text("was changed successfully")
    author.get_by_role("button", name="Submit for review").click()
    expect(badge(author)).to_have_text("In review")

    # Back in the queue; the moderator shares a preview with someone outside the newsroom.
    page.reload()
    expect(badge(page)).to_have_text("In review")
    page.get_by_role("button", name="Create share link").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Share link created")
    share_href = page.locator(".workflow-share-links a").first.get_attribute("href")
    screenshot("moderator-share-link")

    outsider = person()
    outsider.goto(live_server.url + share_href)
    expect(outsider.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(outsider.locator(".points li").nth(1)).to_have_text(FIXED)
    screenshot("moderator-shared-preview", on=outsider)
    assert outsider.goto(public_url).status == 404

    # Scheduled a little ahead: still invisible to readers.
    at = timezone.localtime(timezone.now() + dt.timedelta(minutes=2))
    page.get_by_label("Publish at").fill(at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(badge(page)).to_contain_text("Scheduled for")
    screenshot("moderator-scheduled")
    assert outsider.goto(public_url).status == 404

    # Publishing now instead of waiting for the time to come.
    page.get_by_role("button", name="Reschedule").click()
    expect(badge(page)).to_have_text("Published")
    brief_in_review.refresh_from_db()
    assert brief_in_review.status == Status.PUBLISHED

    assert outsider.goto(public_url).status == 200
    expect(outsider.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    outsider.goto(live_server.url + "/")
    expect(outsider.get_by_role("link", name=HEADLINE).first).to_be_visible()
    screenshot("moderator-published-home", on=outsider)
