"""Receiver of committees' status signal: a task committee that ends gets its evaluation survey, in draft, in the
same transaction; nothing is sent here (staff read the statements through and press send)."""

from committees.models import Committee

from .services import survey_create


def on_task_committee_status_changed(sender, *, committee, previous, **kwargs):
    if committee.status == Committee.Status.CLOSED and previous != Committee.Status.CLOSED:
        survey_create(committee=committee)
