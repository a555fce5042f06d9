"""Every write path says what it changed, so the search index and the page cache agree with the database.

Each path below is taken the way people take it (the admin over HTTP, the importers, the
services). Afterwards the stored search entries must equal what a full rebuild would store,
and every public page a reader had cached must show what a fresh render shows.
"""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from briefs import revisions, services, workflow
from briefs.models import Brief, Status
from glossary import services as glossary_services
from glossary.csvio import import_terms_from_bytes
from glossary.models import Term
from pagecache.generation import purge
from search.indexing import rebuild_search_index
from search.models import BriefSearchEntry, TermSearchEntry
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory, TermFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NONCE = re.compile(rb'nonce="[^"]*"')


def entries():
    briefs = {
        e["brief_id"]: (e["extra"], e["published_at"], str(e["vector"]))
        for e in BriefSearchEntry.objects.values("brief_id", "extra", "published_at", "vector")
    }
    terms = {e["term_id"]: (e["aliases"], str(e["vector"])) for e in TermSearchEntry.objects.values()}
    return briefs, terms


def assert_index_agrees_with_the_database():
    stored = entries()
    with transaction.atomic():
        rebuild_search_index()
        rebuilt = entries()
        transaction.set_rollback(True)
    assert stored == rebuilt


def pages(world):
    brief, term = world["brief"], world["term"]
    return [
        "/",
        brief.get_absolute_url(),
        term.get_absolute_url(),
        "/glossary/",
        "/tags/",
        "/search/?q=otter",
    ]


def read(client, url):
    response = client.get(url)
    return response.status_code, NONCE.sub(b"", response.content)


def assert_cache_agrees_with_the_database(world, cached):
    client = Client()
    served = {url: read(client, url) for url in cached}
    purge()
    fresh = {url: read(client, url) for url in cached}
    assert served == fresh


@pytest.fixture
def world(moderator):
    term = TermFactory(name="otter acoustics", definition="How otters hear.")
    brief = BriefFactory(
        published=True,
        headline="Otters listen",
        points=["Otters use otter acoustics."],
        terms=[term],
        tags=["sea"],
    )
    BriefFactory(published=True, headline="Another otter brief", terms=[term], tags=["sea"])
    return {"brief": brief, "term": term, "moderator": moderator}


def warm(world):
    client = Client()
    urls = pages(world)
    for url in urls:
        client.get(url)
    return urls


def admin_save(world, client, superuser):
    brief = world["brief"]
    url = reverse("admin:briefs_brief_change", args=[brief.pk])
    client.force_login(superuser)
    data = admin_form_data(client.get(url))
    data.update({"headline": "Otters listen closely", "points-0-text": "Otters use otter acoustics at sea."})
    assert client.post(url, data).status_code == 302


def csv_import(world, client, superuser):
    data = (
        "name,slug,definition,aliases,related\n"
        "otter acoustics,otter-acoustics,How otters hear underwater.,sea hearing,\n"
    )
    assert import_terms_from_bytes(data.encode(), by=superuser).ok


def approve(world, client, superuser):
    term = TermFactory(name="kelp signalling", draft=True)
    BriefFactory(published=True, headline="Kelp", terms=[term])
    glossary_services.approve_term(term, by=world["moderator"])


def merge(world, client, superuser):
    other = TermFactory(name="otter hearing")
    BriefFactory(published=True, headline="Hearing otters", terms=[other])
    glossary_services.merge_terms(world["term"], [other], by=superuser)


def jsonl_import(world, client, superuser, tmp_path):
    out = io.StringIO()
    from briefs.transfer import export_briefs, import_briefs

    export_briefs(out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    for record in records:
        if record["slug"] == world["brief"].slug:
            record["headline"] = "Otters, imported"
    path = tmp_path / "briefs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    import_briefs(path, user=superuser)


def revision_restore(world, client, superuser):
    brief = world["brief"]
    client.force_login(superuser)
    admin_save(world, client, superuser)
    oldest = revisions.revisions_of(brief).last()
    revisions.restore_revision(brief, oldest, by=superuser)


def workflow_steps(world, client, superuser):
    moderator, brief = world["moderator"], world["brief"]
    workflow.unpublish(brief, by=moderator)
    workflow.submit_for_review(brief, by=moderator)
    workflow.publish(brief, by=moderator)
    draft = BriefFactory(in_review=True, headline="Otters, scheduled", terms=[world["term"]])
    workflow.publish(draft, by=moderator, at=timezone.now() + dt.timedelta(days=1))
    workflow.archive(BriefFactory(published=True, headline="Old otters"), by=moderator)


def demo_and_backup_restore(world, client, superuser):
    call_command("load_demo")
    services.save_brief(Brief.objects.get(slug=world["brief"].slug), by=superuser)


PATHS = {
    "admin save": admin_save,
    "CSV import": csv_import,
    "approve": approve,
    "merge": merge,
    "JSONL import": jsonl_import,
    "revision restore": revision_restore,
    "workflow steps": workflow_steps,
    "demo load and content save": demo_and_backup_restore,
}


@pytest.mark.parametrize("path", PATHS)
def test_after_each_write_path_the_index_and_the_cache_agree_with_the_database(
    path, world, client, superuser, tmp_path
):
    cached = warm(world)
    write = PATHS[path]
    if write is jsonl_import:
        write(world, client, superuser, tmp_path)
    else:
        write(world, client, superuser)
    assert connection.vendor == "postgresql"
    assert Brief.objects.filter(status=Status.PUBLISHED).exists() and Term.objects.exists()
    assert_index_agrees_with_the_database()
    assert_cache_agrees_with_the_database(world, cached)
