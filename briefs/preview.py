"""Previews of unpublished briefs, with the readers' own view and template.

Staff preview by object permission (the same rule as the brief's admin page);
outsiders only through a signed, expiring, revocable share link. Neither is
cached nor indexed.
"""

from django.core import signing
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from . import pending, permissions, snapshots
from .models import Brief, ShareLink
from .views import BriefDetailView

SHARE_SALT = "briefs.share-link"


def share_token(link):
    """Signed id of the link; expiry and revocation live in the database, so the token can be shown again."""
    return signing.Signer(salt=SHARE_SALT).sign_object(link.pk)


def share_url(link):
    return reverse("briefs:shared", kwargs={"token": share_token(link)})


def active_share_link(token):
    """The live share link a token names, or None when it is tampered with, expired or revoked."""
    try:
        pk = signing.Signer(salt=SHARE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):  # ValueError: validly signed, but not a share link
        return None
    if not isinstance(pk, int):
        return None
    return (
        ShareLink.objects.filter(pk=pk, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("brief")
        .first()
    )


@method_decorator(never_cache, name="dispatch")
class BriefPreviewView(BriefDetailView):
    """A brief in any state, rendered exactly as readers will see it, under a "not published" banner."""

    template_name = "briefs/brief_preview.html"
    keeps_fragments = False
    pk_url_kwarg = "object_id"
    slug_url_kwarg = None

    def get_queryset(self):
        # The readers' page loads the same related data; only the published() filter is dropped.
        readers = super().get_queryset()
        queryset = Brief.objects.all()
        queryset.query.select_related = readers.query.select_related
        return queryset.prefetch_related(*readers._prefetch_related_lookups)

    def get_object(self, queryset=None):
        brief = super().get_object(queryset)
        if not permissions.can_view(self.request.user, brief):
            raise Http404("No brief found")
        return brief

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)

    def get(self, request, *args, **kwargs):
        """A published brief with pending changes previews those changes: they are applied in a
        transaction that is rolled back once the page is rendered, so the page is exactly what
        readers will see and nothing is stored."""
        brief = self.get_object()
        current = pending.open_pending(brief) if pending.is_live(brief) else None
        if current is None:
            return super().get(request, *args, **kwargs)
        with transaction.atomic():
            snapshots.apply(brief, current.snapshot)
            self.object = self.get_object()
            response = self.render_to_response(
                self.get_context_data(object=self.object, pending_preview=True)
            )
            response.render()
            transaction.set_rollback(True)
        return response

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class SharedBriefView(BriefPreviewView):
    """What a share link shows: no login, but only while the link is valid."""

    def get_object(self, queryset=None):
        link = active_share_link(self.kwargs["token"])
        if link is None:
            raise Http404("This preview link is not valid.")
        return (queryset or self.get_queryset()).get(pk=link.brief_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(shared=True, **kwargs)
