"""The newsletter's own admin pages: an issue's preview and actions, a delivery's mail as sent.

Mail HTML is shown in a sandboxed <iframe> whose document comes from its own URL with a strict
policy of its own: no script at all, styles only inline (as in the mail), nothing loaded.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from . import mail, permissions, services
from .models import Delivery, Issue, Subscriber

MAIL_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "sandbox": True,
}


def mail_document(html):
    """A mail's HTML as a document for the sandboxed frame."""
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _sandboxed(view):
    return never_cache(xframe_options_sameorigin(csp_override(MAIL_CSP)(view)))


def delivered_mail(delivery):
    """The mail of a sent delivery, rebuilt from its stored digest: what the subscriber got
    (the same headers and parts; only the MIME boundaries differ). None when the text is gone."""
    content = delivery.content
    if content is None or content.purged_at:
        return None
    subscriber = delivery.subscriber
    if subscriber is None:  # erased: no address, no personal links
        return None
    return mail.digest_message(content, delivery=delivery, subscriber=subscriber, sent_at=delivery.sent_at)


def mail_parts(message):
    html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    parsed = message.message()
    headers = [(name, str(value)) for name, value in parsed.items()]
    return {"headers": headers, "text": message.body, "html": html}


class IssueAdminViews:
    def _issue(self, request, pk):
        if not permissions.can_read(request.user):
            raise PermissionDenied
        return get_object_or_404(Issue, pk=pk)

    def _act(self, request, pk, action, done):
        issue = self._issue(request, pk)
        try:
            action(issue=issue, by=request.user)
        except services.ActionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:newsletter_issue_change", issue.pk)

    def start_view(self, request, pk):
        return self._act(request, pk, services.start_issue, "Sending has started.")

    def pause_view(self, request, pk):
        return self._act(request, pk, services.pause_issue, "Sending is paused; nothing more goes out.")

    def resume_view(self, request, pk):
        return self._act(request, pk, services.resume_issue, "Sending has resumed.")

    def send_test_view(self, request, pk):
        return self._act(
            request, pk, services.send_test, f"A test of this issue was sent to {request.user.email}."
        )

    def _preview_subscriber(self, request):
        raw = request.GET.get("subscriber", "").strip()
        if not raw:
            return None, ""
        found = Subscriber.objects.filter(email__iexact=raw).first()
        if found is None and raw.isdigit():
            found = Subscriber.objects.filter(pk=int(raw)).first()
        return found, raw

    def preview_view(self, request, pk):
        issue = self._issue(request, pk)
        subscriber, asked = self._preview_subscriber(request)
        rendered = services.preview(issue, subscriber=subscriber)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview: {issue}",
            "opts": Issue._meta,
            "original": issue,
            "subscriber": subscriber,
            "asked": asked,
            "not_found": bool(asked) and subscriber is None,
            "rendered": rendered,
            "frame_query": f"?subscriber={subscriber.pk}" if subscriber else "",
        }
        return TemplateResponse(request, "admin/newsletter/issue/preview.html", context)

    def preview_document_view(self, request, pk):
        issue = self._issue(request, pk)
        subscriber, _ = self._preview_subscriber(request)
        rendered = services.preview(issue, subscriber=subscriber)
        return mail_document(rendered.html if rendered else "<p>Nothing to show.</p>")

    def issue_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/start/", view(require_POST(self.start_view)), name="newsletter_issue_start"),
            path("<int:pk>/pause/", view(require_POST(self.pause_view)), name="newsletter_issue_pause"),
            path("<int:pk>/resume/", view(require_POST(self.resume_view)), name="newsletter_issue_resume"),
            path(
                "<int:pk>/send-test/",
                view(require_POST(self.send_test_view)),
                name="newsletter_issue_send_test",
            ),
            path("<int:pk>/preview/", view(self.preview_view), name="newsletter_issue_preview"),
            path(
                "<int:pk>/preview/mail.html",
                view(_sandboxed(self.preview_document_view)),
                name="newsletter_issue_preview_document",
            ),
        ]


class DeliveryAdminViews:
    def mail_document_view(self, request, pk):
        if not permissions.can_read(request.user):
            raise PermissionDenied
        delivery = get_object_or_404(Delivery.objects.select_related("content", "subscriber"), pk=pk)
        message = delivered_mail(delivery) if delivery.sent_at else None
        if message is None:
            return mail_document("<p>This mail's text is no longer stored.</p>")
        return mail_document(mail_parts(message)["html"])

    def delivery_urls(self):
        return [
            path(
                "<int:pk>/mail.html",
                self.admin_site.admin_view(_sandboxed(self.mail_document_view)),
                name="newsletter_delivery_mail",
            )
        ]
