"""The demo newsroom: the seed page's brief, its "More briefs", their terms and demo accounts.

Loading creates what is missing and never overwrites: every record is matched by its slug
(or username), and one that exists is left as editors made it, so `make run` can load the
demo on every start. `load_demo --reset` puts the demo records back as shipped. Each new
brief gets a drawn illustration (prepared like any upload); an image already there is never
replaced.
"""

import json
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from core import changes
from glossary.models import Term, TermAlias
from sources.urlkeys import url_hash

from . import sourcing
from .illustrations import add_illustration
from .models import Brief, BriefPoint, BriefTerm, SourceLink
from .workflow import publish_imported

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_content.json"
DEMO_PASSWORD = "briefs-demo-2026"  # noqa: S105 (published demo login, DEBUG only)
DEMO_ACCOUNTS = [
    # username, role group (None = superuser), full name
    ("admin", None, "Ada Admin"),
    ("moderator", "Moderator", "Mo Moderator"),
    ("editor", "Editor", "Eddie Editor"),
    ("contributor", "Contributor", "Cora Contributor"),
]
NEWSDESK = "newsdesk"


def _set(obj, **values):
    """Assign values; say whether anything changed."""
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed


@transaction.atomic
def load_terms(data, *, reset=False):
    """The demo glossary: terms that are missing are created; existing ones are left as editors
    made them, unless `reset`."""
    by_slug, written = {}, []
    for item in data["terms"]:
        term = Term.objects.filter(slug=item["slug"]).first()
        if term is None or reset:
            term = term or Term(slug=item["slug"])
            if _set(term, name=item["name"], definition=item["definition"], status="approved") or not term.pk:
                term.save()
                written.append(term.pk)
            for alias in item["aliases"]:
                if not TermAlias.objects.filter(name__iexact=alias).exists():
                    TermAlias.objects.create(term=term, name=alias)
                    written.append(term.pk)
        by_slug[item["slug"]] = term
    by_name = {item["name"]: by_slug[item["slug"]] for item in data["terms"]}
    for item in data["terms"]:
        term = by_slug[item["slug"]]
        if term.pk not in written:
            continue
        wanted = {by_name[name].pk for name in item["related"]}
        missing = wanted - set(term.related_terms.values_list("pk", flat=True))
        if missing:
            term.related_terms.add(*missing)
    changes.record(changes.TERMS, set(written))
    return by_slug


def newsdesk_author():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=NEWSDESK, defaults={"first_name": "Newsdesk", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _write_brief(brief, item, terms):
    """Give a demo brief the fixture's content; say whether anything changed."""
    changed = _set(brief, headline=item["headline"], dek=item["dek"])
    if changed or not brief.pk:
        brief.save()
        changed = True
    if list(brief.points.values_list("text", flat=True)) != item["points"]:
        brief.points.all().delete()
        BriefPoint.objects.bulk_create(
            BriefPoint(brief=brief, text=text, position=i) for i, text in enumerate(item["points"])
        )
        changed = True
    wanted_terms = [terms[slug].pk for slug in item["terms"]]
    if list(brief.brief_terms.values_list("term_id", flat=True)) != wanted_terms:
        brief.brief_terms.all().delete()
        BriefTerm.objects.bulk_create(
            BriefTerm(brief=brief, term_id=pk, position=i) for i, pk in enumerate(wanted_terms)
        )
        changed = True
    if list(brief.links.values("kind", "publisher", "url", "title")) != item["links"]:
        brief.links.all().delete()
        SourceLink.objects.bulk_create(
            SourceLink(
                brief=brief,
                position=i,
                outlet=sourcing.outlet_for(link["url"], link["publisher"]),
                url_hash=url_hash(link["url"]),
                **link,
            )
            for i, link in enumerate(item["links"])
        )
        changed = True
    if sorted(brief.tags.names()) != sorted(item["tags"]):
        brief.tags.set(item["tags"])
        changed = True
    return changed


@transaction.atomic
def load_briefs(data, terms, *, reset=False):
    """The demo briefs: missing ones are created and published as of their fixture date; a brief
    that exists is never touched (a newcomer's edits stay), unless `reset` rewrites it."""
    author = newsdesk_author()
    written = []
    for item in data["briefs"]:
        brief = Brief.objects.filter(slug=item["slug"]).first()
        if brief is not None and not reset:
            continue
        brief = brief or Brief(slug=item["slug"], author=author)
        if _write_brief(brief, item, terms):
            written.append(brief.pk)
        # A drawn hero image (with alt text and credit) where the brief has none.
        add_illustration(brief)
        # Last, once the brief is complete; a no-op when it is already live as of that time.
        publish_imported(brief, at=datetime.fromisoformat(item["published_at"]), by=author)
    changes.record(changes.BRIEF_CONTENT, written)
    return written


@transaction.atomic
def create_demo_accounts():
    User = get_user_model()
    for username, role, full_name in DEMO_ACCOUNTS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "is_staff": True,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role and not user.groups.filter(name=role).exists():
            user.groups.add(Group.objects.get(name=role))


def load_demo(fixture=FIXTURE, *, reset=False):
    """Create the demo content that is missing; `reset` puts every demo record back as shipped."""
    data = json.loads(Path(fixture).read_text(encoding="utf-8"))
    terms = load_terms(data, reset=reset)
    load_briefs(data, terms, reset=reset)
    return data
