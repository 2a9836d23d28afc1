"""Receivers of meetings' publication signals: record the publication and its fan-out in the outbox, in the
publishing transaction; nothing is sent here."""

from .services import publication_record


def on_agenda_published(sender, *, meeting, version, **kwargs):
    publication_record(meeting=meeting, kind="dagsorden", version=version)


def on_minutes_published(sender, *, meeting, version, **kwargs):
    publication_record(meeting=meeting, kind="referat", version=version)


def on_minutes_corrected(sender, *, meeting, version, **kwargs):
    publication_record(meeting=meeting, kind="rettelse", version=version)
