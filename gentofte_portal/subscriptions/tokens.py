"""The subscriber's private links: the row's random id, signed with SECRET_KEY (nothing secret is stored).

The confirmation link also carries what was asked for (committees, frequency) and expires; the links to manage and
to unsubscribe do not expire, and each has its own salt so one cannot be turned into the other.
"""

import uuid

from django.conf import settings
from django.core import signing

MANAGE_SALT = "subscriptions.manage"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
CONFIRM_SALT = "subscriptions.confirm"


def manage_token(subscriber) -> str:
    return signing.dumps(str(subscriber.public_id), salt=MANAGE_SALT)


def unsubscribe_token(subscriber) -> str:
    return signing.dumps(str(subscriber.public_id), salt=UNSUBSCRIBE_SALT)


def confirm_token(subscriber, *, committee_ids: list[int], frequency: str) -> str:
    return signing.dumps(
        {"s": str(subscriber.public_id), "c": sorted(committee_ids), "f": frequency}, salt=CONFIRM_SALT
    )


def _subscriber(public_id):
    from .models import Subscriber

    try:
        public_id = uuid.UUID(public_id) if isinstance(public_id, str) else None
    except ValueError:
        return None
    return Subscriber.objects.filter(public_id=public_id).first() if public_id else None


def subscriber_from_token(token: str, *, salt: str):
    try:
        return _subscriber(signing.loads(token, salt=salt))
    except signing.BadSignature:
        return None


def confirmation_from_token(token: str):
    """(subscriber, committee ids, frequency), or None when the link is forged, expired or its request deleted."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.SUBSCRIPTIONS_CONFIRM_HOURS * 3600)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(payload, dict):
        return None
    subscriber = _subscriber(payload.get("s"))
    committees = payload.get("c")
    if subscriber is None or not isinstance(committees, list) or not all(isinstance(c, int) for c in committees):
        return None
    return subscriber, committees, payload.get("f")
