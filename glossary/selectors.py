"""Reads for the public glossary pages: what a term page and the glossary search show readers."""

from django.db.models import Q

from .models import Term


def briefs_using(term):
    """Published briefs that list `term`, newest first."""
    from briefs.models import Brief

    return Brief.objects.published().filter(brief_terms__term=term).distinct()


def search_terms(query: str):
    """Approved terms whose name, alias or definition contains every word of `query`."""
    terms = Term.objects.approved()
    words = query.split()
    if not words:
        return terms.none()
    for word in words:
        terms = terms.filter(
            Q(name__icontains=word) | Q(aliases__name__icontains=word) | Q(definition__icontains=word)
        )
    return terms.distinct()
