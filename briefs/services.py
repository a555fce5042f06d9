"""Writing a brief's content: the services the admin, imports and tools call, each saying what changed.

Workflow steps (status and publication) live in `workflow`; this module is for the content
itself. Every service records its changes (`core.changes`), so the search index, renditions
and the page cache follow after commit.
"""

from django.db import transaction

from core import changes

from .models import Brief


def content_changes(brief, *, hero_changed):
    """The changes a save of `brief`'s content makes, for `changes.record_many`."""
    kinds = {changes.BRIEF_CONTENT: [brief.pk]}
    if hero_changed:
        kinds[changes.HERO_IMAGE] = [brief.pk]
    return kinds


@transaction.atomic
def save_brief(brief, *, by=None):
    """Save a brief's own fields as they are on the instance, and record what changed."""
    stored = Brief.objects.filter(pk=brief.pk).values_list("hero_image", flat=True).first() or ""
    uploaded = bool(brief.hero_image) and not brief.hero_image._committed
    brief.save()
    hero_changed = uploaded or (brief.hero_image.name or "") != stored
    changes.record_many(content_changes(brief, hero_changed=hero_changed))
    return brief


@transaction.atomic
@transaction.atomic
def delete_brief(brief, *, by=None):
    """Delete a brief and its rendition files, keeping a last revision so the deletion can be undone.

    The caller has checked it may be deleted. The hero image file stays: a restored brief needs it,
    and the renditions are made again from it.
    """
    import reversion

    from .renditions import delete_renditions

    pk = brief.pk
    with reversion.create_revision():
        reversion.add_to_revision(brief)
        reversion.set_comment(f"Deleted “{brief.headline}”.")
        if by is not None:
            reversion.set_user(by)
    delete_renditions(brief)
    brief.delete()
    changes.record_many({changes.BRIEF_VISIBILITY: [pk], changes.BRIEF_CONTENT: [pk]})


def deleted_briefs():
    """Deleted briefs that can be restored, newest deletion first: their last stored versions."""
    from reversion.models import Version

    return Version.objects.get_deleted(Brief).select_related("revision", "revision__user")


def revoke_share_links_of(user_ids):
    """Share links made by people who lost access stop working (a `core.changes` ACCESS handler)."""
    from django.utils import timezone

    from .models import ShareLink

    links = ShareLink.objects.filter(revoked_at__isnull=True)
    if user_ids is not None:
        links = links.filter(created_by_id__in=user_ids)
    return links.update(revoked_at=timezone.now())
