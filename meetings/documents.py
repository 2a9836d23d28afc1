"""The meetings' documents: the dagsorden and the referat, each in a public variant (closed items as stubs) and a
full one. Registered with the documents module in MeetingsConfig.ready; what each variant shows comes from the same
selectors as the meeting page, so the closed-item rule is written once."""

from gentofte_portal.documents.kinds import Kind as K
from gentofte_portal.documents.kinds import Variant as V
from gentofte_portal.documents.services import register_document_kind

from .models import Meeting, Minutes
from .selectors import agenda_items, attendance_split


def meeting_context(object_id: int, variant: str, *, is_minutes: bool) -> dict:
    meeting = Meeting.objects.select_related("committee").get(pk=object_id)
    context = {
        "meeting": meeting,
        "items": agenda_items(meeting=meeting, full=variant == V.FULL),
        "committee": meeting.committee,
        "variant": variant,
        "is_minutes": is_minutes,
    }
    if is_minutes:
        minutes = meeting.minutes
        present, absent = attendance_split(minutes.attendance.select_related("person"))
        context.update(minutes=minutes, present=present, absent=absent)
    return context


def register() -> None:
    register_document_kind(
        K.AGENDA,
        template="pdf/meeting.html",
        context=lambda pk, variant: meeting_context(pk, variant, is_minutes=False),
        published=lambda: Meeting.objects.filter(agenda_published_at__isnull=False).values_list("pk", flat=True),
        variants=(V.PUBLIC, V.FULL),
    )
    register_document_kind(
        K.MINUTES,
        template="pdf/meeting.html",
        context=lambda pk, variant: meeting_context(pk, variant, is_minutes=True),
        published=lambda: Minutes.objects.filter(status=Minutes.Status.PUBLISHED).values_list("meeting_id", flat=True),
        variants=(V.PUBLIC, V.FULL),
    )
