"""Glossary actions: saving, approving and merging terms, and the publication check for briefs.

Admin actions, management commands and tests call these; nothing else sets a term's status.
Each records what it changed (`core.changes`), so the matcher, the search index and the page
cache follow after commit.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core import changes

from .models import Term, TermAlias, TermRedirect, TermRevision, TermStatus

APPROVE_PERMISSION = "glossary.approve_term"
ADD_PERMISSION = "glossary.add_term"


def can_approve(user) -> bool:
    return bool(user and user.has_perm(APPROVE_PERMISSION))


def can_propose(user) -> bool:
    return bool(user and user.is_active and user.has_perm(ADD_PERMISSION))


@transaction.atomic
def propose_term(*, name, definition, by) -> Term:
    """A new term named while writing a brief (the term chooser): always a draft that waits for a
    moderator's approval, whoever proposes it; readers see it only once approved."""
    if not can_propose(by):
        raise PermissionDenied("You are not allowed to add glossary terms.")
    term = Term(name=name, definition=definition, status=TermStatus.DRAFT)
    term.full_clean()
    term.save()
    changes.record(changes.TERMS, [term.pk])
    return term


def _record_revision(term, by):
    TermRevision.objects.create(term=term, text=term.definition, approved_by=by, approved_at=timezone.now())


def _remember_old_slug(term, old_slug):
    if old_slug and old_slug != term.slug:
        TermRedirect.objects.filter(old_slug=term.slug).delete()
        TermRedirect.objects.update_or_create(old_slug=old_slug, defaults={"term": term})


@transaction.atomic
def save_term(term: Term, *, by) -> Term:
    """Save a validated term as `by` typed it.

    Someone who may approve publishes the definition at once (and records a revision).
    Anyone else creates a draft term, or — for an approved term — proposes the new wording,
    which waits in `pending_definition` while readers keep the approved one.
    """
    approver = can_approve(by)
    if term.pk is None:
        term.status = TermStatus.APPROVED if approver else TermStatus.DRAFT
        term.save()
        if approver:
            _record_revision(term, by)
        changes.record(changes.TERMS, [term.pk])
        return term

    stored = Term.objects.select_for_update().get(pk=term.pk)
    typed = term.definition
    if approver:
        if stored.pending_definition and typed == stored.pending_definition:
            term.pending_definition, term.pending_by = "", None
        else:
            term.pending_definition, term.pending_by = stored.pending_definition, stored.pending_by
        term.status = TermStatus.APPROVED
        term.save()
        if typed != stored.definition or stored.status != TermStatus.APPROVED:
            _record_revision(term, by)
    else:
        term.status = stored.status
        if stored.status == TermStatus.APPROVED:
            term.definition = stored.definition
            if typed != stored.definition:
                term.pending_definition, term.pending_by = typed, by
            else:
                term.pending_definition, term.pending_by = stored.pending_definition, stored.pending_by
        term.save()
    _remember_old_slug(term, stored.slug)
    changes.record(changes.TERMS, [term.pk])
    return term


@transaction.atomic
def approve_term(term: Term, *, by) -> Term:
    """Make the proposed definition (or a draft term's definition) the one readers see."""
    if not can_approve(by):
        raise PermissionDenied("Only moderators can approve term definitions.")
    term = Term.objects.select_for_update().get(pk=term.pk)
    if term.pending_definition:
        term.definition = term.pending_definition
    elif term.status == TermStatus.APPROVED:
        return term
    term.pending_definition, term.pending_by = "", None
    term.status = TermStatus.APPROVED
    term.full_clean()
    term.save()
    _record_revision(term, by)
    changes.record(changes.TERMS, [term.pk])
    return term


@transaction.atomic
def reject_pending_definition(term: Term, *, by) -> Term:
    """Drop a proposed wording; the approved definition stays."""
    if not can_approve(by):
        raise PermissionDenied("Only moderators can reject proposed definitions.")
    Term.objects.filter(pk=term.pk).update(pending_definition="", pending_by=None)
    term.refresh_from_db()
    return term


@transaction.atomic
def remove_alias(alias):
    """Delete an alias; the matcher stops finding it in every process."""
    term_id = alias.term_id
    alias.delete()
    changes.record(changes.TERMS, [term_id])


def unapproved_terms(brief):
    """Terms listed on `brief` that have no approved definition yet (empty when it may be published)."""
    return Term.objects.filter(brief_terms__brief=brief).exclude(status=TermStatus.APPROVED).order_by("name")


@transaction.atomic
def merge_terms(survivor: Term, others, *, by=None) -> Term:
    """Fold `others` into `survivor`: briefs, aliases and related terms move; old slugs redirect.

    Each merged term's name becomes an alias of the survivor, so the matcher keeps finding it.
    The briefs' uses of a term are reached through the term's own relation (`brief_terms`).
    """
    others = [t for t in others if t.pk != survivor.pk]
    touched_briefs = set()
    for other in Term.objects.select_for_update().filter(pk__in=[t.pk for t in others]):
        for use in other.brief_terms.all():
            touched_briefs.add(use.brief_id)
            if survivor.brief_terms.filter(brief_id=use.brief_id).exists():
                use.delete()
            else:
                use.term = survivor
                use.save(update_fields=["term"])
        TermAlias.objects.filter(term=other).update(term=survivor)
        related = other.related_terms.exclude(pk__in=[survivor.pk, *[t.pk for t in others]])
        survivor.related_terms.add(*related)
        TermRedirect.objects.filter(term=other).update(term=survivor)
        old_slug, old_name = other.slug, other.name
        other.delete()
        TermRedirect.objects.update_or_create(old_slug=old_slug, defaults={"term": survivor})
        if not TermAlias.objects.filter(name__iexact=old_name).exists() and old_name.lower() != (
            survivor.name.lower()
        ):
            TermAlias.objects.create(term=survivor, name=old_name)
    changes.record(changes.TERMS, [survivor.pk, *[t.pk for t in others]])
    changes.record(changes.BRIEF_CONTENT, touched_briefs)
    return survivor
