import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from glossary.csvio import export_terms, import_terms
from glossary.models import Term, TermStatus
from tests.factories import TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db

HEADER = "name,slug,definition,aliases,related\n"


def run(text, by=None):
    return import_terms(io.StringIO(text, newline=""), by=by)


def exported():
    out = io.StringIO()
    export_terms(out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_export_writes_names_slugs_definitions_aliases_and_related():
    rlhf = TermFactory(name="RLHF", slug="rlhf", definition="Training from human preferences.")
    TermAliasFactory(term=rlhf, name="human feedback")
    TermAliasFactory(term=rlhf, name="RLHF training")
    rlhf.related_terms.add(TermFactory(name="reward model", slug="reward-model"))
    assert exported() == [
        ["name", "slug", "definition", "aliases", "related"],
        ["reward model", "reward-model", "What “reward model” means, in plain words.", "", "rlhf"],
        ["RLHF", "rlhf", "Training from human preferences.", "human feedback;RLHF training", "reward-model"],
    ]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_exported_cells_that_look_like_formulas_are_neutralised(start):
    term = TermFactory(name="cmd", slug="cmd", definition=f'{start}HYPERLINK("http://x")')
    TermAliasFactory(term=term, name="@alias")
    Term.objects.filter(pk=term.pk).update(name=f"{start}cmd")
    row = exported()[1]
    assert row[0] == f"'{start}cmd" and row[2].startswith(f"'{start}HYPERLINK")
    assert row[3] == "'@alias"


def test_neutralised_cells_import_back_unchanged():
    TermFactory(name="-1 loss", slug="minus-one-loss", definition="=SUM(A1) is not a formula here.")
    out = io.StringIO()
    export_terms(out)
    Term.objects.all().delete()
    assert run(out.getvalue()).ok
    term = Term.objects.get()
    assert (term.name, term.definition) == ("-1 loss", "=SUM(A1) is not a formula here.")


def test_import_creates_terms_with_aliases_and_related():
    report = run(
        HEADER
        + "reward model,reward-model,Scores outputs.,RM;preference model,rlhf\n"
        + 'RLHF,rlhf,"Training from human preferences,\nover several steps.",,\n'
    )
    assert report.ok and (report.created, report.updated) == (2, 0)
    rm = Term.objects.get(slug="reward-model")
    assert sorted(rm.aliases.values_list("name", flat=True)) == ["RM", "preference model"]
    assert list(rm.related_terms.values_list("slug", flat=True)) == ["rlhf"]
    assert rm.status == TermStatus.APPROVED and rm.revisions.count() == 1


def test_reimport_updates_by_slug_instead_of_duplicating():
    run(HEADER + "reward model,reward-model,Scores outputs.,RM,\n")
    report = run(HEADER + "Reward Model,reward-model,Scores model outputs.,RM;scorer,\n")
    assert report.ok and (report.created, report.updated) == (0, 1)
    term = Term.objects.get()
    assert (term.name, term.definition) == ("Reward Model", "Scores model outputs.")
    assert sorted(term.aliases.values_list("name", flat=True)) == ["RM", "scorer"]
    assert term.revisions.count() == 2


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written():
    TermFactory(name="existing", slug="existing")
    report = run(
        HEADER
        + "good,good,Fine.,,\n"  # line 2
        + ",no-name,Missing name.,,\n"  # line 3
        + "no definition,no-definition,,,\n"  # line 4
        + "good too,good,Duplicate slug.,,\n"  # line 5
        + 'multi,multi,"Two\nlines",,missing-term\n'  # line 6 (spans 6-7)
        + "EXISTING,other-slug,Name taken.,,\n"  # line 8
        + "bad slug,Not A Slug!,Slug.,,\n"  # line 9
        + f"long,long,{'x' * 1501},,\n"  # line 10
    )
    assert not report.ok
    lines = sorted({line for line, _ in report.errors})
    assert lines == [3, 4, 5, 6, 8, 9, 10]
    messages = dict(report.errors)
    assert "name" in messages[3]
    assert "also on line 2" in messages[5]
    assert "missing-term" in messages[6]
    assert "existing" in messages[8]
    assert Term.objects.count() == 1


def test_alias_clashes_are_bad_rows():
    term = TermFactory(name="transformer", slug="transformer")
    TermAliasFactory(term=term, name="attention net")
    report = run(HEADER + "new,new,Def.,attention net;transformer,\nother,other,Def.,new,\n")
    assert {line for line, _ in report.errors} == {2, 3}
    assert not Term.objects.filter(slug__in=["new", "other"]).exists()


def test_a_file_without_the_needed_columns_is_refused():
    report = run("title,text\nx,y\n")
    assert report.errors == [
        (1, "The header row needs the columns: name, slug, definition, aliases, related.")
    ]


def test_import_by_an_editor_makes_drafts_and_proposals(editor):
    approved = TermFactory(name="reward model", slug="reward-model", definition="Old.")
    report = run(HEADER + "reward model,reward-model,New.,,\nfresh,fresh,Fresh.,,\n", by=editor)
    assert report.ok
    approved.refresh_from_db()
    assert (approved.definition, approved.pending_definition) == ("Old.", "New.")
    assert Term.objects.get(slug="fresh").status == TermStatus.DRAFT


def test_commands_export_and_import(tmp_path):
    TermFactory(name="grokking", slug="grokking", definition="Late generalisation.")
    path = tmp_path / "terms.csv"
    call_command("export_terms", str(path))
    path.write_text(path.read_text().replace("Late generalisation.", "Sudden generalisation."))
    out = io.StringIO()
    call_command("import_terms", str(path), stdout=out)
    assert "0 new and 1 updated" in out.getvalue()
    assert Term.objects.get().definition == "Sudden generalisation."


def test_import_command_lists_bad_lines_and_fails(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "ok,ok,Fine.,,\n,x,No name.,,\n")
    with pytest.raises(CommandError) as error:
        call_command("import_terms", str(path))
    assert "line 3" in str(error.value)
    assert not Term.objects.exists()


def test_admin_export_action_downloads_csv(client, editor):
    term = TermFactory(name="grokking", slug="grokking")
    client.force_login(editor)
    response = client.post("/admin/glossary/term/", {"action": "export_csv", "_selected_action": [term.pk]})
    assert response["Content-Type"].startswith("text/csv")
    assert b"grokking,grokking" in response.content


def test_admin_import_page_reports_bad_rows(client, moderator):
    client.force_login(moderator)
    upload = SimpleUploadedFile("t.csv", (HEADER + "ok,ok,Fine.,,\n,x,No name.,,\n").encode())
    page = client.post("/admin/glossary/term/import/", {"file": upload}).content.decode()
    assert "Nothing was imported" in page and "Line 3:" in page
    assert not Term.objects.exists()


def test_admin_import_page_imports_good_files(client, moderator):
    client.force_login(moderator)
    upload = SimpleUploadedFile("t.csv", ("\ufeff" + HEADER + "ok,ok,Fine.,,\n").encode())
    response = client.post("/admin/glossary/term/import/", {"file": upload}, follow=True)
    assert "Imported 1 new" in response.content.decode()
    assert Term.objects.get().status == TermStatus.APPROVED


def test_contributors_cannot_import(client, contributor):
    client.force_login(contributor)
    assert client.get("/admin/glossary/term/import/").status_code == 403
