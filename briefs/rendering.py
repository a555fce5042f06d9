"""Turn an editor's Markdown body into safe HTML, and into plain text for feeds and the API."""

import html

import markdown
import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "h2", "h3", "h4", "hr", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_body(markdown_text: str) -> str:
    """Markdown to HTML, then an allow-list sanitizer: raw HTML, scripts and odd URLs never survive."""
    if not markdown_text:
        return ""
    raw = markdown.markdown(markdown_text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def body_text(markdown_text: str) -> str:
    """The body as plain text: the rendered HTML without its tags, entities decoded."""
    return html.unescape(strip_tags(render_body(markdown_text))).strip()
