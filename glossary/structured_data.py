"""Schema.org for the glossary: every term is a DefinedTerm in one site-wide DefinedTermSet."""

from django.conf import settings

from core.site import absolute_url


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
