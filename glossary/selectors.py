"""Reads for the public glossary. Counts and lists of briefs start from `Brief.objects.published()`."""

import string
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from briefs.models import Brief, BriefTerm
from briefs.selectors import published_briefs

from .models import Term, TermRevision

OTHER = "#"


def terms_with_counts(query=""):
    """All terms A–Z with `brief_count`, the number of published briefs using each.

    `query` keeps terms whose name, alias or definition contains it, ignoring case.
    """
    counts = (
        BriefTerm.objects.filter(term=OuterRef("pk"), brief__in=Brief.objects.published().values("pk"))
        .order_by()
        .values("term")
        .annotate(n=Count("pk"))
        .values("n")
    )
    terms = Term.objects.approved().annotate(
        brief_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    )
    query = (query or "").strip()
    if query:
        matches = Term.objects.approved().filter(
            Q(name__icontains=query) | Q(aliases__name__icontains=query) | Q(definition__icontains=query)
        )
        terms = terms.filter(pk__in=matches.values("pk"))
    return terms


def term_briefs(term, *, oldest_first=False):
    """Published briefs using `term`, newest first unless `oldest_first`."""
    order = ("published_at", "pk") if oldest_first else ("-published_at", "-pk")
    return published_briefs().filter(brief_terms__term=term).order_by(*order)


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
