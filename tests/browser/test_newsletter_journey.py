"""A reader subscribes from the footer, confirms from the mail the SMTP server caught, receives
the next digest and unsubscribes with one click from it."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect
from taggit.models import Tag

from newsletter import issues, schedule
from newsletter.models import Subscriber, SubscriberStatus
from tests.factories import BriefFactory, TermFactory
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db(transaction=True)

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def run_worker():
    """`manage.py db_worker --batch`: run every ready task, then stop."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="journey",
        excluded_queue_names=[],
    ).run()


def open_mail(page, received):
    """Show a caught mail's HTML as a mail client would: in a blank page, not under the site's
    Content Security Policy (which would strip the mail's own styles)."""
    page.goto("about:blank")
    page.set_content(received.message.get_body(("html",)).get_content())


def test_subscribe_confirm_receive_and_unsubscribe(page, live_server, settings, screenshot):
    settings.SITE_URL = live_server.url
    settings.NEWSLETTER_SEND_RATE = 0
    settings.NEWSLETTER_TIME_ZONE = "UTC"
    theory = Tag.objects.create(name="theory", slug="theory")
    term = TermFactory(name="Learning mechanics", definition="A physics-style theory of how networks learn.")
    for headline in ("A theory of deep learning", "Why scaling laws bend"):
        BriefFactory(
            published=True,
            headline=headline,
            dek=f"{headline}: what the paper shows.",
            points=[f"{headline}, the first point.", "A second point."],
            terms=[term],
            tags=[theory],
        )
    with SMTPServer() as server:
        settings.MAILERS = server.mailers
        sink = server.sink

        # Subscribe from the link in the footer of every page.
        page.goto(live_server.url + "/")
        page.get_by_role("contentinfo").get_by_role("link", name="Newsletter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Get the briefs by email")
        page.get_by_label("Your email address").fill("reader@example.org")
        page.get_by_label(re.compile("^Weekly")).check()
        page.get_by_label("theory").check()
        screenshot("newsletter-subscribe")
        page.get_by_role("button", name="Subscribe").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
        screenshot("newsletter-check-inbox")

        # The confirmation mail, as caught by the SMTP server, opened in the browser.
        run_worker()
        (confirmation,) = sink.messages
        open_mail(page, confirmation)
        screenshot("newsletter-mail-confirm")
        page.get_by_role("link", name="Confirm my subscription").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
        page.get_by_role("button", name="Confirm my subscription").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
        screenshot("newsletter-confirmed")
        run_worker()
        assert "Welcome" in sink.messages[-1].message["Subject"]

        # Next issue day: the scheduler builds the weekly digest and the worker sends it.
        next_slot = schedule.latest_slot("weekly", timezone.now()) + dt.timedelta(days=7)
        issues.send_due_digests(now=next_slot + dt.timedelta(minutes=1))
        run_worker()
        digest = sink.messages[-1]
        assert digest.message["Subject"].startswith("Weekly briefs:")
        assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        open_mail(page, digest)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your weekly briefs")
        expect(page.get_by_role("heading", level=2)).to_have_count(2)
        expect(page.get_by_role("link", name="Read full story at AI Alignment Forum →")).to_have_count(2)
        axe = Axe()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            results = axe.run(page, options=WCAG)
            assert not results.violations_count, results.generate_report()
            screenshot(f"newsletter-mail-digest-{scheme}")
        page.emulate_media(color_scheme="light")

        # One click on the page the mail's link opens, and no more mail.
        page.get_by_role("link", name="Unsubscribe").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
        screenshot("newsletter-unsubscribe")
        page.get_by_role("button", name="Unsubscribe").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
        screenshot("newsletter-unsubscribed")
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED


def test_the_newsletter_pages_have_no_accessibility_violations(page, live_server, settings):
    Tag.objects.create(name="theory", slug="theory")
    BriefFactory(published=True, tags=[Tag.objects.get()])
    axe = Axe()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(live_server.url + "/newsletter/")
        results = axe.run(page, options=WCAG)
        assert not results.violations_count, results.generate_report()
        # The server's own check, as a browser without form validation meets it.
        page.evaluate("document.querySelector('form.newsletter-form').noValidate = true")
        page.get_by_label("Your email address").fill("not an address")
        page.get_by_role("button", name="Subscribe").click()
        expect(page.get_by_role("alert")).to_be_visible()
        results = axe.run(page, options=WCAG)
        assert not results.violations_count, results.generate_report()
