"""A brief's content as one plain value: to keep pending changes, compare versions and apply one.

A snapshot holds what editors write (text fields, "In brief" points, terms, source links and
tags), not workflow state nor the address (the slug stays fixed once published). The live
version is the brief's own rows; pending changes and old revisions are snapshots; publishing
applies one to the rows in a single transaction.
"""

import difflib

from glossary.models import Term
from sources.models import Outlet
from sources.outlets import outlet_for_link

from .models import BriefPoint, BriefTerm, SourceLink

TEXT_FIELDS = [
    ("headline", "Headline"),
    ("dek", "Summary"),
    ("body", "Body"),
    ("hero_alt", "Image alt text"),
    ("hero_credit", "Image credit"),
]
# Every stored field of a source link except its place and what is derived from its URL: new
# fields (an outlet, an archived copy) travel with the snapshot without this module changing.
LINK_SKIP = {"id", "brief_id", "position", "url_hash"}


def link_fields():
    return [field.attname for field in SourceLink._meta.concrete_fields if field.attname not in LINK_SKIP]


def link_form_initial(link):
    """A snapshot's link as a form's initial data: a related object by its field's name (`outlet`)."""
    return {name.removesuffix("_id") if name.endswith("_id") else name: value for name, value in link.items()}


def snapshot_of(brief):
    """The live content of `brief`, from its rows."""
    return {
        **{name: getattr(brief, name) or "" for name, _ in TEXT_FIELDS},
        "points": list(brief.points.order_by("position", "id").values_list("text", flat=True)),
        "terms": list(brief.brief_terms.order_by("position", "id").values_list("term_id", flat=True)),
        "links": list(brief.links.order_by("position", "id").values(*link_fields())),
        "tags": sorted(brief.tags.names(), key=str.casefold),
    }


def lines(snapshot, *, image=None):
    """A snapshot as lines a person can compare (term names, not ids)."""
    out = []
    for name, label in TEXT_FIELDS:
        value = str(snapshot.get(name) or "")
        out.append(f"{label}:")
        out.extend(f"    {line}" for line in (value.splitlines() or [""]))
    if image is not None:
        out.append(f"Image: {image}")
    out.append("In brief:")
    out.extend(f"  • {text}" for text in snapshot.get("points", []))
    names = dict(Term.objects.filter(pk__in=snapshot.get("terms", [])).values_list("pk", "name"))
    out.append("Terms:")
    out.extend(f"  {names.get(pk, '(deleted term)')}" for pk in snapshot.get("terms", []))
    out.append("Source links:")
    links = snapshot.get("links", [])
    outlets = outlet_names(links)
    for link in links:
        out.extend(link_lines(link, outlets))
    out.append("Tags: " + ", ".join(snapshot.get("tags", [])))
    return out


def outlet_names(links):
    """{outlet id: name} for the outlets these link dicts name, in one query."""
    ids = [link["outlet_id"] for link in links if link.get("outlet_id")]
    return dict(Outlet.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def link_lines(link, outlets):
    """One source link as lines: kind, who published it, address and title; its archived copy."""
    kind, publisher, url = link.get("kind"), link.get("publisher"), link.get("url")
    outlet = link.get("outlet_id")
    if outlet:
        who = outlets.get(outlet, "(deleted outlet)")
        if publisher and publisher != outlets.get(outlet):
            who += f" (typed as {publisher})"
    else:
        who = f"{publisher or '(no publisher)'}, no outlet"
    lines = [f"  {kind}: {who} <{url}> {link.get('title') or ''}".rstrip()]
    if link.get("archive_url"):
        lines.append(f"      archived copy <{link['archive_url']}>")
    return lines


def diff(old_lines, new_lines):
    """(kind, text) rows, kind in {"same", "added", "removed"}; the text is plain (templates escape it)."""
    rows = []
    for line in difflib.ndiff(old_lines, new_lines):
        code, text = line[:2], line[2:]
        if code != "? ":
            rows.append(({"+ ": "added", "- ": "removed"}.get(code, "same"), text))
    return rows


def changed_rows(rows):
    return [row for row in rows if row[0] != "same"]


def apply(brief, snapshot):
    """Make the brief's rows say what `snapshot` says (inside the caller's transaction).

    Points, terms and links are replaced only when they differ, so an unchanged list keeps its
    rows. Returns the names of what changed."""
    changed = []
    for name, _ in TEXT_FIELDS:
        value = snapshot.get(name) or ""
        if getattr(brief, name) != value:
            setattr(brief, name, value)
            changed.append(name)
    if changed:
        brief.save()
    current = snapshot_of(brief)
    snapshot = {**snapshot, "links": [_complete(link) for link in snapshot["links"]]}
    if current["points"] != snapshot["points"]:
        brief.points.all().delete()
        BriefPoint.objects.bulk_create(
            BriefPoint(brief=brief, text=text, position=n) for n, text in enumerate(snapshot["points"])
        )
        changed.append("points")
    if current["terms"] != snapshot["terms"]:
        brief.brief_terms.all().delete()
        BriefTerm.objects.bulk_create(
            BriefTerm(brief=brief, term_id=pk, position=n) for n, pk in enumerate(snapshot["terms"])
        )
        changed.append("terms")
    if current["links"] != snapshot["links"]:
        brief.links.all().delete()
        fields = set(link_fields())
        wanted = {link.get("outlet_id") for link in snapshot["links"]} - {None}
        existing = set(Outlet.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        for n, link in enumerate(snapshot["links"]):
            values = {k: v for k, v in link.items() if k in fields}
            if values.get("outlet_id") not in existing:
                values["outlet_id"] = None  # deleted since: the typed publisher name stands in
            SourceLink.objects.create(brief=brief, position=n, **values)
        changed.append("links")
    if current["tags"] != snapshot["tags"]:
        brief.tags.set(snapshot["tags"])
        changed.append("tags")
    return changed


def _complete(link):
    """A link of a snapshot kept before links had outlets and archived copies, as one kept now (the
    outlet found the way the migration found it), so publishing it does not drop them."""
    if "outlet_id" in link:
        return link
    outlet = outlet_for_link(link.get("url") or "", link.get("publisher") or "")
    return {"archive_url": "", **link, "outlet_id": outlet.pk if outlet else None}


def snapshot_from_version(version):
    """The content a django-reversion revision of a brief held, as a snapshot."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    fields = version.field_dict

    def related(model):
        content_type = ContentType.objects.get_for_model(model)
        return [v.field_dict for v in version.revision.version_set.filter(content_type=content_type)]

    points = sorted(related(BriefPoint), key=lambda p: (p["position"], p["id"]))
    terms = sorted(related(BriefTerm), key=lambda t: (t["position"], t["id"]))
    links = sorted(related(SourceLink), key=lambda link: (link["position"], link["id"]))
    wanted = link_fields()
    tag_ids = [t["tag_id"] for t in related(TaggedItem)]
    return {
        **{name: fields.get(name) or "" for name, _ in TEXT_FIELDS},
        "points": [p["text"] for p in points],
        "terms": [t["term_id"] for t in terms if Term.objects.filter(pk=t["term_id"]).exists()],
        # A revision older than a field holds no value for it: its default ("" for text); an outlet
        # is left out, to be found again when the snapshot is applied (see `_complete`).
        "links": [
            {
                k: link.get(k) if link.get(k) is not None or k.endswith("_id") else ""
                for k in wanted
                if k in link or not k.endswith("_id")
            }
            for link in links
        ],
        "tags": sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True), key=str.casefold),
    }
