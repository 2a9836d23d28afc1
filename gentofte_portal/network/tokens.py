"""The network's signed links: nothing secret is stored, the links carry the row's random id (or, for an invitation
to join, the person's name and address) signed with SECRET_KEY. Each kind has its own salt, so one cannot be
turned into another; the confirmation and the invitation to join expire, the member's own link does not (it stops
working when the member is deleted)."""

import uuid

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "network.confirm"
MANAGE_SALT = "network.manage"
JOIN_SALT = "network.join"


def confirm_token(member) -> str:
    return signing.dumps(str(member.public_id), salt=CONFIRM_SALT)


def manage_token(member) -> str:
    return signing.dumps(str(member.public_id), salt=MANAGE_SALT)


def join_token(*, name: str, email: str, committee_id: int) -> str:
    """The invitation to join sent to a citizen member of a committee that ended: it proves the address."""
    return signing.dumps({"n": name, "e": email, "c": committee_id}, salt=JOIN_SALT)


def _member(public_id):
    from .models import Member

    try:
        public_id = uuid.UUID(public_id) if isinstance(public_id, str) else None
    except ValueError:
        return None
    return Member.objects.filter(public_id=public_id).first() if public_id else None


def member_from_confirm_token(token: str):
    try:
        return _member(signing.loads(token, salt=CONFIRM_SALT, max_age=settings.NETWORK_CONFIRM_HOURS * 3600))
    except signing.BadSignature:  # SignatureExpired is one
        return None


def member_from_manage_token(token: str):
    try:
        return _member(signing.loads(token, salt=MANAGE_SALT))
    except signing.BadSignature:
        return None


def join_from_token(token: str) -> dict | None:
    """{"name", "email", "committee_id"}, or None when forged or older than NETWORK_JOIN_LINK_DAYS."""
    try:
        payload = signing.loads(token, salt=JOIN_SALT, max_age=settings.NETWORK_JOIN_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in ("n", "e")):
        return None
    return {"name": payload["n"], "email": payload["e"], "committee_id": payload.get("c")}
