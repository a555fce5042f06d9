from functools import lru_cache

from django import forms
from django.core.cache import cache
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from briefs import selectors

from .backends import MAX_QUERY_LENGTH, normalize_query

TAG_CHOICES_KEY = "search:tag-choices"
TAG_CHOICES_SECONDS = 300
# The topic list offers the most used topics; any other published topic (from a tag page's
# link, say) is still accepted and then listed too.
TOPIC_CHOICES = 100


def tag_choices():
    """(slug, name) of the most used tags on published briefs, A–Z; cached, since counting them
    reads the whole archive."""
    choices = cache.get(TAG_CHOICES_KEY)
    if choices is None:
        most_used = selectors.tags_with_counts().order_by("-brief_count", "name")[:TOPIC_CHOICES]
        choices = sorted(((tag.slug, tag.name) for tag in most_used), key=lambda c: c[1].lower())
        cache.set(TAG_CHOICES_KEY, choices, TAG_CHOICES_SECONDS)
    return choices


@lru_cache(maxsize=8)
def _options(choices):
    """The <option> elements of these (slug, name) pairs, each on a line of its own."""
    return format_html_join("\n", '<option value="{}">{}</option>', choices)


class TopicSelect(forms.Select):
    """A select whose options are rendered once per list of topics: Django's Select renders every
    option through a template, about 50 µs each, on every search page."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = _options(tuple(self.choices))
        if value:
            unselected = format_html('<option value="{}">', value)
            options = mark_safe(options.replace(unselected, unselected[:-1] + " selected>", 1))  # noqa: S308
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


class TopicField(forms.ChoiceField):
    """A tag slug among the form's choices (the form adds a chosen topic that is not listed)."""

    widget = TopicSelect
    default_error_messages = {
        "invalid_choice": "No published brief has the topic “%(value)s”. Choose one from the list.",
    }


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
    tag = TopicField(label="Topic", required=False)
    date_from = forms.DateField(
        label="Published from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = tag_choices()
        chosen = self.data.get("tag") if self.is_bound else None
        if chosen and chosen not in dict(choices):
            tag = selectors.published_tag(chosen)
            if tag is not None:
                choices = sorted([*choices, (tag.slug, tag.name)], key=lambda c: c[1].lower())
        self.fields["tag"].choices = [("", "Any topic"), *choices]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
