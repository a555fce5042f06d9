"""How many published briefs use each term.

The glossary shows these numbers but does not know what makes a brief public: the app
that owns briefs registers, in its `ready()`, the expression that counts them for a term
(`register_brief_count`), built on its own `published()` rule. The rule stays in one
place, and the arrow between the apps points one way.
"""

from django.db.models import IntegerField, Value

_brief_count = None


def register_brief_count(expression_factory):
    """`expression_factory()` returns an expression that annotates a Term queryset with the count."""
    global _brief_count
    _brief_count = expression_factory


def brief_count():
    """The annotation: `Term.objects.annotate(brief_count=usage.brief_count())`."""
    if _brief_count is None:
        return Value(0, output_field=IntegerField())
    return _brief_count()
