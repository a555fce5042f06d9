"""Signed links in mails: the only credential a subscriber ever needs.

Each purpose has its own salt, so a link made for one can never be used for another. The
confirmation link expires; unsubscribe and preference links do not (old mails must keep
working) and are deterministic, so the same mail is rebuilt byte for byte. Every token carries
the subscriber's `token_key`: once the subscriber is erased, no link of theirs matches anyone.
"""

from django.core import signing

from . import conf
from .models import Subscriber

CONFIRM = "newsletter.confirm"
UNSUBSCRIBE = "newsletter.unsubscribe"
MANAGE = "newsletter.manage"


class BadToken(Exception):
    """The link is damaged, altered, expired or belongs to no subscriber."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def _payload(subscriber):
    return [subscriber.pk, subscriber.token_key]


def confirm_token(subscriber):
    return signing.dumps(_payload(subscriber), salt=CONFIRM, compress=False)


def personal_token(subscriber, purpose):
    return signing.Signer(salt=purpose).sign_object(_payload(subscriber))


def subscriber_for(token, purpose):
    """The subscriber a token was made for, or BadToken."""
    try:
        if purpose == CONFIRM:
            value = signing.loads(token, salt=CONFIRM, max_age=conf.get("CONFIRM_DAYS") * 86400)
        else:
            value = signing.Signer(salt=purpose).unsign_object(token)
    except signing.SignatureExpired:
        raise BadToken("expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken("invalid") from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        raise BadToken("invalid")
    subscriber = Subscriber.objects.filter(pk=value[0], token_key=value[1]).first()
    if subscriber is None:
        raise BadToken("invalid")
    return subscriber
