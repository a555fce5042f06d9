"""RSS and Atom feeds of published briefs, for the whole site, per tag, per term and per outlet."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from core.site import absolute_url
from glossary.models import Term

from . import selectors

FEED_LENGTH = 30


class LatestBriefsFeed(Feed):
    """RSS 2.0: the newest published briefs with their full "In brief" points and source link."""

    title = f"{settings.SITE_NAME}: latest briefs"
    description = "Short, clear briefs on AI research, with every term explained."

    def link(self):
        return absolute_url(reverse("briefs:home"))

    def feed_url(self):
        return absolute_url(reverse("briefs:feed-rss"))

    def items(self):
        return selectors.feed_briefs()[:FEED_LENGTH]

    def item_title(self, brief):
        return brief.headline

    def item_link(self, brief):
        return absolute_url(brief.get_absolute_url())

    def item_description(self, brief):
        points = format_html_join("", "<li>{}</li>", ((point.text,) for point in brief.points.all()))
        html = format_html("<p>{}</p><h2>In brief</h2><ul>{}</ul>", brief.dek, points)
        link = brief.primary_link
        if link:
            html += format_html('<p><a href="{}">Read full story at {} →</a></p>', link.url, link.source_name)
        return html

    def item_author_name(self, brief):
        return brief.author.get_full_name() or brief.author.get_username()

    def item_pubdate(self, brief):
        return brief.published_at

    def item_updateddate(self, brief):
        return brief.content_updated_at or brief.published_at

    def item_categories(self, brief):
        return [tag.name for tag in brief.tags.all()]


class LatestBriefsAtomFeed(LatestBriefsFeed):
    feed_type = Atom1Feed
    subtitle = LatestBriefsFeed.description

    def feed_url(self):
        return absolute_url(reverse("briefs:feed-atom"))


class TaggedBriefsFeed(LatestBriefsFeed):
    """RSS 2.0 of published briefs with one tag."""

    def get_object(self, request, slug):
        tag = selectors.published_tag(slug)
        if tag is None:
            raise Http404("No such tag.")
        return tag

    def title(self, tag):
        return f"{settings.SITE_NAME}: briefs tagged “{tag.name}”"

    def description(self, tag):
        return f"Published briefs about {tag.name}."

    def link(self, tag):
        return absolute_url(reverse("briefs:tag", kwargs={"slug": tag.slug}))

    def feed_url(self, tag):
        return absolute_url(reverse("briefs:tag-feed-rss", kwargs={"slug": tag.slug}))

    def items(self, tag):
        return selectors.feed_briefs().filter(tags=tag)[:FEED_LENGTH]


class TaggedBriefsAtomFeed(TaggedBriefsFeed):
    feed_type = Atom1Feed

    def subtitle(self, tag):
        return self.description(tag)

    def feed_url(self, tag):
        return absolute_url(reverse("briefs:tag-feed-atom", kwargs={"slug": tag.slug}))


# Follow a term: the published briefs that use one approved glossary term.


class TermBriefsFeed(LatestBriefsFeed):
    """RSS 2.0 of the newest published briefs using one approved term."""

    def get_object(self, request, slug):
        term = Term.objects.approved().filter(slug=slug).first()
        if term is None:
            raise Http404("No such term.")
        return term

    def title(self, term):
        return f"{settings.SITE_NAME}: briefs using “{term.name}”"

    def description(self, term):
        return f"Published briefs that use the term “{term.name}”."

    def link(self, term):
        return absolute_url(term.get_absolute_url())

    def feed_url(self, term):
        return absolute_url(reverse("briefs:term-feed-rss", kwargs={"slug": term.slug}))

    def items(self, term):
        return selectors.feed_briefs().filter(brief_terms__term=term)[:FEED_LENGTH]


class TermBriefsAtomFeed(TermBriefsFeed):
    feed_type = Atom1Feed

    def subtitle(self, term):
        return self.description(term)

    def feed_url(self, term):
        return absolute_url(reverse("briefs:term-feed-atom", kwargs={"slug": term.slug}))


# Follow an outlet: the briefs based on it.


class OutletBriefsFeed(LatestBriefsFeed):
    """RSS 2.0 of the newest listed briefs with a source from one outlet."""

    def get_object(self, request, slug):
        outlet = selectors.published_outlet(slug)
        if outlet is None:
            raise Http404("No such source.")
        return outlet

    def title(self, outlet):
        return f"{settings.SITE_NAME}: briefs based on {outlet.name}"

    def description(self, outlet):
        return f"Published briefs based on stories and papers from {outlet.name}."

    def link(self, outlet):
        return absolute_url(reverse("briefs:outlet", kwargs={"slug": outlet.slug}))

    def feed_url(self, outlet):
        return absolute_url(reverse("briefs:outlet-feed-rss", kwargs={"slug": outlet.slug}))

    def items(self, outlet):
        return selectors.feed_briefs_from_outlet(outlet)[:FEED_LENGTH]


class OutletBriefsAtomFeed(OutletBriefsFeed):
    feed_type = Atom1Feed

    def subtitle(self, outlet):
        return self.description(outlet)

    def feed_url(self, outlet):
        return absolute_url(reverse("briefs:outlet-feed-atom", kwargs={"slug": outlet.slug}))
