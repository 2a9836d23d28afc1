"""What committees tell the layers above it, without knowing them: sent inside the transaction that changes the
committee, so a receiver that records follow-up work (outbox rows, survey invitations) commits or rolls back with
the change. Receivers must not send anything themselves: they write rows, or use ``transaction.on_commit``."""

from django.dispatch import Signal

# Sent with ``committee`` (a task committee, already saved with its new status) and ``previous`` (the status it
# had). A committee that becomes "afsluttet" has ``committee.status == Committee.Status.CLOSED``.
task_committee_status_changed = Signal()
