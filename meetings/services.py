"""Planning meetings, building agendas, writing minutes. Every write validates, runs in a transaction and keeps
versions; after an agenda is published its items' changes are marked "ændret" with the time."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from committees.models import Committee, CommitteeMembership, Deliverable
from gentofte_portal.common.markdown import render_markdown
from gentofte_portal.common.public_cache import content_changed
from gentofte_portal.documents.services import documents_request

from .models import AgendaItem, Attachment, Attendance, DeliverableApproval, Meeting, Minutes
from .permissions import can_manage_meetings
from .signals import agenda_published, minutes_corrected, minutes_published
from .text_extract import extract_text
from .uploads import ALLOWED, sniff

ITEM_FIELDS = [
    "title",
    "case_number",
    "is_closed",
    "publish_level",
    "public_title",
    "has_personal_data",
    "summary",
    "recommendation",
    "earlier_decisions",
]
STANDARD_ITEMS = {
    "godkendelse": ("Godkendelse af dagsorden", "first"),
    "eventuelt": ("Eventuelt", "last"),
}
FIRST_DOCUMENT_NUMBER = 2_169_741  # continues the municipality's document numbering (seeds/001)


def _require(by):
    if not can_manage_meetings(by):
        raise PermissionDenied


def _renumber(meeting: Meeting, items=None, *, by=None) -> None:
    """Number the items 1..n in the given order (default: their current order); each change is a version."""
    items = items if items is not None else list(meeting.items.order_by("position", "pk"))
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item._history_user = by
            item.save(update_fields=["position", "modified_at"])


def _request_pdfs(meeting: Meeting, kind: str) -> None:
    """(Re)render the document's PDFs after commit, unless their text is unchanged (gentofte_portal.documents)."""
    documents_request(kind=kind, object_id=meeting.pk)


def _mark_changed(meeting: Meeting, item: AgendaItem | None = None, *, public: bool = True) -> None:
    """A change after publication is kept and shown as "ændret" with the time, and the PDF follows. ``public``
    says whether the public can see the change: a change inside a closed item (its title, text or bilag) is not,
    so the public "ændret" mark, the feed's update time and the sitemap's lastmod stay as they were."""
    if meeting.agenda_published_at:
        now = timezone.now()
        changed = {"agenda_changed_at": now} | ({"agenda_public_changed_at": now} if public else {})
        Meeting.objects.filter(pk=meeting.pk).update(**changed, modified_at=now)
        for field, value in changed.items():
            setattr(meeting, field, value)
        if item is not None:
            AgendaItem.objects.filter(pk=item.pk).update(changed_after_publication_at=now, modified_at=now)
            item.changed_after_publication_at = now
        _request_pdfs(meeting, "dagsorden")


def _check_not_minuted(meeting: Meeting) -> None:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes and minutes.is_published:
        raise ValidationError(_("Referatet er offentliggjort; dagsordenen kan ikke længere ændres."))


def agenda_change_check(*, meeting: Meeting) -> None:
    """Raise why the agenda can no longer change (its minutes are published); for the confirmation pages."""
    _check_not_minuted(meeting)


@transaction.atomic
def meeting_create(*, committee: Committee, starts_at, location: str, kind: str, by) -> Meeting:
    _require(by)
    meeting = Meeting(committee=committee, starts_at=starts_at, location=location.strip(), kind=kind)
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, starts_at, location: str, kind: str, by) -> Meeting:
    _require(by)
    _check_not_minuted(meeting)
    meeting.starts_at, meeting.location, meeting.kind = starts_at, location.strip(), kind
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    _mark_changed(meeting)
    return meeting


def _apply_item(item: AgendaItem, data: dict) -> None:
    for field in ITEM_FIELDS:
        if field in data:
            value = data[field]
            setattr(item, field, value.strip() if isinstance(value, str) else value)
    item.summary_html = render_markdown(item.summary)
    item.earlier_decisions_html = render_markdown(item.earlier_decisions)
    item.decision_html = render_markdown(item.decision)


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, data: dict, by, position: str = "last") -> AgendaItem:
    _require(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_not_minuted(meeting)
    last = meeting.items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem(meeting=meeting, position=last + 1)
    _apply_item(item, data)
    item.full_clean()
    item._history_user = by
    item.save()
    if position == "first":
        others = [i for i in meeting.items.order_by("position", "pk") if i.pk != item.pk]
        _renumber(meeting, [item, *others], by=by)
    _mark_changed(meeting, item)
    return item


def _public_face(item: AgendaItem) -> tuple | None:
    """What the public sees of a closed item (None for an open one, whose every change is public)."""
    return (item.case_number, item.public_view()) if item.is_closed else None


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, data: dict, by) -> AgendaItem:
    _require(by)
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _check_not_minuted(item.meeting)
    seen_before = _public_face(item)
    _apply_item(item, data)
    item.full_clean()
    item._history_user = by
    item.save()
    # The public sees a closed item as its number, Sags ID, "Lukket" and what its publish level shows (a title, a
    # decision): only a change of those shows, e.g. a new level or anonymised title, or the title at level "titel".
    hidden = seen_before is not None and seen_before == _public_face(item)
    _mark_changed(item.meeting, item, public=not hidden)
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str, by) -> None:
    """Move an item one place up or down; the numbers follow the order."""
    _require(by)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _check_not_minuted(meeting)
    items = list(meeting.items.order_by("position", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if direction == "op" else index + 1
    if direction not in ("op", "ned") or not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    _renumber(meeting, items, by=by)
    _mark_changed(meeting, item)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by) -> None:
    _require(by)
    meeting = item.meeting
    _check_not_minuted(meeting)
    files = [(a.file.storage, a.file.name) for a in item.attachments.all()]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    item._history_user = by
    item.delete()
    _renumber(meeting, by=by)
    _mark_changed(meeting)


@transaction.atomic
def agenda_standard_item_add(*, meeting: Meeting, which: str, by) -> AgendaItem:
    if which not in STANDARD_ITEMS:
        raise ValidationError(_("Ukendt standardpunkt."))
    title, where = STANDARD_ITEMS[which]
    if meeting.items.filter(title=title).exists():
        raise ValidationError(_("Punktet «%(t)s» er allerede på dagsordenen.") % {"t": title})
    return agenda_item_add(meeting=meeting, data={"title": title}, by=by, position=where)


@transaction.atomic
def attachment_add(*, item: AgendaItem, upload, title: str, by) -> Attachment:
    """Store a bilag after checking its content; it gets the next document number."""
    _require(by)
    _check_not_minuted(item.meeting)
    content_type = sniff(upload)
    # Numbers are never reused, not even after a bilag is removed: count deleted ones too (history).
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    last = max(
        Attachment.objects.aggregate(m=Max("document_number"))["m"] or 0,
        Attachment.history.aggregate(m=Max("document_number"))["m"] or 0,
        FIRST_DOCUMENT_NUMBER - 1,
    )
    base = (upload.name or "bilag").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:150]
    stem = base.rsplit(".", 1)[0].strip() or "bilag"
    attachment = Attachment(
        item=item,
        position=(item.attachments.aggregate(m=Max("position"))["m"] or 0) + 1,
        title=((title or "").strip() or stem)[:300],
        document_number=last + 1,
        original_name=base,
        content_type=content_type,
        size=upload.size,
    )
    attachment.full_clean(exclude=["file"])  # everything but the file, before anything is written to disk
    safe_name = "".join(ch for ch in stem if ch.isalnum() or ch in "-_")[:80] or "bilag"
    attachment.file.save(f"{safe_name}{ALLOWED[content_type]}", upload, save=False)
    stored = attachment.file.name
    try:
        attachment._history_user = by
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    _mark_changed(meeting, item, public=not item.is_closed)
    if not item.is_closed:  # a closed item's bilag is never read for the search
        from .tasks import attachment_text_extract_task

        transaction.on_commit(lambda: attachment_text_extract_task.delay(attachment.id))
    return attachment


def attachment_text_extract(*, attachment_id: int) -> bool:
    """Store a bilag's text for the search (PDF, DOCX; meetings.text_extract), once. Never for a closed item's
    bilag. An UPDATE, not a save: no new history version for a derived column; the page cache and the search
    index hear of it."""
    attachment = Attachment.objects.select_related("item").filter(pk=attachment_id).first()
    if attachment is None or attachment.item.is_closed or attachment.text_extracted_at is not None:
        return False
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return False
    text = extract_text(data, attachment.content_type)
    Attachment.objects.filter(pk=attachment.pk).update(text=text, text_extracted_at=timezone.now())
    content_changed(attachment)  # the page cache and the search index, as a save would
    return True


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    _require(by)
    _check_not_minuted(attachment.item.meeting)
    item = attachment.item
    stored, storage = attachment.file.name, attachment.file.storage
    attachment._history_user = by
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))  # only once the removal is committed
    _mark_changed(Meeting.objects.select_for_update().get(pk=item.meeting_id), item, public=not item.is_closed)


def agenda_publish_check(*, meeting: Meeting) -> None:
    """Raise why the agenda cannot be published now; the confirmation page shows it instead of the button."""
    if meeting.agenda_published_at:
        raise ValidationError(_("Dagsordenen er allerede offentliggjort."))
    if not meeting.items.exists():
        raise ValidationError(_("Dagsordenen har ingen punkter."))


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by) -> Meeting:
    """From now on the agenda is public (open items in full, closed items as "Lukket")."""
    _require(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    agenda_publish_check(meeting=meeting)
    meeting.agenda_published_at = timezone.now()
    meeting._history_user = by
    meeting.save()
    _request_pdfs(meeting, "dagsorden")
    agenda_published.send(sender=Meeting, meeting=meeting, version=meeting.agenda_published_at.isoformat())
    return meeting


def members_on(meeting: Meeting):
    """The committee's members on the meeting day: those whose attendance the minutes record."""
    day = timezone.localtime(meeting.starts_at).date()
    return (
        CommitteeMembership.objects.filter(committee_id=meeting.committee_id)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person", "party")
        .order_by("person__name")
    )


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    attendance: dict[int, tuple[str, bool]],
    decisions: dict[int, str],
    remarks: str,
    ended_at: dt.time | None,
    by,
    correction_note: str = "",
) -> Minutes:
    """Write the referat. A published one changes only as a correction, with a visible note and a new version."""
    _require(by)
    minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    if minutes.status == Minutes.Status.PUBLISHED:
        if not correction_note.strip():
            raise ValidationError({"correction_note": _("Et offentliggjort referat rettes kun med en synlig note.")})
        minutes.correction_note = correction_note.strip()
        minutes.corrected_at = timezone.now()
        minutes.version += 1
    elif minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(_("Referatet er godkendt; offentliggør det, eller ret det efter offentliggørelsen."))
    member_ids = set(members_on(meeting).values_list("person_id", flat=True))
    unknown = set(attendance) - member_ids
    if unknown:
        raise ValidationError(_("Fremmøde kan kun registreres for udvalgets medlemmer."))
    for person_id, (presence, apologies) in attendance.items():
        if presence not in Attendance.Presence.values:
            raise ValidationError(_("Vælg tilstede eller fraværende."))
        Attendance.objects.update_or_create(
            minutes=minutes,
            person_id=person_id,
            defaults={"presence": presence, "sent_apologies": bool(apologies) and presence == "fravaerende"},
        )
    items = {i.pk: i for i in meeting.items.all()}
    for item_id, text in decisions.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError(_("Punktet hører ikke til mødet."))
        if item.decision != text.strip():
            item.decision = text.strip()
            item.decision_html = render_markdown(item.decision)
            item._history_user = by
            item.save(update_fields=["decision", "decision_html", "modified_at"])
    minutes.remarks = remarks.strip()
    minutes.remarks_html = render_markdown(minutes.remarks)
    minutes.ended_at = ended_at
    minutes.full_clean()
    minutes._history_user = by
    minutes.save()
    if minutes.status == Minutes.Status.PUBLISHED:
        _request_pdfs(meeting, "referat")  # a correction: the published PDF follows
        if correction_note.strip():
            minutes_corrected.send(sender=Minutes, meeting=meeting, version=f"v{minutes.version}")
    return minutes


def _require_started(meeting: Meeting) -> None:
    """Minutes record what happened: they are approved and published only once the meeting has begun."""
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("Mødet er ikke begyndt endnu (%(when)s). Referatet kan først godkendes og offentliggøres bagefter.")
            % {"when": date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")}
        )


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by) -> Minutes:
    _require(by)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Kun et referat i kladde kan godkendes."))
    _require_started(minutes.meeting)
    if not minutes.attendance.exists():
        raise ValidationError(_("Registrér fremmødet, før referatet godkendes."))
    minutes.status = Minutes.Status.APPROVED
    minutes._history_user = by
    minutes.save()
    return minutes


def minutes_publish_check(*, minutes: Minutes) -> None:
    """Raise why the minutes cannot be published now; the confirmation page shows it instead of the button."""
    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Referatet skal godkendes, før det offentliggøres."))
    _require_started(minutes.meeting)
    if not Meeting.objects.filter(pk=minutes.meeting_id, agenda_published_at__isnull=False).exists():
        raise ValidationError(_("Dagsordenen skal offentliggøres først."))


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by) -> Minutes:
    _require(by)
    minutes_publish_check(minutes=minutes)
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = timezone.now()
    minutes._history_user = by
    minutes.save()
    _request_pdfs(minutes.meeting, "referat")
    minutes_published.send(sender=Minutes, meeting=minutes.meeting, version=f"v{minutes.version}")
    return minutes


@transaction.atomic
def deliverable_update(*, deliverable: Deliverable, upload=None, approved_item=None, handed_over_on=None, by):
    """Attach the deliverable's file, record the meeting item where it was approved (a DeliverableApproval, removed
    when no item is given), and mark it handed over. Everything is checked before a file is written; the old file
    is removed only once the change is committed."""
    _require(by)
    if approved_item is not None and approved_item.meeting.committee_id != deliverable.committee_id:
        raise ValidationError({"approved_item": _("Punktet skal være fra udvalgets eget møde.")})
    if upload is not None:
        extension = ALLOWED[sniff(upload)]
        old = (deliverable.file.storage, deliverable.file.name) if deliverable.file else None
        deliverable.file.save(
            f"leverance-{deliverable.committee_id}-{deliverable.number}{extension}", upload, save=False
        )
        if old:
            transaction.on_commit(lambda: old[0].delete(old[1]))
    deliverable.handed_over_on = handed_over_on
    deliverable.full_clean()
    deliverable.save()
    approval = DeliverableApproval.objects.filter(deliverable=deliverable).first()
    if approved_item is None:
        if approval is not None:
            approval.delete()
    else:
        approval = approval or DeliverableApproval(deliverable=deliverable)
        approval.item = approved_item
        approval.full_clean()
        approval.save()
    return deliverable
