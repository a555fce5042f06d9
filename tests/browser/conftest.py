"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live server.

Playwright cannot download its own browser here, so it is pointed at the
system Chromium. Without one the tests skip, except with CI=true where a
missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by fixtures in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "mobile": 390}
PASSWORD = "correct-horse-battery"  # every UserFactory user's password
TIMEOUT_MS = 10_000  # generous: the browser shares a small, busy machine

expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot(page):
    """Save full-page screenshots of the screen `on` shows (default: `page`) at desktop and mobile widths."""

    def take(name, on=None):
        target = on or page
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        original = target.viewport_size
        for label, width in WIDTHS.items():
            target.set_viewport_size({"width": width, "height": 900})
            target.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        if original:
            target.set_viewport_size(original)

    return take


@pytest.fixture(autouse=True)
def _patient_page(page):
    page.set_default_timeout(TIMEOUT_MS)


@pytest.fixture
def person(new_context):
    """Another person at another computer: a fresh browser context (no cookies), as a page."""

    def open_page():
        other = new_context().new_page()
        other.set_default_timeout(TIMEOUT_MS)
        return other

    return open_page


def log_in(page, base_url, user):
    """Sign in through the real admin login form, as a person would."""
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Newsroom")).to_be_visible()
