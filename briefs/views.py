from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from core.pagination import PaginatedMixin
from core.site import absolute_url
from core.structured_data import json_ld_script
from glossary.linking import TermLinker
from pagecache.counts import CachedCountMixin
from pagecache.fragments import cached_fragment

from . import selectors, social_cards, sourcing
from .structured_data import brief_news_article


class HomeView(CachedCountMixin, PaginatedMixin, ListView):
    """The latest published briefs; page 1 features the newest with its points.

    The page numbers need the number of published briefs: it is cached per page-cache
    generation rather than counted on every render (see CachedCountPaginator).
    """

    extra_context = {"section": "briefs"}
    template_name = "briefs/home.html"
    context_object_name = "briefs"

    def get_queryset(self):
        return selectors.published_briefs()

    def get_count_name(self):
        return "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        briefs = list(context["briefs"])
        if context["page_obj"].number == 1 and briefs:
            featured = briefs.pop(0)
            # The cards of the others are kept between requests and read what they show themselves.
            prefetch_related_objects([featured], "tags")
            selectors.attach_renditions([featured])
            context["featured"] = featured
            context["featured_points"] = list(featured.points.all())
        context["briefs"] = briefs
        return context


class BriefDetailView(DetailView):
    """A brief as readers see it. Everything the template needs is built in get_context_data."""

    extra_context = {"section": "briefs"}
    template_name = "briefs/brief_detail.html"
    context_object_name = "brief"
    # Readers' pages keep the linked text between requests; previews show what is not live yet.
    keeps_fragments = True

    def get_queryset(self):
        return selectors.brief_page_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.keeps_fragments:
            page = cached_fragment(
                f"brief:{self.object.pk}:page",
                lambda: self.page_context(self.object),
                until_scheduled_change=True,
            )
        else:
            page = self.page_context(self.object)
        context.update(page, object=page["brief"])
        return context

    def page_context(self, brief):
        """What the page shows of `brief`, read from its rows.

        Readers' pages keep it between requests: it changes only when a service records a
        change, which moves the page cache's generation on, or when a related brief goes live
        or expires on schedule, which ends the fragment's lifetime. Whether the brief itself may
        be shown is still read on every request (`get_object`)."""
        brief = selectors.load_brief_page(brief)
        selectors.attach_renditions([brief])
        terms = brief.approved_terms
        points = list(brief.points.all())
        linked_points, body_html = linked_text(brief, terms)
        primary = sourcing.primary_source(brief)
        primary_link = primary.link if primary else None
        return {
            "brief": brief,
            "points": points,
            # What link previews quote: the summary, else the first point (a draft may have neither).
            "summary": brief.dek or (points[0].text if points else ""),
            "linked_points": linked_points,
            "terms": terms,
            "tags": list(brief.tags.all()),
            "primary_link": primary_link,
            # A link confirmed broken sends readers to its archived copy, when the editors gave one.
            "read_archived": bool(primary and primary.is_broken and primary_link.archive_url),
            "link_groups": selectors.links_by_kind(brief),
            "body_html": body_html,
            "related": selectors.related_briefs(brief, limit=5),
            "corrections": selectors.corrections_of(brief),
            "canonical_url": absolute_url(brief.get_absolute_url()),
            "og_image": self.og_image(brief, points),
            "json_ld": json_ld_script(brief_news_article(brief, terms=terms, primary_link=primary_link)),
        }

    @staticmethod
    def og_image(brief, points):
        """The 1200×630 OpenGraph crop with its size; the original image until the crop exists;
        for a brief without an image, its generated social card."""
        if not brief.hero_image:
            return social_cards.og_image(brief, points)
        og = brief.hero_og_image
        if og is not None:
            return {
                "url": brief.hero_og_image_url,
                "width": og.width,
                "height": og.height,
                "alt": brief.hero_alt,
            }
        return {"url": absolute_url(brief.hero_image.url), "alt": brief.hero_alt}


def linked_text(brief, terms):
    """The points and body with each listed term's first mention linked to its definition."""
    linker = TermLinker(terms, id_prefix=f"brief-{brief.pk}-term")
    points = [linker.link(point.text) for point in brief.points.all()]
    return points, linker.link(mark_safe(brief.body_html)) if brief.body_html else ""  # noqa: S308 (nh3 on save)


class TagListView(ListView):
    """Tags used by published briefs, with how many use each."""

    extra_context = {"section": "tags"}
    template_name = "briefs/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return selectors.tags_with_counts()


class TagDetailView(CachedCountMixin, PaginatedMixin, ListView):
    """Published briefs with one tag; a tag no published brief uses is not found."""

    extra_context = {"section": "tags"}
    template_name = "briefs/tag_detail.html"
    context_object_name = "briefs"

    def get_queryset(self):
        self.tag = selectors.published_tag(self.kwargs["slug"])
        if self.tag is None:
            raise Http404("No such tag.")
        return selectors.briefs_tagged(self.tag)

    def get_count_name(self):
        return f"tag:{self.tag.pk}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class CorrectionsView(PaginatedMixin, ListView):
    """The corrections log: every correction published on a brief, newest first, with a link to it."""

    extra_context = {"section": "corrections"}
    template_name = "briefs/corrections.html"
    context_object_name = "corrections"

    def get_queryset(self):
        return selectors.corrections_log()


@require_safe
def social_card(request, slug):
    """The brief's 1200×630 social card (og:image of a brief without a hero image), made once per wording."""
    brief = get_object_or_404(selectors.brief_page_queryset(), slug=slug)
    return HttpResponse(social_cards.card_png(brief), content_type="image/png")


class OutletListView(ListView):
    """Outlets that listed briefs are based on, with how many briefs each."""

    extra_context = {"section": "sources"}
    template_name = "briefs/outlet_list.html"
    context_object_name = "outlets"

    def get_queryset(self):
        return selectors.outlets_with_counts()


class OutletDetailView(CachedCountMixin, PaginatedMixin, ListView):
    """Listed briefs based on one outlet; an outlet no listed brief uses is not found."""

    extra_context = {"section": "sources"}
    template_name = "briefs/outlet_detail.html"
    context_object_name = "briefs"

    def get_queryset(self):
        self.outlet = selectors.published_outlet(self.kwargs["slug"])
        if self.outlet is None:
            raise Http404("No such source.")
        return selectors.briefs_from_outlet(self.outlet)

    def get_count_name(self):
        return f"outlet:{self.outlet.pk}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(outlet=self.outlet, **kwargs)
