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


def calls_with_applications_visible(user, calls) -> set[int]:
    """The pks of those of ``calls`` whose applications ``user`` may see: ``can_view_applications`` for each, in
    one query whatever the number of calls (the recruitment overview lists every call of a committee)."""
    pks = [call.pk for call in calls]
    if not pks or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(pks)
    if not is_secretariat(user):
        return set()
    return set(user.recruitment_calls.filter(pk__in=pks).values_list("pk", flat=True))
