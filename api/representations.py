"""Model objects to the plain data the API answers with (shapes in api/schemas.py)."""

from django.urls import reverse

from briefs.rendering import body_text, render_body
from core.site import absolute_url


def api_url(name, **kwargs):
    return absolute_url(reverse(f"api-v1:{name}", kwargs=kwargs))


def image(brief):
    if not brief.hero_image:
        return None
    return {
        "url": absolute_url(brief.hero_image.url),
        "width": brief.hero_width,
        "height": brief.hero_height,
        "alt": brief.hero_alt,
        "credit": brief.hero_credit,
        "renditions": [
            {"url": absolute_url(r.file.url), "width": r.width, "height": r.height, "format": r.format}
            for r in brief.hero_renditions.all()
            if r.purpose == "srcset"
        ],
    }


def brief_summary(brief):
    return {
        "slug": brief.slug,
        "headline": brief.headline,
        "dek": brief.dek,
        "tags": [{"name": tag.name, "slug": tag.slug} for tag in sorted(brief.tags.all(), key=str)],
        "image": image(brief),
        "published_at": brief.published_at,
        "updated_at": brief.content_updated_at or brief.published_at,
        "url": absolute_url(brief.get_absolute_url()),
        "api_url": api_url("brief", slug=brief.slug),
    }


def term_summary(term):
    return {
        "slug": term.slug,
        "name": term.name,
        "definition": term.definition,
        "url": absolute_url(term.get_absolute_url()),
        "api_url": api_url("term", slug=term.slug),
    }


def brief_detail(brief):
    author = brief.author
    return {
        **brief_summary(brief),
        "author": author.get_full_name() or author.get_username(),
        "points": [point.text for point in brief.points.all()],
        "body_html": render_body(brief.body),
        "body_text": body_text(brief.body),
        "terms": [term_summary(term) for term in brief.approved_terms],
        "links": [
            {"kind": link.kind, "url": link.url, "publisher": link.source_name, "title": link.title}
            for link in brief.links.all()
        ],
        "expired": brief.is_expired,
        "superseded_by": _successor_url(brief),
        "corrections": [
            {"text": correction.text, "date": correction.created_at} for correction in brief.corrections.all()
        ],
    }


def term_detail(term):
    return {
        **term_summary(term),
        "aliases": [alias.name for alias in term.aliases.all()],
        "related": [term_summary(related) for related in term.related_terms.all()],
        "brief_count": term.brief_count,
        "briefs": [brief_summary(brief) for brief in term.latest_briefs],
        "briefs_url": absolute_url(reverse("api-v1:briefs") + f"?term={term.slug}"),
    }


def _successor_url(brief):
    successor = brief.superseded_by
    if successor is None or not successor.is_published:
        return None
    return api_url("brief", slug=successor.slug)
