"""A backup restores into an empty database identically, or not at all."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from briefs.backup import checksum
from briefs.models import Brief, Correction
from glossary.models import Term
from tests.conftest import ensure_roles
from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db(transaction=True)


def empty_the_database():
    call_command("flush", "--no-input", verbosity=0)


def test_backup_then_restore_into_an_empty_database_is_identical(tmp_path, settings):
    settings.DEBUG = True
    ensure_roles()
    call_command("load_demo", "--accounts")
    brief = BriefFactory(published=True, terms=[TermFactory()], tags=["theory", "Ünïcode"])
    Correction.objects.create(brief=brief, text="Fixed a figure.")
    before = checksum()
    path = tmp_path / "backup.json"
    call_command("backup", str(path))

    empty_the_database()
    assert not Brief.objects.exists()
    call_command("restore", str(path))

    assert checksum() == before
    assert Brief.objects.count() == 7
    assert Term.objects.filter(name="learning mechanics").exists()
    assert set(Brief.objects.get(pk=brief.pk).tags.names()) == {"theory", "Ünïcode"}
    # New content after a restore gets fresh ids (sequences were reset).
    assert BriefFactory().pk > brief.pk


def test_restore_refuses_a_database_that_already_has_content(tmp_path):
    BriefFactory()
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="restore into an empty database"):
        call_command("restore", str(path))


def test_a_tampered_backup_restores_nothing(tmp_path):
    BriefFactory(headline="Original")
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    data = json.loads(path.read_text())
    for record in data["records"]:
        if record["model"] == "briefs.brief":
            record["fields"]["headline"] = "Tampered"
    path.write_text(json.dumps(data))
    empty_the_database()
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", str(path))
    assert not Brief.objects.exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(CommandError, match="not a Briefs CMS backup"):
        call_command("restore", str(path))
