"""The editors' forms (a brief, a term) have no serious or critical accessibility violations
(axe-core), on a laptop and on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from briefs.models import ShareLink
from tests.factories import BriefFactory, TermFactory

from .conftest import ARTIFACTS, WIDTHS, log_in
from .test_accessibility import WCAG

pytestmark = pytest.mark.django_db(transaction=True)

SERIOUS = {"serious", "critical"}


def serious_violations(page):
    results = Axe().run(page, options=WCAG)
    found = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["html"][:120] for n in v["nodes"][:3])
        for v in found
    ]


def test_the_brief_and_term_forms_have_no_serious_accessibility_violations(page, live_server, moderator):
    term = TermFactory(name="deep learning", definition="Training neural networks with many layers.")
    brief = BriefFactory(in_review=True, terms=[term], points=["One.", "Two."], tags=["theory"])
    ShareLink.objects.create(brief=brief, created_by=moderator)
    log_in(page, live_server.url, moderator)
    pages = {
        "brief-add": "/admin/briefs/brief/add/",
        "brief-change": f"/admin/briefs/brief/{brief.pk}/change/",
        "term-add": "/admin/glossary/term/add/",
        "term-change": f"/admin/glossary/term/{term.pk}/change/",
    }
    problems = {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in pages.items():
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            if name.startswith("brief"):
                expect(page.locator(".live-preview")).to_have_attribute("data-state", "idle")
            found = serious_violations(page)
            if found:
                problems[f"{name} at {width} px"] = found
            page.screenshot(path=str(ARTIFACTS / f"a11y-admin-{name}-{label}.png"), full_page=True)
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in problems.items())
