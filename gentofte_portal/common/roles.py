"""The portal's staff role, which every app's permissions and the shared staff pages ask about."""

SECRETARIAT_GROUP = "Sekretariat"


def is_secretariat(user) -> bool:
    """Municipal staff who draft mandates: members of the group "Sekretariat" (or superusers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._is_secretariat = cached
    return cached
