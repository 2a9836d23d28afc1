"""Who may see applicants' personal data: only the call's caseworkers (and superusers). Politicians and the
public never do; a refused request is answered 404, so nothing tells that an application exists."""

from committees.permissions import is_secretariat


def can_manage_recruitment(user) -> bool:
    """Open calls, run allocations and appoint members: staff in "Sekretariat"."""
    return is_secretariat(user)


def can_view_applications(user, call) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return is_secretariat(user) and call.caseworkers.filter(pk=user.pk).exists()
