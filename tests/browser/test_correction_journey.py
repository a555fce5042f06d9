"""An editor changes a published brief; readers keep the live version until a moderator reviews the
difference and publishes it as a correction; then the page and the corrections log both show it."""

import pytest
from playwright.sync_api import expect

from tests.factories import BriefFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Sparse Models Match Dense Ones at a Tenth of the Cost"
WRONG = "The model was trained on 2 trillion tokens."
RIGHT = "The model was trained on 200 billion tokens."
CORRECTION = "An earlier version gave the training set as 2 trillion tokens; it was 200 billion."


def test_a_change_to_a_live_brief_reaches_readers_only_through_review_as_a_correction(
    page, person, live_server, editor, moderator, contributor, screenshot
):
    brief = BriefFactory(headline=HEADLINE, author=contributor, published=True, points=[WRONG, "It is open."])
    public_url = live_server.url + brief.get_absolute_url()
    reader = person()

    # The editor fixes the point in the admin and submits the change for review.
    log_in(page, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/briefs/brief/{brief.pk}/change/")
    expect(page.locator(".workflow-panel")).to_contain_text("This brief is published")
    page.locator("#id_points-0-text").fill(RIGHT)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".workflow-panel")).to_contain_text("Pending changes")
    expect(page.locator("#id_points-0-text")).to_have_value(RIGHT)  # the form opens on the pending version
    page.get_by_role("button", name="Submit the changes for review").click()
    expect(page.locator(".workflow-panel")).to_contain_text("in review")

    # Readers still see what was published. (The editor's preview frame renders the pending version
    # in a transaction it rolls back; on the test server's in-memory SQLite every request thread
    # shares one connection, so a reader's request at that moment would read the rows before the
    # rollback. On a real server each request has its own connection: wait for the frame first.)
    page.wait_for_load_state("networkidle")
    reader.goto(public_url)
    expect(reader.locator(".points li").first).to_have_text(WRONG)

    # The moderator reads the difference and publishes it as a correction.
    moderator_page = person()
    log_in(moderator_page, live_server.url, moderator)
    moderator_page.goto(f"{live_server.url}/admin/briefs/brief/{brief.pk}/change/")
    moderator_page.get_by_role("link", name="Publish the changes…").click()
    diff = moderator_page.locator(".publish-changes")
    expect(diff).to_contain_text(WRONG)
    expect(diff).to_contain_text(RIGHT)
    screenshot("correction-diff-for-the-moderator", on=moderator_page)
    moderator_page.get_by_label(
        "A correction: readers see a note in the brief and the corrections log"
    ).check()
    moderator_page.get_by_label("The correction readers read (for a correction)").fill(CORRECTION)
    moderator_page.get_by_role("button", name="Publish the changes").click()
    expect(moderator_page.locator(".messagelist .success")).to_contain_text("the changes are live")

    # The public page and the corrections log now show the change (the reader's browser keeps a page
    # for a minute, as Cache-Control allows; reloading asks the server again).
    reader.goto(public_url)
    reader.reload()
    expect(reader.locator(".points li").first).to_have_text(RIGHT)
    expect(reader.locator(".corrections")).to_contain_text(CORRECTION)
    reader.goto(live_server.url + "/corrections/")
    expect(reader.locator(".corrections-log")).to_contain_text(CORRECTION)
    expect(reader.get_by_role("link", name=HEADLINE)).to_have_attribute("href", brief.get_absolute_url())
    screenshot("correction-in-the-corrections-log", on=reader)
