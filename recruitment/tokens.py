"""The private link a citizen gets to their application: the application's random id, signed with SECRET_KEY.

Unguessable (a random UUID) and tamper-proof (signed); nothing secret is stored in the database.
"""

import uuid

from django.core import signing

SALT = "recruitment.application-status"


def application_token(application) -> str:
    return signing.dumps(str(application.public_id), salt=SALT)


def application_from_token(token: str):
    from .models import Application

    try:
        payload = signing.loads(token, salt=SALT)
        public_id = uuid.UUID(payload) if isinstance(payload, str) else None
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if public_id is None:
        return None
    return Application.objects.select_related("call", "call__committee").filter(public_id=public_id).first()
