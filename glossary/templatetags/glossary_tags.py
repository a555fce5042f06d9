from django import template

from ..linking import TermLinker, link_terms, linker_for_brief

register = template.Library()


@register.filter(name="link_terms")
def link_terms_filter(value, terms_or_brief):
    """`{{ point.text|link_terms:brief }}`: link the first mention of each of the brief's terms.

    Given a brief, the first mention across all its points and body is linked once. Plain text is
    escaped; a value already marked safe (the sanitized Markdown body) is treated as HTML.
    """
    if isinstance(terms_or_brief, TermLinker):
        return terms_or_brief.link(value)
    if hasattr(terms_or_brief, "brief_terms"):
        return linker_for_brief(terms_or_brief).link(value)
    return link_terms(value, terms_or_brief)
