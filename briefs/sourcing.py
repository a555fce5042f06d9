"""A brief's sources and what the link checker found about them.

Reads: the check state of each link, the briefs whose links are broken, moved, failing, fine or
not yet checked (the admin's filter and the moderators' desk use the same querysets, so a count
and the list it opens agree). Writes: a moderator's fixes — replace a URL, use the archived copy,
mark a link as checked. A fix to a live brief becomes pending changes (briefs.pending), reviewed
like any other edit; a draft's links are changed in place, with a revision.
"""

import copy
from dataclasses import dataclass

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from core import changes
from sources import archive
from sources import services as source_services
from sources.models import LinkState
from sources.outlets import outlet_for_link, suggest_outlet
from sources.selectors import check_history, states_for_urls
from sources.urlkeys import canonical_url

from . import locks, pending, permissions, revisions, snapshots
from .models import Brief, SourceLink, published_q, validate_web_url
from .workflow import WorkflowError

State = LinkState.State
DESK_SHOWN = 5

# The admin filter's choices: a brief is listed under each state one of its links is in ("ok":
# every link works).
SOURCE_STATUSES = {
    "broken": ("Broken", State.BROKEN),
    "failing": ("Failing (not broken yet)", State.FAILING),
    "redirected": ("Moved permanently", State.MOVED),
    "ok": ("All working", State.OK),
    "unchecked": ("Not checked yet", State.UNCHECKED),
}


# Outlets for pasted links


def suggested_outlet(url):
    """The outlet a pasted link belongs to by its domain, or None (the admin's suggestion)."""
    return suggest_outlet(url)


def outlet_for(url, publisher):
    """The outlet to store on a link saved without one: by the typed name, the domain, or a new one."""
    return outlet_for_link(url, publisher)


# Reads


@dataclass
class CheckedLink:
    link: SourceLink
    state: LinkState | None
    # The state's name when it was read with the link (`check_state`), without the whole row.
    known_status: str | None = None

    @property
    def status(self):
        if self.known_status is not None:
            return self.known_status
        return self.state.state if self.state else State.UNCHECKED

    @property
    def is_broken(self):
        return self.status == State.BROKEN


def checked_links(links):
    """Each link with its check state, in one query."""
    links = list(links)
    states = states_for_urls([link.url for link in links])
    return [CheckedLink(link, states.get(link.url)) for link in links]


def primary_source(brief):
    """The brief's "Read full story" link with its state (None without a primary link). One query,
    none when the brief's links were read with their states (see `selectors.load_brief_page`)."""
    link = brief.primary_link
    if link is None:
        return None
    if hasattr(link, "check_state"):
        return CheckedLink(link, None, known_status=link.check_state or State.UNCHECKED)
    return checked_links([link])[0]


def history_of(url, limit=20):
    return check_history(url, limit=limit)


def _links_in(states):
    hashes = LinkState.objects.filter(state__in=states).values("url_hash")
    return SourceLink.objects.filter(brief=OuterRef("pk"), url_hash__in=hashes)


def source_status_q(status):
    """Briefs by the state of their links, as a Q (see SOURCE_STATUSES)."""
    if status == "ok":
        not_ok = SourceLink.objects.filter(brief=OuterRef("pk")).exclude(
            url_hash__in=LinkState.objects.filter(state=State.OK).values("url_hash")
        )
        return Exists(SourceLink.objects.filter(brief=OuterRef("pk"))) & ~Exists(not_ok)
    if status == "unchecked":
        checked = LinkState.objects.exclude(state=State.UNCHECKED).values("url_hash")
        return Q(Exists(SourceLink.objects.filter(brief=OuterRef("pk")).exclude(url_hash__in=checked)))
    return Q(Exists(_links_in([SOURCE_STATUSES[status][1]])))


def briefs_by_source_status(status, queryset=None):
    return (queryset if queryset is not None else Brief.objects.all()).filter(source_status_q(status))


@dataclass
class BrokenLinks:
    """What the moderators' desk shows: how many links of live briefs are broken, the latest few,
    and the brief list filtered to them."""

    count: int
    items: list  # SourceLink, with .brief, .outlet and `broken_since` / `last_checked_at`
    url: str

    @property
    def more(self):
        return max(0, self.count - len(self.items))


def broken_links():
    """Links of published briefs the checker has confirmed broken, most recently checked first."""
    state = LinkState.objects.filter(url_hash=OuterRef("url_hash"))
    return (
        SourceLink.objects.filter(published_q("brief__"), Exists(state.filter(state=State.BROKEN)))
        .select_related("brief", "outlet")
        .annotate(
            last_checked_at=state.values("last_checked_at")[:1],
            broken_since=state.values("first_failure_at")[:1],
        )
        .order_by(F("last_checked_at").desc(nulls_last=True), "-pk")
    )


def broken_links_for_desk(limit=DESK_SHOWN):
    """The broken-links card of a moderator's desk, in two queries: `count`, the first `limit`
    `items` and `url`, the brief list filtered to briefs with a broken link."""
    links = broken_links()
    url = reverse("admin:briefs_brief_changelist") + "?source_status=broken"
    return BrokenLinks(count=links.count(), items=list(links[:limit]), url=url)


# The moderators' fixes


def _check_allowed(brief, by):
    if not (permissions.can_moderate(by, brief) and by.has_perm(source_services.CHECK_PERMISSION)):
        raise WorkflowError("Only moderators fix the sources of a brief.", code="not_allowed")
    if not permissions.can_edit(by, brief):
        raise WorkflowError(
            "This brief cannot be edited now (archived briefs are frozen).", code="not_allowed"
        )


def _same(a, b):
    return canonical_url(a) == canonical_url(b)


def _edit_links(brief, *, by, url, edit, note):
    """Apply `edit(link_dict)` to every link of `brief` with this URL: as pending changes when the
    brief is live, else on its rows with a revision. Returns "pending" or "saved"."""
    _check_allowed(brief, by)
    if pending.is_live(brief):
        snapshot, _ = pending.working_snapshot(brief)
        snapshot = copy.deepcopy(snapshot)
        matched = [link for link in snapshot["links"] if _same(link["url"], url)]
        if not matched:
            raise WorkflowError("The brief has no source link with this address.", code="no_such_link")
        for link in matched:
            edit(link)
        pending.save_changes(brief, by=by, snapshot=snapshot)
        return "pending"
    with transaction.atomic():
        revisions.ensure_baseline(brief)  # the state before the fix stays restorable
    with transaction.atomic(), reversion.create_revision():
        locked = Brief.objects.select_for_update().get(pk=brief.pk)
        try:
            locks.ensure_free_for(locked, by)
        except locks.LockHeld as held:
            raise WorkflowError(str(held), code="locked") from held
        matched = [link for link in locked.links.select_for_update() if _same(link.url, url)]
        if not matched:
            raise WorkflowError("The brief has no source link with this address.", code="no_such_link")
        for link in matched:
            values = {name: getattr(link, name) for name in snapshots.link_fields()}
            edit(values)
            for name, value in values.items():
                setattr(link, name, value)
            link.save()
        # An editor's form opened before this fix is refused on save, not merged over it.
        Brief.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        reversion.add_to_revision(locked)
        reversion.set_user(by)
        reversion.set_comment(note)
        changes.record(changes.BRIEF_CONTENT, [locked.pk])
    brief.version = locked.version + 1
    return "saved"


def _valid_address(value):
    try:
        validate_web_url(value)
    except ValidationError as error:
        raise WorkflowError(" ".join(error.messages), code="invalid_url") from error
    return value


def replace_url(brief, *, url, new_url, by):
    """Point the brief's link at `new_url` (a moved page's new address, say)."""
    new_url = _valid_address((new_url or "").strip())
    if _same(new_url, url):
        raise WorkflowError("The new address is the one the link already has.", code="unchanged")

    def edit(link):
        link["url"] = new_url

    outcome = _edit_links(brief, by=by, url=url, edit=edit, note=f"Source link moved to {new_url}.")
    transaction.on_commit(lambda: source_services.track_urls([new_url]))
    return outcome


def archived_copy_for(url):
    """The archived copy to offer for a link: the one the checker proposed, else the Wayback address."""
    state = states_for_urls([url]).get(url)
    return (state.archive_suggestion if state else "") or archive.wayback_url(url)


def use_archived_copy(brief, *, url, by, archive_url=""):
    """Send readers to an archived copy of the link when it is confirmed broken."""
    archive_url = _valid_address((archive_url or "").strip() or archived_copy_for(url))

    def edit(link):
        link["archive_url"] = archive_url

    return _edit_links(brief, by=by, url=url, edit=edit, note=f"Archived copy of a source: {archive_url}.")


def mark_checked(brief, *, url, by):
    """A moderator looked at the link and found it fine: its failures are cleared."""
    _check_allowed(brief, by)
    if not any(_same(link.url, url) for link in brief.links.all()):
        raise WorkflowError("The brief has no source link with this address.", code="no_such_link")
    return source_services.mark_checked(url=url, by=by)


def check_now(brief, *, by):
    """Check the brief's links at once (in the background when a worker runs the queue)."""
    _check_allowed(brief, by)
    from sources.tasks import check_links

    urls = sorted({link.url for link in brief.links.all()})
    return check_links.enqueue(urls) if urls else None


# Keeping the checker's list of URLs up to date


def track_links_of(brief_ids):
    """After a brief's links change: every URL they use is tracked (checked within the hour)."""
    links = SourceLink.objects.all()
    if brief_ids is not None:
        links = links.filter(brief_id__in=brief_ids)
    source_services.track_urls(links.values_list("url", flat=True).iterator())


def track_all_links():
    """The safety net behind bulk writes: derive missing URL keys and track every link's URL."""
    from sources.urlkeys import url_hash

    stale = list(SourceLink.objects.filter(url_hash="").only("pk", "url")[:5000])
    for link in stale:
        link.url_hash = url_hash(link.url)
    SourceLink.objects.bulk_update(stale, ["url_hash"], batch_size=500)
    urls = list(SourceLink.objects.values_list("url", flat=True).distinct())
    return source_services.track_urls(urls)
