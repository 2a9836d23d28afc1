"""Who may do what with committees and mandates. Predicates only; views and selectors use them, so a list never
shows what a detail view refuses. Anyone not entitled to a draft gets 404, never a hint that it exists."""

from django.db.models import Q
from django.utils import timezone

from gentofte_portal.common.roles import SECRETARIAT_GROUP, is_secretariat

from .models import CommitteeMembership, Mandate

__all__ = ["SECRETARIAT_GROUP", "is_secretariat"]  # and the predicates below


def current_politician_memberships(user):
    """The user's current seats as a politician (via their Person), for per-committee checks."""
    today = timezone.localdate()
    return CommitteeMembership.objects.filter(
        person__user=user,
        member_kind=CommitteeMembership.MemberKind.POLITICIAN,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def is_member_of_proposing_committee(user, mandate: Mandate) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        current_politician_memberships(user).filter(committee__proposed_task_committees=mandate.committee_id).exists()
    )


def can_edit_mandate(user, mandate: Mandate) -> bool:
    return is_secretariat(user) and not mandate.is_read_only


def can_view_mandate_draft(user, mandate: Mandate) -> bool:
    """Staff see every revision; members of the proposing standing committee see a draft put to them for
    discussion (status "til drøftelse")."""
    if is_secretariat(user):
        return True
    return mandate.status == Mandate.Status.IN_DISCUSSION and is_member_of_proposing_committee(user, mandate)


def can_comment_on_mandate(user, mandate: Mandate) -> bool:
    return mandate.status == Mandate.Status.IN_DISCUSSION and can_view_mandate_draft(user, mandate)


def can_view_mandate_history(user, mandate: Mandate) -> bool:
    return is_secretariat(user)


def can_use_workspace(user) -> bool:
    """Staff, and politicians with a seat (who see the drafts put to their committee)."""
    return is_secretariat(user) or (user.is_authenticated and current_politician_memberships(user).exists())
