"""Building the mails. Only Django's mail API is used, so any MAILERS backend sends them:
SMTP, or a django-anymail provider (see docs/newsletter.md)."""

from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.urls import reverse

from . import conf, links, rendering


def mailer():
    """A connection from the MAILERS alias the newsletter uses (NEWSLETTER_MAILER)."""
    return mailers[conf.get("MAILER")]


def message_id(delivery):
    """Deterministic per delivery: a mail sent again after a crash carries the same id, so
    mail providers and clients that see both keep one."""
    return f"<digest.{delivery.issue_id}.{delivery.pk}@{links.site_domain()}>"


def list_headers(subscriber):
    unsubscribe = f"<{links.unsubscribe_url(subscriber)}>"
    mailto = conf.get("UNSUBSCRIBE_MAILTO")
    if mailto:
        unsubscribe += f", <mailto:{mailto}?subject=unsubscribe>"
    return {
        "List-Unsubscribe": unsubscribe,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.SITE_NAME} digest <digest.{links.site_domain()}>",
    }


def _message(rendered, to, headers):
    message = EmailMultiAlternatives(
        rendered.subject, rendered.text, conf.get("FROM_EMAIL"), [to], headers=headers
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def digest_message(content, *, delivery, subscriber, sent_at):
    """The mail of `delivery`: its digest content with the subscriber's own links and headers.

    Called to send it and, with the stored `sent_at`, to show an editor the mail as sent."""
    unsubscribe_url, manage_url = links.unsubscribe_url(subscriber), links.manage_url(subscriber)
    rendered = rendering.Rendered(
        subject=content.subject,
        html=rendering.personalise(content.html, unsubscribe_url=unsubscribe_url, manage_url=manage_url),
        text=rendering.personalise(content.text, unsubscribe_url=unsubscribe_url, manage_url=manage_url),
    )
    headers = {
        **list_headers(subscriber),
        "Message-ID": message_id(delivery),
        "Date": format_datetime(sent_at),
    }
    return _message(rendered, subscriber.email, headers)


def test_message(rendered, *, to):
    """A digest sent to an editor: marked as a test, its personal links lead to the sign-up page."""
    signup = links.absolute(reverse("newsletter:subscribe"))
    rendered = rendering.Rendered(
        subject=f"[Test] {rendered.subject}",
        html=rendering.personalise(rendered.html, unsubscribe_url=signup, manage_url=signup),
        text=rendering.personalise(rendered.text, unsubscribe_url=signup, manage_url=signup),
    )
    return _message(rendered, to, {})


def notice_message(rendered, *, to, subscriber=None):
    headers = list_headers(subscriber) if subscriber is not None else {}
    return _message(rendered, to, headers)
