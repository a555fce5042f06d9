"""Filters for the readers' pages: shortened definitions and summaries, reading time."""

from django import template

from core.text import shorten

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
