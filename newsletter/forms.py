import calendar

from django import forms
from django.conf import settings

from . import conf, consent, selectors
from .models import Frequency


class TopicsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


def frequency_choices():
    weekday = calendar.day_name[int(conf.get("WEEKLY_DAY")) % 7]
    return [
        (Frequency.DAILY, f"Daily, at {int(conf.get('DAILY_HOUR')):02d}:00: the briefs of the day before"),
        (Frequency.WEEKLY, f"Weekly, on {weekday}: the briefs of the week"),
    ]


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often", choices=frequency_choices, initial=Frequency.WEEKLY, widget=forms.RadioSelect
    )
    topics = TopicsField(
        label="Topics (optional)",
        queryset=None,
        required=False,
        help_text="Tick none to get every brief.",
    )

    def __init__(self, *args, current_topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = selectors.topic_choices(include=current_topics)


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    field_order = ["email", "frequency", "topics"]

    @property
    def consent_text(self):
        return consent.wording(consent.CURRENT, settings.SITE_NAME)
