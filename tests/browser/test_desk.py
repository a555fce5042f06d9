"""The desk in a real browser: each role signs in and finds what needs them first; the queue and
the desk have no serious accessibility problems; the term chooser offers the right term first."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from briefs import workflow
from glossary.models import TermStatus
from tests.factories import BriefFactory, TermFactory

from .conftest import WIDTHS, log_in

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Say which benchmark the second point is about."
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


@pytest.fixture
def newsroom(contributor, moderator, editor, superuser):
    now = timezone.now()
    BriefFactory(headline="A draft about sparse autoencoders", author=contributor)
    sent_back = BriefFactory(headline="Scaling laws for small models", author=contributor, in_review=True)
    workflow.request_changes(sent_back, by=moderator, note=NOTE)
    late = BriefFactory(
        headline="Reward models disagree with each other",
        author=contributor,
        in_review=True,
        submitted_at=now - dt.timedelta(days=4),
    )
    workflow.assign(late, by=superuser, to=moderator, due=timezone.localdate() - dt.timedelta(days=2))
    BriefFactory(
        headline="A benchmark for long contexts", scheduled=True, published_at=now + dt.timedelta(days=2)
    )
    TermFactory(name="mechanistic interpretability", status=TermStatus.DRAFT)


def serious(page):
    results = Axe().run(page, options=WCAG)
    return [
        (v["id"], [node["target"] for node in v["nodes"]])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def card(page, key):
    return page.locator(f".desk-card--{key}")


def test_each_role_finds_its_own_work_on_the_desk(
    page, person, live_server, newsroom, contributor, moderator, editor, screenshot
):
    log_in(page, live_server.url, contributor)
    drafts = card(page, "drafts")
    expect(drafts).to_contain_text("A draft about sparse autoencoders")
    expect(drafts.locator(".desk-card__count")).to_have_text("1")
    expect(card(page, "changes-requested").locator(".desk-item__note")).to_have_text(NOTE)
    expect(page.locator(".desk-card--awaiting-review")).to_have_count(0)
    screenshot("desk-contributor")
    card(page, "changes-requested").get_by_role("link", name="Changes requested 1").click()
    expect(page.locator("#result_list")).to_contain_text("Scaling laws for small models")

    reviewer = person()
    log_in(reviewer, live_server.url, moderator)
    waiting = card(reviewer, "awaiting-review")
    expect(waiting).to_contain_text("Reward models disagree with each other")
    expect(waiting).to_contain_text("2 days late")
    expect(card(reviewer, "assigned")).to_contain_text("Reward models disagree")
    expect(card(reviewer, "scheduled")).to_contain_text("A benchmark for long contexts")
    expect(card(reviewer, "terms")).to_contain_text("mechanistic interpretability")
    expect(reviewer.locator("#all-sections")).to_contain_text("Moderation queue")
    problems = {}
    for label, width in WIDTHS.items():
        reviewer.set_viewport_size({"width": width, "height": 900})
        problems[f"desk at {label}"] = serious(reviewer)
    screenshot("desk-moderator", on=reviewer)

    desk_editor = person()
    log_in(desk_editor, live_server.url, editor)
    expect(card(desk_editor, "terms")).to_contain_text("mechanistic interpretability")
    expect(desk_editor.locator(".desk-card--awaiting-review")).to_have_count(0)
    screenshot("desk-editor", on=desk_editor)

    reviewer.goto(live_server.url + "/admin/briefs/moderationqueue/")
    expect(reviewer.locator("#result_list")).to_contain_text("2 days late")
    for label, width in WIDTHS.items():
        reviewer.set_viewport_size({"width": width, "height": 900})
        problems[f"queue at {label}"] = serious(reviewer)
    screenshot("moderation-queue", on=reviewer)
    reviewer.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    headline = reviewer.locator(".field-queued_headline a").first
    assert headline.bounding_box()["width"] > 200  # a sentence, not a word per line
    results = reviewer.locator("#changelist .results").bounding_box()
    due = reviewer.locator("td.field-due").first.bounding_box()
    assert due["x"] + due["width"] <= results["x"] + results["width"] + 1  # the last column is not clipped
    assert not any(problems.values()), problems


def test_the_term_chooser_puts_machine_learning_model_first(page, live_server, contributor, screenshot):
    TermFactory(name="deep learning", definition="Machine learning with neural networks of many layers.")
    TermFactory(name="machine learning model", definition="A program whose behaviour is fitted to data.")
    log_in(page, live_server.url, contributor)
    page.goto(live_server.url + "/admin/briefs/brief/add/")
    page.locator(".add-row a").filter(has_text="term").first.click()
    page.locator(".field-term .select2-selection").first.click()
    page.locator(".select2-search__field").fill("machine")
    first = page.locator(".select2-results__option").first
    expect(first).to_contain_text("machine learning model — Approved — A program whose")
    expect(page.locator(".select2-results__option").nth(1)).to_contain_text("deep learning")
    screenshot("term-chooser-machine")
    page.keyboard.press("Enter")
    expect(page.locator(".field-term .select2-selection__rendered").first).to_have_text(
        "machine learning model"
    )
