"""Writing a brief at the desk, on a laptop and on a phone: nothing typed or chosen is lost, points
move with the keyboard, and the preview beside the form follows the typing."""

import pytest
from playwright.sync_api import expect

from briefs.models import Brief, Status
from tests.factories import BriefFactory

from .conftest import WIDTHS, log_in
from .test_contributor_journey import hero_png

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())


def open_change_form(page, live_server, brief, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + f"/admin/briefs/brief/{brief.pk}/change/")
    expect(page.get_by_label("Headline")).to_have_value(brief.headline)
    preview_idle(page)


def preview_idle(page):
    """The preview beside the form has shown the latest typing (nothing is on its way)."""
    expect(page.locator(".live-preview")).to_have_attribute("data-state", "idle")


def snap(page, name, width):
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


@SIZES
def test_an_image_chosen_before_a_validation_error_is_kept(page, live_server, contributor, tmp_path, width):
    log_in(page, live_server.url, contributor)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/admin/briefs/brief/add/")
    preview_idle(page)
    page.get_by_label("Summary").fill("A brief whose headline comes second.")
    page.locator("#id_points-0-text").fill("The image must not be chosen twice.")
    page.locator("#id_hero_image").set_input_files(hero_png(tmp_path / "kept-chart.png"))
    page.get_by_label("Image alt text").fill("Coloured diagonal lines")
    page.get_by_label("Image credit").fill("Briefs CMS illustration")
    preview_idle(page)
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".errornote")).to_be_visible()
    preview_idle(page)
    expect(page.locator(".field-hero_image")).to_contain_text("Kept from your last try: “kept-chart.png”")
    snap(page, "desk-image-kept-after-error", width)

    page.get_by_label("Headline").fill("An Image Survives a Refused Form")
    preview_idle(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success").first).to_contain_text("was added successfully")
    preview_idle(page)
    brief = Brief.objects.get(headline="An Image Survives a Refused Form")
    assert brief.hero_image or brief.hero_upload


@SIZES
def test_typed_changes_survive_submit_for_review(page, live_server, contributor, width):
    brief = BriefFactory(author=contributor, headline="A Draft About to Be Submitted")
    log_in(page, live_server.url, contributor)
    open_change_form(page, live_server, brief, width)
    page.get_by_label("Headline").fill("A Draft Submitted With Its Last Edit")
    page.get_by_label("Summary").fill("Typed just before pressing the workflow button.")
    preview_idle(page)
    page.get_by_role("button", name="Submit for review").click()

    expect(page.locator(".workflow-panel .brief-badge")).to_have_text("In review")
    expect(page.locator(".messagelist")).to_contain_text("was saved. Submit for review: done.")
    preview_idle(page)
    snap(page, "desk-submitted-with-typed-changes", width)
    brief.refresh_from_db()
    assert brief.status == Status.IN_REVIEW
    assert (brief.headline, brief.dek) == (
        "A Draft Submitted With Its Last Edit",
        "Typed just before pressing the workflow button.",
    )


@SIZES
def test_leaving_with_unsaved_changes_asks_first(page, live_server, contributor, width):
    brief = BriefFactory(author=contributor)
    log_in(page, live_server.url, contributor)
    open_change_form(page, live_server, brief, width)
    page.get_by_label("Summary").fill("Typed and not saved.")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("link", name="Revisions").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    expect(page.get_by_label("Summary")).to_have_value("Typed and not saved.")
    preview_idle(page)


@SIZES
def test_points_are_reordered_with_the_keyboard(page, live_server, contributor, width):
    brief = BriefFactory(author=contributor, points=["First point.", "Second point.", "Third point."])
    log_in(page, live_server.url, contributor)
    open_change_form(page, live_server, brief, width)
    points = page.locator("#points-group")
    points.get_by_role("button", name="Move row 3 up").focus()
    page.keyboard.press("Enter")
    expect(points.locator(".sortable-status")).to_have_text("In brief: moved to place 2 of 3.")
    expect(points.get_by_role("button", name="Move row 2 up")).to_be_focused()
    page.keyboard.press("Space")
    expect(points.locator(".sortable-status")).to_have_text("In brief: moved to place 1 of 3.")
    texts = points.locator("textarea[name$='-text']")
    assert [texts.nth(i).input_value() for i in range(3)] == ["Third point.", "First point.", "Second point."]
    snap(page, "desk-points-reordered", width)
    preview_idle(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
    preview_idle(page)
    reordered = ["Third point.", "First point.", "Second point."]
    assert list(brief.points.values_list("text", flat=True)) == reordered


@SIZES
def test_the_live_preview_follows_the_typing(page, live_server, contributor, width):
    brief = BriefFactory(author=contributor, headline="The Saved Headline")
    log_in(page, live_server.url, contributor)
    open_change_form(page, live_server, brief, width)
    frame = page.frame_locator("iframe[name='live-preview-frame']")
    expect(frame.get_by_role("heading", level=1)).to_have_text("The Saved Headline")

    page.get_by_label("Headline").fill("A Headline Still Being Typed")
    expect(frame.get_by_role("heading", level=1)).to_have_text("A Headline Still Being Typed")
    expect(frame.locator(".preview-banner")).to_contain_text("Your unsaved changes")
    page.get_by_role("button", name="Mobile").click()
    expect(page.get_by_role("button", name="Mobile")).to_have_attribute("aria-pressed", "true")
    page.locator(".live-preview").scroll_into_view_if_needed()
    snap(page, "desk-live-preview-mobile", width)
    page.get_by_role("button", name="Desktop").click()
    preview_idle(page)
    snap(page, "desk-live-preview-desktop", width)
    assert Brief.objects.get(pk=brief.pk).headline == "The Saved Headline"
