"""Digest and notice mails, from templates, with their CSS inlined by css-inline.

Light colours are inlined (clients that drop <style> still show them); the dark-mode rules stay
in a <style> block for clients that honour `prefers-color-scheme`. Links are written as they
are: no tracking pixel, no redirect through us.

A digest is rendered once for everyone who gets the same briefs. Its personal links are
placeholders, filled in for each mail by `personalise`.
"""

import hashlib
import json
from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string
from django.utils import formats

from . import conf, links
from .models import Frequency

UNSUBSCRIBE_PLACEHOLDER = "https://newsletter.invalid/personal-unsubscribe-link"
MANAGE_PLACEHOLDER = "https://newsletter.invalid/personal-preferences-link"

_inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def inline_css(html):
    """Inline the CSS; end with a newline, as the part will on the wire (MIME adds one)."""
    return _inliner.inline(html).rstrip("\n") + "\n"


def _item(brief):
    definition_length = int(conf.get("DEFINITION_LENGTH"))
    primary = brief.primary_link
    return {
        "headline": brief.headline,
        "url": links.absolute(brief.get_absolute_url()),
        "summary": brief.dek,
        "points": [point.text for point in brief.points.all()],
        "terms": [
            {
                "name": use.term.name,
                "definition": truncatechars(" ".join(use.term.definition.split()), definition_length),
                "url": links.absolute(use.term.get_absolute_url()),
            }
            for use in brief.digest_terms
        ],
        "source": {"publisher": primary.source_name, "url": primary.url} if primary else None,
        "published_at": brief.published_at,
    }


def _local_date(moment):
    return formats.date_format(moment.astimezone(conf.newsroom_zone()), "j F Y")


def digest_subject(selection, frequency):
    label = "Daily" if frequency == Frequency.DAILY else "Weekly"
    first = selection.briefs[0].headline
    others = len(selection.briefs) - 1 + selection.more
    subject = f"{label} briefs: {first}"
    if others:
        subject += f" (+{others} more)"
    return truncatechars(subject, 250)


def content_key(selection, frequency):
    """Identifies a digest by what is in it: same briefs, versions and definitions, same mail."""
    briefs, terms, more = selection.key_parts
    raw = json.dumps([frequency, briefs, terms, more], separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def render_digest(selection, *, frequency, issue_date, test=False):
    """The digest mail for `selection`, with placeholder personal links."""
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "title": "Your daily briefs" if frequency == Frequency.DAILY else "Your weekly briefs",
        "frequency": Frequency(frequency).label.lower(),
        "issue_date": _local_date(issue_date),
        "items": [_item(brief) for brief in selection.briefs],
        "count": len(selection.briefs) + selection.more,
        "more": selection.more,
        "subject": digest_subject(selection, frequency),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "manage_url": MANAGE_PLACEHOLDER,
        "postal_address": conf.get("POSTAL_ADDRESS"),
        "test": test,
    }
    html = inline_css(render_to_string("newsletter/email/digest.html", context))
    text = render_to_string("newsletter/email/digest.txt", context)
    return Rendered(subject=context["subject"], html=html, text=text)


def personalise(body, *, unsubscribe_url, manage_url):
    return body.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url).replace(MANAGE_PLACEHOLDER, manage_url)


def render_notice(name, subject, **context):
    """A confirmation, welcome or already-subscribed mail: templates newsletter/email/<name>.*"""
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "subject": subject,
        "postal_address": conf.get("POSTAL_ADDRESS"),
        "confirm_days": conf.get("CONFIRM_DAYS"),
        **context,
    }
    html = inline_css(render_to_string(f"newsletter/email/{name}.html", context))
    text = render_to_string(f"newsletter/email/{name}.txt", context)
    return Rendered(subject=subject, html=html, text=text)
