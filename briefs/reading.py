"""Reading time: the words of a brief's summary, points and body at about 230 words a minute.

Words are counted by the database, in the query that reads the briefs (`with_reading_time`),
so a list of briefs shows each one's time without loading their points. A word is what a
space or a line break ends: the same rule in SQL (`word_count_sql`) and in Python
(`count_words`), so a brief shows the same time on its page, in lists and in previews.
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


def with_reading_time(queryset):
    """Annotate each brief with `word_count` (summary, points and body) in the same query."""
    from .models import BriefPoint

    point_words = (
        BriefPoint.objects.filter(brief=OuterRef("pk"))
        .order_by()
        .values("brief")
        .annotate(words=Sum(word_count_sql("text")))
        .values("words")
    )
    return queryset.annotate(
        word_count=word_count_sql("dek")
        + word_count_sql("body")
        + Coalesce(Subquery(point_words, output_field=IntegerField()), Value(0))
    )


def minutes_for(words):
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def reading_minutes(brief):
    """Minutes to read `brief`: from its `word_count` annotation, else from its prefetched points.

    None when neither is there: a list that forgot `with_reading_time` shows no time rather than
    running a query per brief."""
    words = getattr(brief, "word_count", None)
    if words is None:
        points = getattr(brief, "_prefetched_objects_cache", {}).get("points")
        if points is None:
            return None
        words = count_words(brief.dek) + count_words(brief.body)
        words += sum(count_words(point.text) for point in points)
    return minutes_for(words)
