"""The one rule for terms: readers see only `Term.objects.approved()`, on every public surface.

A draft term (a definition no moderator has approved) that an editor attached to a published
brief, listed as related to an approved term, or left behind by a merge, appears nowhere a
reader can look; once approved, it appears everywhere.
"""

import pytest

from glossary import services
from glossary.models import TermRedirect
from tests.factories import BriefFactory, TermFactory
from tests.helpers import json_ld

pytestmark = pytest.mark.django_db

SECRET_NAME = "Quokka embeddings"
SECRET_DEFINITION = "A definition nobody approved yet: xyzzy."


@pytest.fixture
def world(moderator):
    """A draft term on a published brief, related to an approved term, with an old address."""
    approved = TermFactory(name="Approved neighbour")
    draft = TermFactory(name=SECRET_NAME, definition=SECRET_DEFINITION, draft=True, slug="quokka-embeddings")
    approved.related_terms.add(draft)
    TermRedirect.objects.create(old_slug="old-quokka", term=draft)
    brief = BriefFactory(
        published=True,
        headline="Marsupial models",
        points=[f"The study uses {SECRET_NAME} and the Approved neighbour."],
        terms=[approved, draft],
    )
    return {"approved": approved, "draft": draft, "brief": brief}


def public_texts(client, world):
    """What every public surface says, by name."""
    brief, approved, draft = world["brief"], world["approved"], world["draft"]
    pages = {
        "brief page": brief.get_absolute_url(),
        "glossary": "/glossary/",
        "glossary filtered": "/glossary/?q=quokka",
        "approved term page": approved.get_absolute_url(),
        "search": "/search/?q=quokka",
        "sitemap": "/sitemap.xml",
        "RSS": "/feed/rss/",
        "Atom": "/feed/atom/",
        "API terms": "/api/v1/terms/",
        "API brief": f"/api/v1/briefs/{brief.slug}/",
        "API briefs by term": f"/api/v1/briefs/?term={draft.slug}",
    }
    return {name: client.get(url).content.decode() for name, url in pages.items()}


def test_a_draft_term_is_invisible_on_every_public_surface_until_approved(client, world, moderator):
    draft = world["draft"]
    for name, text in public_texts(client, world).items():
        assert SECRET_DEFINITION not in text, f"the draft definition leaks on {name}"
        assert draft.slug not in text or name == "API briefs by term", f"the draft term leaks on {name}"
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/glossary/old-quokka/").status_code == 404
    assert client.get(f"/api/v1/terms/{draft.slug}/").status_code == 404
    assert client.get(f"/api/v1/briefs/?term={draft.slug}").json()["count"] == 0
    page = client.get(world["brief"].get_absolute_url()).content.decode()
    mentions = [m["name"] for block in json_ld(page) for m in block.get("mentions", [])]
    assert mentions == ["Approved neighbour"]

    services.approve_term(draft, by=moderator)

    texts = public_texts(client, world)
    for name in ("brief page", "glossary", "glossary filtered", "approved term page", "search", "API terms"):
        assert SECRET_NAME in texts[name], f"the approved term is missing from {name}"
    assert f"/glossary/{draft.slug}/" in texts["sitemap"]
    assert SECRET_DEFINITION in texts["API brief"]
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get("/glossary/old-quokka/").status_code == 301
    assert client.get(f"/api/v1/terms/{draft.slug}/").status_code == 200
    assert client.get(f"/api/v1/briefs/?term={draft.slug}").json()["count"] == 1
    page = client.get(world["brief"].get_absolute_url()).content.decode()
    mentions = {m["name"] for block in json_ld(page) for m in block.get("mentions", [])}
    assert mentions == {"Approved neighbour", SECRET_NAME}


def test_a_proposed_wording_is_never_shown_while_the_approved_one_stands(client, world, editor):
    approved = world["approved"]
    approved.definition = "A proposal awaiting review: plugh."
    services.save_term(approved, by=editor)
    for name, text in public_texts(client, world).items():
        assert "plugh" not in text, f"the proposed wording leaks on {name}"
