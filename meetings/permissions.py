"""Who sees what of a meeting. Closed items and their attachments reach only the secretariat and the members of
the committee; unpublished agendas and minutes only the secretariat. Everyone else gets "Lukket" or 404, on every
surface."""

from django.db.models import Q
from django.utils import timezone

from committees.models import CommitteeMembership
from committees.permissions import is_secretariat


def can_manage_meetings(user) -> bool:
    return is_secretariat(user)


def is_committee_member(user, meeting) -> bool:
    """A member (politician or citizen, via their Person's login) whose seat covers the meeting date."""
    if not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_member_of", None)
    if cache is None:
        cache = user._member_of = {}
    key = (meeting.committee_id, timezone.localtime(meeting.starts_at).date())
    if key not in cache:
        day = key[1]
        cache[key] = (
            CommitteeMembership.objects.filter(committee_id=meeting.committee_id, person__user=user)
            .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
            .exists()
        )
    return cache[key]


def can_see_closed_items(user, meeting) -> bool:
    return is_secretariat(user) or is_committee_member(user, meeting)


def can_view_meeting(user, meeting) -> bool:
    """The agenda is public once published; before that only the secretariat sees it."""
    return meeting.is_agenda_published or is_secretariat(user)


def can_view_minutes(user, minutes) -> bool:
    return minutes is not None and (minutes.is_published or is_secretariat(user))
