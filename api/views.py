"""The read-only Content API, version 1: published briefs, the glossary and tags."""

import re
from datetime import UTC, datetime
from typing import Annotated

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.utils import timezone
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from pydantic import WithJsonSchema

from core.site import absolute_url

from . import representations, selectors
from .schemas import BriefDetail, BriefPage, Error, TagList, TermDetail, TermPage

PAGE_SIZE = 20
# Parsed by parse_updated_since, so a bad value gets a message that says what to send.
DateTimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
SLUG = re.compile(r"^[-\w]+\Z")

# Swagger UI (served from django-ninja's own static files, no CDN) sets inline style attributes.
DOCS_CSP = {**settings.SECURE_CSP, "style-src": [*settings.SECURE_CSP["style-src"], "'unsafe-inline'"]}

api = NinjaAPI(
    title="Briefs CMS Content API",
    version="1",
    description=(
        "Read-only access to published briefs, the glossary and tags. Answers are JSON; errors are "
        '`{"detail": "…"}`. Responses carry ETag and Last-Modified, so clients can ask again with '
        "If-None-Match / If-Modified-Since and get 304 Not Modified."
    ),
    urls_namespace="api-v1",
    docs_decorator=csp_override(DOCS_CSP),
)


@api.exception_handler(ValidationError)
def bad_parameters(request, exc):
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append(f"{where}: {error.get('msg', 'invalid value')}")
    return api.create_response(request, {"detail": "; ".join(problems)}, status=400)


def page_of(request, queryset, page_number):
    try:
        page = Paginator(queryset, PAGE_SIZE).page(page_number)
    except EmptyPage:
        raise HttpError(404, f"There is no page {page_number}.") from None

    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return absolute_url(f"{request.path}?{params.urlencode()}")

    return page, {
        "count": page.paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }


def parse_updated_since(value):
    try:
        moment = datetime.fromisoformat(value.strip().upper())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, UTC)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise HttpError(
            400,
            f"updated_since must be an ISO-8601 date or date-time, e.g. 2026-11-28 or "
            f"2026-11-28T09:30:00Z; got {value!r}.",
        ) from None
    return moment


def slug_or_404(slug, what):
    if not SLUG.match(slug):
        raise HttpError(404, f"No {what} has the slug {slug!r}.")
    return slug


@api.api_operation(
    ["GET", "HEAD"],
    "/briefs/",
    response={200: BriefPage, 400: Error, 404: Error},
    url_name="briefs",
    summary="Published briefs, newest first",
    tags=["briefs"],
)
def list_briefs(
    request,
    tag: str = Query(None, description="Only briefs with this tag (its slug)."),
    term: str = Query(None, description="Only briefs that use this glossary term (its slug)."),
    updated_since: DateTimeText = Query(  # noqa: B008 (django-ninja declares parameters this way)
        None,
        description=(
            "Only briefs published or updated at or after this ISO-8601 date-time "
            "(a date alone means its midnight, a time without offset means UTC)."
        ),
    ),
    q: str = Query(
        None,
        description=(
            'Full-text search (web-search syntax: "phrase", -exclude, or), best match first. '
            "On a large archive the 1,000 most recent matches are ranked."
        ),
    ),
    page: int = Query(1, ge=1, description="Page number, 20 briefs a page."),
):
    since = parse_updated_since(updated_since) if updated_since is not None else None
    briefs = selectors.filter_briefs(
        selectors.published_briefs(),
        tag=selectors.clean_filter(tag),
        term=selectors.clean_filter(term),
        updated_since=since,
        q=selectors.clean_filter(q),
    )
    page_obj, links = page_of(request, briefs, page)
    return {**links, "results": [representations.brief_summary(brief) for brief in page_obj]}


@api.api_operation(
    ["GET", "HEAD"],
    "/briefs/{slug}/",
    response={200: BriefDetail, 404: Error},
    url_name="brief",
    summary="One published brief with its points, body, terms, links and corrections",
    tags=["briefs"],
)
def get_brief(request, slug: str):
    brief = selectors.brief_detail(slug_or_404(slug, "published brief"))
    if brief is None:
        raise HttpError(404, f"No published brief has the slug {slug!r}.")
    return representations.brief_detail(brief)


@api.api_operation(
    ["GET", "HEAD"],
    "/terms/",
    response={200: TermPage, 400: Error, 404: Error},
    url_name="terms",
    summary="Glossary terms in slug order",
    tags=["glossary"],
)
def list_terms(request, page: int = Query(1, ge=1, description="Page number, 20 terms a page.")):
    page_obj, links = page_of(request, selectors.glossary_terms(), page)
    return {**links, "results": [representations.term_summary(term) for term in page_obj]}


@api.api_operation(
    ["GET", "HEAD"],
    "/terms/{slug}/",
    response={200: TermDetail, 404: Error},
    url_name="term",
    summary="One glossary term with the published briefs that use it",
    tags=["glossary"],
)
def get_term(request, slug: str):
    term = selectors.term_detail(slug_or_404(slug, "term"))
    if term is None:
        raise HttpError(404, f"No term has the slug {slug!r}.")
    return representations.term_detail(term)


@api.api_operation(
    ["GET", "HEAD"],
    "/tags/",
    response={200: TagList},
    url_name="tags",
    summary="Tags of published briefs with their counts, most used first",
    tags=["tags"],
)
def list_tags(request):
    return {"results": list(selectors.tag_counts())}
