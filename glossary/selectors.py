"""Reads of the glossary: approved terms for the public site (the first ones), and what waits for
approval for the newsroom. Briefs are read through a term's relation
(`term.briefs.listed()`) and counted by `glossary.usage`, so their visibility rule stays the briefs'."""

import string
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from . import usage
from .models import Term, TermRevision, TermStatus

OTHER = "#"


def glossary_terms(query=""):
    """Approved terms A–Z, each with `brief_count` (published briefs using it). `query` keeps those
    whose name, alias or definition contains it, ignoring case."""
    terms = Term.objects.approved().annotate(brief_count=usage.brief_count())
    query = (query or "").strip()
    if query:
        matches = Term.objects.approved().filter(
            Q(name__icontains=query) | Q(aliases__name__icontains=query) | Q(definition__icontains=query)
        )
        terms = terms.filter(pk__in=matches.values("pk"))
    return terms


def term_page(slug):
    """The approved term at `slug` with what its page shows (aliases, related terms, counts), or None."""
    return (
        Term.objects.approved()
        .annotate(brief_count=usage.brief_count(), revision_count=revision_count())
        .prefetch_related("aliases", Prefetch("related_terms", queryset=Term.objects.approved()))
        .filter(slug=slug)
        .first()
    )


def term_briefs(term, *, oldest_first=False):
    """Published briefs using `term` (read through the term's own relation), newest first unless
    `oldest_first`, with what a list of cards shows."""
    order = ("published_at", "pk") if oldest_first else ("-published_at", "-pk")
    return term.briefs.listed().for_lists().order_by(*order)


def letter_of(name):
    first = name[:1].upper()
    return first if first in string.ascii_uppercase else OTHER


@dataclass
class LetterGroup:
    letter: str
    terms: list = field(default_factory=list)

    @property
    def anchor(self):
        return "letter-other" if self.letter == OTHER else f"letter-{self.letter.lower()}"


def group_by_letter(terms):
    """[(letter, terms)] for A–Z and "#" (anything else), including letters with no terms."""
    groups = {letter: LetterGroup(letter) for letter in [*string.ascii_uppercase, OTHER]}
    for term in terms:
        groups[letter_of(term.name)].terms.append(term)
    return list(groups.values())


def revision_count():
    """Annotation: how many approved wordings a term has had (its definition history)."""
    counts = (
        TermRevision.objects.filter(term=OuterRef("pk")).order_by().values("term").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), 0)


def awaiting_approval_q():
    """A draft term, or an approved one with a proposed new wording: what a moderator approves."""
    return Q(status=TermStatus.DRAFT) | ~Q(pending_definition="")


def terms_awaiting_approval():
    """For the newsroom's desk: terms waiting for a moderator, longest waiting first."""
    terms = Term.objects.filter(awaiting_approval_q()).select_related("pending_by")
    return terms.order_by("updated_at", "pk")
