from django import forms
from taggit.models import Tag

from briefs.models import Brief

from .backends import MAX_QUERY_LENGTH, normalize_query


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
    tag = forms.ModelChoiceField(
        label="Topic",
        queryset=Tag.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Any topic",
    )
    date_from = forms.DateField(
        label="Published from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = (
            Tag.objects.filter(brief__in=Brief.objects.published()).distinct().order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
