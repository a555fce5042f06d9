"""Filters and tags for the readers' pages: shortened definitions and summaries, reading time,
the cards of a list of briefs."""

from django import template
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from core.text import shorten
from pagecache.fragments import cached_fragments

from ..models import Brief
from ..reading import reading_minutes

register = template.Library()


@register.filter(name="shorten")
def shorten_filter(value, limit):
    """`{{ term.definition|shorten:160 }}`: at most 160 characters, cut between words, with "…"."""
    return shorten(str(value or ""), int(limit))


@register.filter
def reading_time(brief):
    """`{{ brief|reading_time }}` → "3 min read" ("" when the brief's words were not loaded)."""
    minutes = reading_minutes(brief)
    return f"{minutes} min read" if minutes else ""


@register.simple_tag
def brief_cards(briefs, level=2):
    """`{% brief_cards briefs 3 as cards %}`: the card of each brief (headline level 3), in order.

    A card rarely changes, so each is kept between requests (see pagecache.fragments): a list whose
    cards are all kept reads nothing more and renders no card; the others are made together, with
    one query each for their tags and (when they have one) their images."""
    briefs = list(briefs)

    def make(missing):
        prefetch_related_objects(missing, "tags")
        Brief.objects.attach_renditions(missing)
        card = get_template("includes/brief_card.html")
        return [str(card.render({"brief": brief, "level": level})) for brief in missing]

    cards = cached_fragments({f"brief-card:{brief.pk}:{level}": brief for brief in briefs}, make)
    return [mark_safe(card) for card in cards]  # noqa: S308 (rendered by the card template)
