"""Schema.org NewsArticle for a brief page."""

from django.conf import settings

from core.site import absolute_url
from glossary.structured_data import defined_term


def brief_news_article(brief, *, terms, primary_link):
    """NewsArticle with `mentions` → each term's DefinedTerm, `isBasedOn` → the primary source and
    `citation` → the other sources, each with its outlet as publisher."""
    url = absolute_url(brief.get_absolute_url())
    author = brief.author.get_full_name() or brief.author.get_username()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "headline": brief.headline,
        "description": brief.dek,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": brief.published_at,
        "dateModified": brief.content_updated_at or brief.published_at,
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/")},
        "articleBody": " ".join(point.text for point in brief.points.all()),
        "keywords": [tag.name for tag in brief.tags.all()],
    }
    if brief.hero_image:
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute_url(brief.hero_image.url),
            "width": brief.hero_width,
            "height": brief.hero_height,
            "caption": brief.hero_alt,
            "creditText": brief.hero_credit,
        }
    if terms:
        data["mentions"] = [defined_term(term) for term in terms]
    if primary_link:
        data["isBasedOn"] = source_work(primary_link)
    others = [link for link in brief.links.all() if link.pk != getattr(primary_link, "pk", None)]
    if others:
        data["citation"] = [source_work(link) for link in others]
    return data


def source_work(link):
    """A source link as a CreativeWork published by its outlet."""
    publisher = {"@type": "Organization", "name": link.source_name}
    if link.outlet_id and link.outlet:
        publisher["url"] = link.outlet.home_page
    work = {
        "@type": "CreativeWork",
        "url": link.url,
        "name": link.title or link.source_name,
        "publisher": publisher,
    }
    if link.archive_url:
        work["archivedAt"] = link.archive_url
    return work
