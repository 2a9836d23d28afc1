"""Keeping the API's times and tombstones true as the domain changes.

OParl objects embed others (a Meeting its agenda items and PDFs, an agenda item its bilag, a Paper its
consultations), so a change inside moves the container's ``modified``: a crawler asking what changed since its last
visit then fetches the container again. Whatever the API showed and is gone (deleted, or no longer public, such as
the bilag of an item closed after publication) leaves a Tombstone, so its URL answers ``deleted: true``.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from committees.models import (
    Committee,
    CommitteeMembership,
    CouncilMembership,
    Deliverable,
    Mandate,
    Party,
    Person,
    Term,
)
from gentofte_portal.documents.models import Document
from meetings.models import AgendaItem, Attachment, DeliverableApproval, Meeting, Minutes

from .models import Tombstone


def bury(oparl_type: str, key, created_at) -> None:
    """Records that the object at /<oparl_type>/<key>/ is gone, now."""
    Tombstone.objects.update_or_create(
        oparl_type=oparl_type,
        key=str(key),
        defaults={"created_at": created_at or timezone.now(), "deleted_at": timezone.now()},
    )


def touch(model, pk) -> None:
    """Moves a container's ``modified`` to now (an update, so no history version and no signal of its own)."""
    if pk is not None:
        field = "updated_at" if model is Mandate else "modified_at"
        model.objects.filter(pk=pk).update(**{field: timezone.now()})


def _agenda_published(meeting_id) -> bool:
    return Meeting.objects.filter(pk=meeting_id, agenda_published_at__isnull=False).exists()


def _item_saved(sender, instance: AgendaItem, **kwargs):
    touch(Meeting, instance.meeting_id)
    if not _agenda_published(instance.meeting_id):
        return
    attachments = list(instance.attachments.values_list("pk", "created_at"))
    if instance.is_closed:  # a closed item's bilag are never public: those the API showed are gone
        for pk, created_at in attachments:
            bury("file", f"bilag-{pk}", created_at)
    else:
        Tombstone.objects.filter(oparl_type="file", key__in=[f"bilag-{pk}" for pk, _c in attachments]).delete()


def _item_deleted(sender, instance: AgendaItem, **kwargs):
    touch(Meeting, instance.meeting_id)
    if _agenda_published(instance.meeting_id):
        bury("agenda-item", instance.pk, instance.created_at)


def _attachment_saved(sender, instance: Attachment, created=False, **kwargs):
    item = AgendaItem.objects.filter(pk=instance.item_id).values("meeting_id").first()
    touch(AgendaItem, instance.item_id)
    if item:
        touch(Meeting, item["meeting_id"])


def _attachment_deleted(sender, instance: Attachment, **kwargs):
    item = AgendaItem.objects.filter(pk=instance.item_id).values("meeting_id", "is_closed").first()
    if item is None:  # deleted with its item: the item's tombstone covers the meeting's change
        bury("file", f"bilag-{instance.pk}", instance.created_at)
        return
    touch(AgendaItem, instance.item_id)
    touch(Meeting, item["meeting_id"])
    if _agenda_published(item["meeting_id"]):
        bury("file", f"bilag-{instance.pk}", instance.created_at)


def _minutes_saved(sender, instance: Minutes, **kwargs):
    touch(Meeting, instance.meeting_id)


def _document_saved(sender, instance: Document, **kwargs):
    """A PDF rendered anew: the Meeting or Paper embedding it as a File changed."""
    if instance.kind == Document.Kind.MANDATE:
        touch(Mandate, instance.object_id)
    else:
        touch(Meeting, instance.object_id)


def _approval_saved(sender, instance: DeliverableApproval, **kwargs):
    touch(Deliverable, instance.deliverable_id)


def _approval_deleted(sender, instance: DeliverableApproval, **kwargs):
    touch(Deliverable, instance.deliverable_id)
    bury("consultation", instance.pk, instance.created_at)


def _mandate_saved(sender, instance: Mandate, **kwargs):
    touch(Committee, instance.committee_id)


def _membership_deleted(sender, instance: CommitteeMembership, **kwargs):
    touch(Committee, instance.committee_id)
    touch(Person, instance.person_id)
    bury("membership", f"udvalg-{instance.pk}", instance.created_at)


def _membership_saved(sender, instance: CommitteeMembership, **kwargs):
    touch(Committee, instance.committee_id)


def _council_membership_deleted(sender, instance: CouncilMembership, **kwargs):
    touch(Person, instance.person_id)
    bury("membership", f"kb-{instance.pk}", instance.created_at)


def _deleted(oparl_type: str, key_prefix: str = ""):
    def receiver(sender, instance, **kwargs):
        bury(oparl_type, f"{key_prefix}{instance.pk}", getattr(instance, "created_at", None))

    return receiver


def _deliverable_deleted(sender, instance: Deliverable, **kwargs):
    if instance.handed_over_on:
        bury("paper", f"leverance-{instance.pk}", instance.created_at)
    if instance.file:
        bury("file", f"leverance-{instance.pk}", instance.created_at)


def _term_deleted(sender, instance: Term, **kwargs):
    bury("legislative-term", instance.pk, instance.created_at)
    bury("organization", f"kb-{instance.pk}", instance.created_at)


RECEIVERS = [
    (post_save, AgendaItem, _item_saved),
    (post_delete, AgendaItem, _item_deleted),
    (post_save, Attachment, _attachment_saved),
    (post_delete, Attachment, _attachment_deleted),
    (post_save, Minutes, _minutes_saved),
    (post_save, Document, _document_saved),
    (post_save, DeliverableApproval, _approval_saved),
    (post_delete, DeliverableApproval, _approval_deleted),
    (post_save, Mandate, _mandate_saved),
    (post_save, CommitteeMembership, _membership_saved),
    (post_delete, CommitteeMembership, _membership_deleted),
    (post_delete, CouncilMembership, _council_membership_deleted),
    (post_delete, Meeting, _deleted("meeting")),
    (post_delete, Committee, _deleted("organization", "udvalg-")),
    (post_delete, Party, _deleted("organization", "parti-")),
    (post_delete, Person, _deleted("person")),
    (post_delete, Deliverable, _deliverable_deleted),
    (post_delete, Term, _term_deleted),
]


def connect() -> None:
    for signal, sender, receiver in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=f"oparl-{sender.__name__}-{receiver.__name__}")
