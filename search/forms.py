from django import forms
from django.core.cache import cache
from taggit.models import Tag

from briefs.models import Brief

from .backends import MAX_QUERY_LENGTH, normalize_query

TAG_CHOICES_KEY = "search:tag-choices"
TAG_CHOICES_SECONDS = 300


def tag_choices():
    """(slug, name) of the tags on published briefs; cached, since joining the archive takes a while."""
    choices = cache.get(TAG_CHOICES_KEY)
    if choices is None:
        tags = Tag.objects.filter(brief__in=Brief.objects.published()).distinct().order_by("name")
        choices = list(tags.values_list("slug", "name"))
        cache.set(TAG_CHOICES_KEY, choices, TAG_CHOICES_SECONDS)
    return choices


class QueryField(forms.CharField):
    """Free text, cleaned (no NUL, control or bidi characters) and cut before anything else sees it."""

    def to_python(self, value):
        return normalize_query(super().to_python(value))

    def bound_data(self, data, initial):
        return normalize_query(data)


class SearchForm(forms.Form):
    """The reader's search: any text is accepted; it is cleaned and cut to a sane length, never refused."""

    q = QueryField(
        label="Search briefs and the glossary",
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"}
        ),
    )
    tag = forms.ChoiceField(label="Topic", required=False)
    date_from = forms.DateField(
        label="Published from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "Any topic"), *tag_choices()]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
