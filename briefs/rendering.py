"""The optional Markdown body, rendered and then cleaned by an allow-list sanitizer."""

import html
import re

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "a", "abbr", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# The page has one h1 and uses h2 for its sections: body headings start at h3.
_TOP_HEADINGS = re.compile(r"<(/?)h[12](\s|>)")


def render_body(text):
    """Markdown to HTML that is safe to show: no scripts, styles, images or event handlers."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    html = _TOP_HEADINGS.sub(r"<\1h3\2", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned.strip())  # noqa: S308 (sanitized by nh3 just above)


def plain_text(body_html):
    """Rendered HTML as plain text (feeds, search, the API): no tags, entities decoded."""
    return html.unescape(strip_tags(body_html)).strip()


def body_text(text):
    """The Markdown body as plain text."""
    return plain_text(render_body(text))
