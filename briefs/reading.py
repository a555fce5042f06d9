"""Reading time: the words of a brief's summary, points and body at about 230 words a minute.

Words are counted by the database after each recorded change of a brief's content and stored
on the brief (`refresh_word_counts`), so a list shows each brief's time without loading their
points or counting on every view. A word is what a space or a line break ends: the same rule in
SQL (`word_count_sql`) and in Python (`count_words`), so a brief shows the same time on its
page, in lists and in previews.
"""

import math

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Length, Replace

WORDS_PER_MINUTE = 230


def count_words(text):
    text = (text or "").replace("\n", " ")
    return text.count(" ") + 1 if text else 0


def word_count_sql(field):
    """Words in a text column: its spaces and line breaks, plus one when it is not empty."""
    flat = Replace(F(field), Value("\n"), Value(" "))
    spaces = Length(flat) - Length(Replace(flat, Value(" "), Value("")))
    return Case(When(Q(**{field: ""}), then=Value(0)), default=spaces + 1, output_field=IntegerField())


def word_count_expression():
    """The words of a brief's summary, points and body, as an expression on briefs."""
    from .models import BriefPoint

    point_words = (
        BriefPoint.objects.filter(brief=OuterRef("pk"))
        .order_by()
        .values("brief")
        .annotate(words=Sum(word_count_sql("text")))
        .values("words")
    )
    return (
        word_count_sql("dek")
        + word_count_sql("body")
        + Coalesce(Subquery(point_words, output_field=IntegerField()), Value(0))
    )


def refresh_word_counts(ids):
    """Store the word counts of these briefs (ids, or None for all) in one statement.

    Runs after each commit that recorded a change of briefs' content, before the page cache is
    purged, so no card is kept with the count from before the change."""
    from .models import Brief

    briefs = Brief.objects.all() if ids is None else Brief.objects.filter(pk__in=ids)
    briefs.update(word_count=word_count_expression())


def minutes_for(words):
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def reading_minutes(brief):
    """Minutes to read `brief`: from its prefetched points when they are there (a brief's page, a
    preview of changes not stored yet), else from its stored `word_count`."""
    points = getattr(brief, "_prefetched_objects_cache", {}).get("points")
    if points is None:
        words = brief.word_count
    else:
        words = count_words(brief.dek) + count_words(brief.body)
        words += sum(count_words(point.text) for point in points)
    return minutes_for(words)
