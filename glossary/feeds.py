"""Follow a term: RSS and Atom of the published briefs that use it (JSON Feed in urls.py)."""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from briefs.feeds import FEED_LENGTH, LatestBriefsFeed
from briefs.selectors import feed_briefs
from briefs_cms.structured_data import absolute_url

from .models import Term


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
        return absolute_url(reverse("glossary:term-feed-rss", kwargs={"slug": term.slug}))

    def items(self, term):
        return feed_briefs().filter(brief_terms__term=term)[:FEED_LENGTH]


class TermBriefsAtomFeed(TermBriefsFeed):
    feed_type = Atom1Feed

    def subtitle(self, term):
        return self.description(term)

    def feed_url(self, term):
        return absolute_url(reverse("glossary:term-feed-atom", kwargs={"slug": term.slug}))
