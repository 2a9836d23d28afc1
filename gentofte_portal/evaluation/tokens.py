"""A member's personal survey link: the invitation's random id, signed with SECRET_KEY (nothing secret stored)."""

import uuid

from django.core import signing

SALT = "evaluation.answer"


def invitation_token(invitation) -> str:
    return signing.dumps(str(invitation.public_id), salt=SALT)


def invitation_from_token(token: str):
    """The invitation, or None when the link is forged, mangled or its invitation gone."""
    from .models import Invitation

    try:
        public_id = uuid.UUID(signing.loads(token, salt=SALT))
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return None
    return Invitation.objects.select_related("survey__committee").filter(public_id=public_id).first()
