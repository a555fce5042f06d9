"""Rows of an admin table (tabular inlines) that a screen reader can tell apart.

A table row's inputs have no <label> of their own, only the column heading; each input is given
an accessible name that says its column and its row ("Text, row 2", "Delete, row 2")."""

from django import forms
from django.forms.models import BaseInlineFormSet


def row_name(prefix):
    index = prefix.rsplit("-", 1)[-1] if prefix else ""
    return f"row {int(index) + 1}" if index.isdigit() else "new row"


def label_row_inputs(form):
    row = row_name(form.prefix)
    for field in form.fields.values():
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("aria-label", f"{field.label}, {row}")


class LabelledRowForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_row_inputs(self)


class LabelledRowsFormSet(BaseInlineFormSet):
    """Also names the Delete checkbox the formset adds to each row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        label_row_inputs(form)
