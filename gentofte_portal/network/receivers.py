"""Receivers of committees' signals: record follow-up work in the committee's transaction; nothing is sent here."""

from committees.models import Committee

from .services import committee_closed_invite


def on_task_committee_status_changed(sender, *, committee, previous, **kwargs):
    if committee.status == Committee.Status.CLOSED and previous != Committee.Status.CLOSED:
        committee_closed_invite(committee=committee)
