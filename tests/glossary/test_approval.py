import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from briefs import workflow
from glossary import services
from glossary.models import Term, TermRevision, TermStatus
from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db


def new_term(by, name="reward hacking", definition="Gaming a reward signal."):
    return services.save_term(Term(name=name, definition=definition), by=by)


def test_moderators_may_approve_terms_and_editors_may_not(moderator, editor, contributor):
    assert services.can_approve(moderator)
    assert not services.can_approve(editor)
    assert not services.can_approve(contributor)
    group = Group.objects.get(name="Moderator")
    assert group.permissions.filter(codename="approve_term").exists()
    assert not Permission.objects.get(codename="approve_term").group_set.exclude(name="Moderator").exists()


def test_new_term_by_an_editor_is_a_draft_readers_cannot_see(editor, client):
    term = new_term(editor)
    assert term.status == TermStatus.DRAFT
    assert not Term.objects.approved().filter(pk=term.pk).exists()
    assert client.get(term.get_absolute_url()).status_code == 404
    assert term.revisions.count() == 0


def test_new_term_by_a_moderator_is_approved_with_a_revision(moderator, client):
    term = new_term(moderator)
    assert term.status == TermStatus.APPROVED
    assert client.get(term.get_absolute_url()).status_code == 200
    revision = term.revisions.get()
    assert (revision.text, revision.approved_by) == ("Gaming a reward signal.", moderator)


def test_editors_change_to_an_approved_definition_waits_for_approval(editor, moderator, client):
    term = new_term(moderator)
    term.definition = "A better wording."
    services.save_term(term, by=editor)
    term.refresh_from_db()
    assert term.definition == "Gaming a reward signal."
    assert (term.pending_definition, term.pending_by) == ("A better wording.", editor)
    page = client.get(term.get_absolute_url()).content.decode()
    assert "Gaming a reward signal." in page and "A better wording." not in page

    services.approve_term(term, by=moderator)
    term.refresh_from_db()
    assert term.definition == "A better wording."
    assert term.pending_definition == ""
    assert [r.text for r in term.revisions.all()] == ["A better wording.", "Gaming a reward signal."]


def test_editor_cannot_approve(editor):
    term = new_term(editor)
    with pytest.raises(PermissionDenied):
        services.approve_term(term, by=editor)


def test_approving_a_draft_term_makes_it_public(editor, moderator, client):
    term = new_term(editor)
    services.approve_term(term, by=moderator)
    term.refresh_from_db()
    assert term.status == TermStatus.APPROVED
    assert client.get(term.get_absolute_url()).status_code == 200


def test_rejecting_a_proposal_keeps_the_approved_definition(editor, moderator):
    term = new_term(moderator)
    term.definition = "Wrong."
    services.save_term(term, by=editor)
    services.reject_pending_definition(term, by=moderator)
    term.refresh_from_db()
    assert (term.definition, term.pending_definition) == ("Gaming a reward signal.", "")


def test_moderator_edit_keeps_someone_elses_pending_proposal(editor, moderator):
    term = new_term(moderator)
    term.definition = "Proposal."
    services.save_term(term, by=editor)
    term = Term.objects.get(pk=term.pk)
    term.name = "Reward hacking"
    services.save_term(term, by=moderator)
    term.refresh_from_db()
    assert term.pending_definition == "Proposal."
    assert term.revisions.count() == 1


def test_editor_may_edit_a_draft_terms_definition_directly(editor):
    term = new_term(editor)
    term.definition = "Second try."
    services.save_term(term, by=editor)
    term.refresh_from_db()
    assert (term.definition, term.status, term.pending_definition) == ("Second try.", "draft", "")


def test_changing_a_slug_keeps_the_old_address_working(moderator, client):
    term = new_term(moderator)
    term.slug = "reward-gaming"
    services.save_term(term, by=moderator)
    response = client.get("/glossary/reward-hacking/")
    assert response.status_code == 301
    assert response["Location"] == "/glossary/reward-gaming/"


def test_term_page_shows_when_the_definition_changed_and_earlier_wordings(moderator, client):
    term = new_term(moderator)
    TermRevision.objects.filter(term=term).update(approved_at=timezone.now() - dt.timedelta(days=30))
    term.definition = "New wording."
    services.save_term(term, by=moderator)
    page = client.get(term.get_absolute_url()).content.decode()
    assert "Definition updated on" in page
    assert "Gaming a reward signal." in page and "New wording." in page


def test_term_page_without_changes_shows_no_history(moderator, client):
    term = new_term(moderator)
    assert "Definition updated on" not in client.get(term.get_absolute_url()).content.decode()


def test_unapproved_terms_lists_a_briefs_draft_terms_and_publishing_names_them(moderator):
    approved, draft = TermFactory(name="alpha"), TermFactory(name="beta", draft=True)
    brief = BriefFactory(terms=[approved, draft], in_review=True)
    assert list(services.unapproved_terms(brief)) == [draft]
    with pytest.raises(ValidationError) as error:
        workflow.publish(brief, by=moderator)
    assert "“beta”" in str(error.value) and "alpha" not in str(error.value)
    assert error.value.code == "incomplete"


def test_a_brief_whose_terms_are_all_approved_may_be_published(moderator):
    brief = BriefFactory(terms=[TermFactory()], in_review=True)
    assert not services.unapproved_terms(brief).exists()
    workflow.publish(brief, by=moderator)
    assert brief.is_published


def test_a_pending_proposal_does_not_block_publication(editor, moderator):
    term = new_term(moderator)
    term.definition = "Proposal."
    services.save_term(term, by=editor)
    assert not services.unapproved_terms(BriefFactory(terms=[term])).exists()


# Admin ----------------------------------------------------------------------


def test_editor_saving_a_definition_in_the_admin_proposes_it(client, editor):
    term = TermFactory(name="mesa-optimizer", definition="Old.")
    client.force_login(editor)
    response = client.post(
        f"/admin/glossary/term/{term.pk}/change/",
        {
            "name": term.name,
            "slug": term.slug,
            "definition": "New.",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "redirects-TOTAL_FORMS": "0",
            "redirects-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert "waits for a moderator" in response.content.decode()
    term.refresh_from_db()
    assert (term.definition, term.pending_definition) == ("Old.", "New.")


def test_moderator_approves_from_the_admin_list(client, editor, moderator):
    term = new_term(editor)
    client.force_login(moderator)
    client.post("/admin/glossary/term/", {"action": "approve_selected", "_selected_action": [term.pk]})
    term.refresh_from_db()
    assert term.status == TermStatus.APPROVED


def test_editor_is_not_offered_the_approve_action(client, editor):
    client.force_login(editor)
    page = client.get("/admin/glossary/term/").content.decode()
    assert "approve_selected" not in page


def test_term_admin_pages_show_the_proposal_and_history(client, editor, moderator):
    term = new_term(moderator)
    term.definition = "Proposed wording."
    services.save_term(term, by=editor)
    client.force_login(moderator)
    page = client.get(f"/admin/glossary/term/{term.pk}/change/").content.decode()
    assert "Proposed wording." in page and "Approved wordings" in page
    assert client.get("/admin/glossary/term/add/").status_code == 200
    listing = client.get("/admin/glossary/term/?status__exact=approved").content.decode()
    assert "reward hacking" in listing and "Import CSV" in listing


# The term form: the term first, no empty rows on "Add"


def test_the_add_term_form_puts_the_term_first_and_shows_no_empty_approval_rows(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:glossary_term_add")).text
    assert page.index('id="id_name"') < page.index('id="id_definition"') < page.index('id="id_slug"')
    assert 'class="term-name"' in page and "js/unsaved-changes.js" in page
    assert "Approval" not in page.split('id="term_form"')[1]
    assert 'aria-label="Name, row 1"' in page  # the alias row's input says which row it is


def test_a_proposed_definition_stays_in_view_for_the_approver(client, moderator):
    term = TermFactory(definition="Approved words.")
    term.pending_definition, term.pending_by = "Proposed words.", moderator
    term.save()
    client.force_login(moderator)
    page = client.get(reverse("admin:glossary_term_change", args=[term.pk])).text
    approval = page[page.index("Approval") - 300 : page.index("Proposed words.")]
    assert "collapse" not in approval
