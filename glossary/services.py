"""Glossary actions: saving, approving and merging terms, and the publication check for briefs.

Admin actions, management commands and tests call these; nothing else sets a term's status.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Term, TermAlias, TermRedirect, TermRevision, TermStatus

APPROVE_PERMISSION = "glossary.approve_term"


def can_approve(user) -> bool:
    return bool(user and user.has_perm(APPROVE_PERMISSION))


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
    return term


@transaction.atomic
def reject_pending_definition(term: Term, *, by) -> Term:
    """Drop a proposed wording; the approved definition stays."""
    if not can_approve(by):
        raise PermissionDenied("Only moderators can reject proposed definitions.")
    Term.objects.filter(pk=term.pk).update(pending_definition="", pending_by=None)
    term.refresh_from_db()
    return term


def unapproved_terms(brief):
    """Terms listed on `brief` that have no approved definition yet (empty when it may be published)."""
    return Term.objects.filter(brief_terms__brief=brief).exclude(status=TermStatus.APPROVED).order_by("name")


def unapproved_terms_message(terms) -> str:
    names = ", ".join(f"“{term.name}”" for term in terms)
    return (
        "This brief cannot be published while some of its terms have no approved definition: "
        f"{names}. Ask a moderator to approve them, or remove them from the brief."
    )


def check_terms_approved(brief) -> None:
    """Raise ValidationError listing the brief's unapproved terms; the publish service calls this."""
    terms = list(unapproved_terms(brief))
    if terms:
        raise ValidationError(unapproved_terms_message(terms), code="unapproved_terms")


@transaction.atomic
def merge_terms(survivor: Term, others, *, by=None) -> Term:
    """Fold `others` into `survivor`: briefs, aliases and related terms move; old slugs redirect.

    Each merged term's name becomes an alias of the survivor, so the matcher keeps finding it.
    """
    from briefs.models import BriefTerm

    others = [t for t in others if t.pk != survivor.pk]
    for other in Term.objects.select_for_update().filter(pk__in=[t.pk for t in others]):
        for brief_term in BriefTerm.objects.filter(term=other):
            if BriefTerm.objects.filter(brief_id=brief_term.brief_id, term=survivor).exists():
                brief_term.delete()
            else:
                brief_term.term = survivor
                brief_term.save(update_fields=["term"])
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
    return survivor
