"""Applicants' data is kept only as long as the recruitment needs it (GDPR art. 5(1)(e)): the applications of
citizens not appointed are deleted RECRUITMENT_RETENTION_DAYS after the appointment, and appointed members'
applications the same number of days after the committee has ended; only counts remain."""

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Allocation, Application, ApplicationView, Call


def _counts(applications) -> dict:
    return {
        "ansøgninger": len(applications),
        "udpegede": sum(a.status == Application.Status.APPOINTED for a in applications),
        "bydele": dict(Counter(a.district for a in applications)),
        "køn": dict(Counter(a.gender or "ikke_oplyst" for a in applications)),
    }


@transaction.atomic
def applications_purge(*, now=None, days: int | None = None) -> int:
    """Delete applications not appointed once the retention period after the appointment has passed; returns the
    number deleted. Idempotent: a purged call is not purged again."""
    now = now or timezone.now()
    days = settings.RECRUITMENT_RETENTION_DAYS if days is None else days
    cutoff = now - dt.timedelta(days=days)
    appointed_committees = Allocation.objects.filter(appointed_at__lte=cutoff).values("committee_id")
    deleted = 0
    for call in Call.objects.filter(committee_id__in=appointed_committees, purged_at__isnull=True):
        applications = list(call.applications.all())
        doomed = [a.pk for a in applications if a.status != Application.Status.APPOINTED]
        ApplicationView.objects.filter(application_id__in=doomed).update(application_name="")
        deleted += Application.objects.filter(pk__in=doomed).delete()[0]
        call.purged_counts = _counts(applications)
        call.purged_at = now
        call.save(update_fields=["purged_counts", "purged_at"])
    # Appointed members' applications are kept while they sit; once the committee has ended, they go too.
    ended_before = timezone.localdate(now) - dt.timedelta(days=days)  # a committee ends on a Danish date
    finished = Application.objects.filter(
        status=Application.Status.APPOINTED,
        call__committee__status="afsluttet",
        call__committee__ends_on__lt=ended_before,
    )
    ApplicationView.objects.filter(application__in=finished).update(application_name="")
    deleted += finished.delete()[0]
    return deleted
