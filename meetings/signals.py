"""What meetings tell the layers above it, without knowing them: sent inside the publishing transaction, so a
receiver that records follow-up work (gentofte_portal.subscriptions writes outbox rows) commits or rolls back with
the publication. Receivers must not send anything themselves."""

from django.dispatch import Signal

# Each is sent with ``meeting`` (a meetings.models.Meeting) and ``version`` (a string naming this publication of the
# document: a second send with the same version is the same publication).
agenda_published = Signal()
minutes_published = Signal()
minutes_corrected = Signal()
