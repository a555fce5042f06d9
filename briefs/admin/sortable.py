"""Ordered inline rows (points, terms, links) without typed positions.

Each row's position is a hidden input beside "Move up" and "Move down" buttons. With
JavaScript (briefs/admin/sortable.js) the buttons and dragging move the row on the page and
renumber the positions. Without it the buttons submit the form: the two rows swap places in
the posted data and the form comes back, unsaved, in the new order.
"""

import re

from django import forms
from django.contrib import messages

MOVE = "_move"
MOVE_VALUE = re.compile(r"^(?P<prefix>[\w-]+?)-(?P<index>\d+)-position:(?P<direction>up|down)$")
# A row's own place in the formset: these stay with the row's index when two rows swap.
ROW_KEYS = {"id", "brief", "position"}


class MoveWidget(forms.Widget):
    """The position as a hidden value, with buttons that move its row."""

    template_name = "briefs/widgets/move.html"

    def format_value(self, value):
        return "" if value is None else str(value)


class SortableInline:
    """An inline whose rows are put in order by moving them, not by typing numbers."""

    sortable_field = "position"

    def get_formset(self, request, obj=None, **kwargs):
        widgets = {**kwargs.pop("widgets", {}), self.sortable_field: MoveWidget}
        formset = super().get_formset(request, obj, widgets=widgets, **kwargs)
        field = formset.form.base_fields.get(self.sortable_field)
        if field is not None:
            field.label, field.help_text = "Order", ""
        return formset


def move_requested(request):
    return request.method == "POST" and MOVE in request.POST


def apply_move(request):
    """Swap the two rows a no-JavaScript "Move" button names in the posted data, and renumber the
    positions of that formset in row order. Returns False when the button names no such rows."""
    match = MOVE_VALUE.match(request.POST.get(MOVE, ""))
    if not match:
        return False
    prefix, index = match["prefix"], int(match["index"])
    other = index - 1 if match["direction"] == "up" else index + 1
    data = request.POST.copy()
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return False
    if not (0 <= index < total and 0 <= other < total):
        return False
    rows = [_row(data, prefix, index), _row(data, prefix, other)]
    for key in [key for key in data if _row_field(key, prefix, index) or _row_field(key, prefix, other)]:
        del data[key]
    for fields, target in zip(rows, (other, index), strict=True):
        for field, values in fields.items():
            data.setlist(f"{prefix}-{target}-{field}", values)
    for position in range(total):
        data[f"{prefix}-{position}-position"] = str(position)
    data.pop(MOVE, None)
    request.POST = data
    return True


def _split(key, prefix):
    rest = key.removeprefix(f"{prefix}-")
    if rest == key or "-" not in rest:
        return None, None
    index, _, field = rest.partition("-")
    return (int(index), field) if index.isdigit() else (None, None)


def _row_field(key, prefix, index):
    found, field = _split(key, prefix)
    return found == index and field not in ROW_KEYS


def _row(data, prefix, index):
    """What the editor typed in one row (not its id, parent or position)."""
    fields = {}
    for key in data:
        found, field = _split(key, prefix)
        if found == index and field not in ROW_KEYS:
            fields[field] = data.getlist(key)
    return fields


def moved_message(request):
    messages.info(request, "Moved. Nothing is saved until you press Save.")
