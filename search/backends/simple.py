"""Any other database (SQLite): plain case-insensitive matching, never erroring."""

from functools import reduce
from operator import and_, or_

from django.db.models import (
    Case,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Lower

from briefs.models import Brief

from ..query import parse_query
from ..snippets import highlight


class SimpleBackend:
    """Any other database (SQLite): case-insensitive matching of every word, headline hits first."""

    brief_fields = {"headline": 4, "dek": 2, "search_entry__extra": 2, "body": 1}
    term_fields = {"name": 4, "search_entry__aliases": 3, "definition": 1}

    def _matches(self, parsed, fields):
        def anywhere(word):
            return reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields))

        wanted = reduce(or_, (reduce(and_, (anywhere(w) for w in group)) for group in parsed.groups))
        for word in parsed.excluded:
            wanted &= ~anywhere(word)
        return wanted

    def _score(self, parsed, fields):
        scores = [
            Case(
                *(
                    When(**{f"{name}__icontains": word}, then=Value(weight))
                    for name, weight in fields.items()
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for word in parsed.words
        ]
        return reduce(lambda a, b: a + b, scores)

    def _search(self, queryset, text, fields, ordering):
        parsed = parse_query(text)
        if not parsed.groups:
            return queryset.none()
        found = queryset.filter(self._matches(parsed, fields))
        return found.annotate(search_rank=self._score(parsed, fields)).order_by("-search_rank", *ordering)

    def briefs(self, queryset, text, *, prefix=False, candidates=None):
        return self._search(queryset, text, self.brief_fields, ["-published_at", "-pk"])

    def terms(self, queryset, text, *, prefix=False):
        return self._search(queryset, text, self.term_fields, [Lower("name"), "pk"])

    def snippets(self, briefs, text):
        words = parse_query(text).words
        rows = (
            Brief.objects.filter(pk__in=[b.pk for b in briefs])
            .order_by()
            .values_list("pk", "dek", "search_entry__extra", "body")
        )
        return {pk: highlight("\n".join(part for part in parts if part), words) for pk, *parts in rows}
