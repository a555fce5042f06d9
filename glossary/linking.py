"""Term links for readers: the first mention of each term links to its page, definition on hover.

The markup needs no JavaScript:

    <span class="term-ref"><a class="term-ref__link" href="/glossary/slug/"
      aria-describedby="term-tip-7">name</a><span class="term-ref__tip" role="tooltip"
      id="term-tip-7">definition</span></span>

static/css/terms.css shows the tooltip on :hover and :focus-within (keyboard focus, and a tap
on touch screens, which focuses and hovers the link); screen readers announce the definition
as the link's description. The link itself leads to the term page, the fallback everywhere.
`data-term` (the term's slug) lets static/js/known-terms.js quiet the tips of terms a reader
marked as known; without script nothing reads it.
"""

import html
import re

from django.db.models import prefetch_related_objects
from django.utils.html import escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

from core.text import shorten

from .matcher import index_for

TOOLTIP_CHARACTERS = 360  # about 60 words
# Elements whose text is never linked: links, code, and anything that is not reader prose.
SKIPPED = frozenset(
    {"a", "code", "pre", "kbd", "samp", "script", "style", "textarea", "button", "svg", "math"}
)
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")


class TermLinker:
    """Links each of `terms` once across every text it is given (points, then body, …)."""

    def __init__(self, terms, *, id_prefix="term-tip"):
        terms = [term for term in terms if term.is_approved]
        prefetch_related_objects(terms, "aliases")
        self.terms = {term.pk: term for term in terms}
        self.index = index_for(terms)
        self.id_prefix = id_prefix
        self.linked = set()

    def link(self, value) -> SafeString:
        """Sanitized HTML (a SafeString) has its text nodes linked; anything else is escaped first."""
        if isinstance(value, SafeData):
            return self.link_html(str(value))
        return self.link_text(str(value or ""))

    def link_text(self, text: str) -> SafeString:
        return mark_safe(self._link_plain(text))  # noqa: S308 (every piece is escaped in _link_plain)

    def link_html(self, markup: str) -> SafeString:
        """Link terms in already-sanitized HTML, touching only text outside links and code."""
        out, skipping = [], []
        for token in _TOKENS.split(markup):
            if not token:
                continue
            if token.startswith("<"):
                out.append(token)
                tag = _TAG_NAME.match(token)
                if tag and not token.startswith("<!--"):
                    closing, name = tag.group(1) == "/", tag.group(2).lower()
                    if name in SKIPPED and name not in VOID and not token.rstrip().endswith("/>"):
                        if closing:
                            if name in skipping:
                                del skipping[len(skipping) - 1 - skipping[::-1].index(name) :]
                        else:
                            skipping.append(name)
            elif skipping:
                out.append(token)
            else:
                out.append(self._link_plain(html.unescape(token)))
        return mark_safe("".join(out))  # noqa: S308 (tags come from the sanitizer, text is escaped)

    def _link_plain(self, text: str) -> str:
        pieces, position = [], 0
        for match in self.index.find(text):
            if match.term_id in self.linked:
                continue
            self.linked.add(match.term_id)
            pieces.append(escape(text[position : match.start]))
            pieces.append(self._anchor(self.terms[match.term_id], match.text))
            position = match.end
        pieces.append(escape(text[position:]))
        return "".join(pieces)

    def _anchor(self, term, shown):
        tip_id = f"{self.id_prefix}-{term.pk}"
        # The tip shows on hover and focus (CSS). On touch screens, where a tap on the link would
        # leave the page, a small button opens the same tip as a native popover: still no script.
        return format_html(
            '<span class="term-ref"><a class="term-ref__link" href="{}" aria-describedby="{}"'
            ' data-term="{}">{}</a>'
            '<button type="button" class="term-ref__toggle" popovertarget="{}" aria-label="Definition of {}">'
            '<span aria-hidden="true">?</span></button>'
            '<span class="term-ref__tip" role="tooltip" id="{}" popover>{}</span></span>',
            term.get_absolute_url(),
            tip_id,
            term.slug,
            shown,
            tip_id,
            term.name,
            tip_id,
            shorten(term.definition, TOOLTIP_CHARACTERS),
        )


def link_terms(text, terms) -> SafeString:
    """Escape `text` (or take sanitized HTML as it is) and link the first mention of each term."""
    return TermLinker(terms).link(text)


def linker_for_brief(brief) -> TermLinker:
    """One linker per brief object, so a term is linked once across its points and body."""
    linker = getattr(brief, "_term_linker", None)
    if linker is None:
        terms = [use.term for use in brief.brief_terms.all() if use.term.is_approved]
        linker = TermLinker(terms, id_prefix=f"brief-{brief.pk}-term")
        brief._term_linker = linker
    return linker
