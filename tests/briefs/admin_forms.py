"""Build the POST an editor's browser would send from an admin change form as rendered."""

from django.forms import MultiWidget


def _add(data, bound, value):
    if value is None or value == "":
        return
    if isinstance(value, bool):
        if value:
            data[bound.html_name] = "on"
        return
    if bound.name == "tags":
        data[bound.html_name] = ", ".join(tag.name for tag in value) if not isinstance(value, str) else value
        return
    if isinstance(value, (list, tuple)):
        data[bound.html_name] = [str(v) for v in value]
        return
    data[bound.html_name] = str(value)


def admin_form_data(response):
    """Every field of the rendered change form (main form, inline management forms and rows)."""
    context = response.context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            widget = bound.field.widget
            if isinstance(widget, MultiWidget) and value is not None:
                parts = widget.decompress(value)
                for i, part in enumerate(parts):
                    if part is not None:
                        data[f"{bound.html_name}_{i}"] = str(part)
                continue
            if hasattr(value, "name") and not isinstance(value, str) and bound.name != "tags":
                value = value.name or None  # files: keep the stored one
                if value is None:
                    continue
                continue
            _add(data, bound, value)
    return data
