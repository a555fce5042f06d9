"""JSON-LD for search engines, built as dicts and emitted so no text can end the <script> early."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .site_url import site_url

# The same escapes Django's json_script uses: "<", ">" and "&" never appear literally.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data):
    """A `<script type="application/ld+json">` element holding `data`."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def absolute_url(path):
    """The public address of a site path, from settings.SITE_URL (see `site_url`)."""
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + path


def glossary_set_id():
    return absolute_url("/glossary/") + "#glossary"


def defined_term_set():
    """The one site-wide DefinedTermSet every DefinedTerm belongs to."""
    return {
        "@type": "DefinedTermSet",
        "@id": glossary_set_id(),
        "name": f"{settings.SITE_NAME} glossary",
        "url": absolute_url("/glossary/"),
    }


def defined_term(term, *, in_set=True):
    data = {
        "@type": "DefinedTerm",
        "@id": absolute_url(term.get_absolute_url()) + "#term",
        "name": term.name,
        "description": term.definition,
        "url": absolute_url(term.get_absolute_url()),
    }
    if in_set:
        data["inDefinedTermSet"] = glossary_set_id()
    return data
