"""The preview beside the brief form: what was typed, not yet saved, as readers would see it.

The posted form is applied to the brief (or to a new brief) inside a transaction that is rolled
back once the readers' template has rendered it, so the preview is the public page exactly and
nothing is stored. Unfinished input still previews: rows the database would refuse (a link
without an address, a second primary link) are left out rather than failing the page.
"""

from django.conf import settings
from django.db import transaction
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP
from taggit.utils import parse_tags

from glossary.models import Term

from .. import snapshots
from ..models import HEADLINE_MAX_LENGTH, POINT_MAX_LENGTH, Brief, LinkKind, SourceLink
from ..preview import BriefPreviewView

# The preview is shown in a frame of the admin's own page, and nowhere else.
FRAMED_CSP = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}


def _rows(data, prefix):
    """The posted rows of an inline, not deleted, in their posted order."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 100)
    except ValueError:
        return []
    rows = []
    for index in range(total):
        key = f"{prefix}-{index}-"
        if data.get(key + "DELETE"):
            continue
        try:
            position = int(data.get(key + "position", index))
        except ValueError:
            position = index
        rows.append((position, index, {k.removeprefix(key): v for k, v in data.items() if k.startswith(key)}))
    return [row for _, _, row in sorted(rows, key=lambda row: row[:2])]


def _max(field):
    return SourceLink._meta.get_field(field).max_length


def posted_snapshot(data):
    """A snapshot of the brief as the posted form says it is, made safe to apply."""
    text = {name: str(data.get(name, "")) for name, _ in snapshots.TEXT_FIELDS}
    text["headline"] = text["headline"].strip()[:HEADLINE_MAX_LENGTH] or "(No headline yet)"
    points = [row.get("text", "").strip()[:POINT_MAX_LENGTH] for row in _rows(data, "points")]
    points = [point for point in points if point]
    wanted = [row.get("term", "") for row in _rows(data, "brief_terms")]
    ids = [int(pk) for pk in wanted if str(pk).isdigit()]
    known = set(Term.objects.filter(pk__in=ids).values_list("pk", flat=True))
    terms = list(dict.fromkeys(pk for pk in ids if pk in known))
    links, primary = [], False
    for row in _rows(data, "links"):
        url = row.get("url", "").strip()
        if not url.startswith(("https://", "http://")) or len(url) > _max("url"):
            continue
        kind = row.get("kind") if row.get("kind") in LinkKind.values else LinkKind.COVERAGE
        if kind == LinkKind.PRIMARY:
            kind = LinkKind.COVERAGE if primary else kind
            primary = True
        link = {field: None if field.endswith("_id") else "" for field in snapshots.link_fields()}
        outlet = str(row.get("outlet", ""))
        if "outlet_id" in link and outlet.isdigit():
            link["outlet_id"] = (
                SourceLink._meta.get_field("outlet")
                .related_model.objects.filter(pk=int(outlet))
                .values_list("pk", flat=True)
                .first()
            )
        link.update(
            url=url,
            kind=kind,
            publisher=row.get("publisher", "")[: _max("publisher")],
            title=row.get("title", "")[: _max("title")],
        )
        links.append(link)
    try:
        tags = [tag[:100] for tag in parse_tags(data.get("tags", ""))][:20]
    except ValueError:
        tags = []
    return {**text, "points": points, "terms": terms, "links": links, "tags": tags}


def allow_framing(response):
    """Shown in the frame beside the form, and in no other page's frame."""
    response["X-Frame-Options"] = "SAMEORIGIN"
    response._csp_config = FRAMED_CSP
    return response


def framed_saved_preview(request, object_id):
    """The saved brief's preview, as the frame shows it before any typing (a read, no transaction)."""
    return allow_framing(BriefPreviewView.as_view()(request, object_id=object_id))


def render(request, brief):
    """The readers' page of `brief` (None: a brief not yet created) as the posted form has it."""
    snapshot = posted_snapshot(request.POST)
    with transaction.atomic():
        if brief is None:
            brief = Brief(author=request.user, headline=snapshot["headline"])
            brief.save()
        else:
            brief = Brief.objects.get(pk=brief.pk)  # its rows as stored, whatever the form showed
        snapshots.apply(brief, snapshot)
        view = BriefPreviewView()
        view.setup(request, object_id=brief.pk)
        view.object = view.get_object()
        response = view.render_to_response(view.get_context_data(object=view.object, live_preview=True))
        response.render()
        transaction.set_rollback(True)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return allow_framing(response)
