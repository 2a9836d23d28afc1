"""Demo meetings: the last meeting of "Opgaveudvalg om Innovation" (31 January 2018, seeds/001) with its minutes,
a standing-committee meeting with ten items of which three are closed, and a few upcoming meetings.
Idempotent: each meeting is found by committee and time; its items, bilag and minutes are made only once."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from committees.models import Committee
from gentofte_portal.common.markdown import render_markdown
from meetings.models import AgendaItem, Attachment, Attendance, DeliverableApproval, Meeting, Minutes
from meetings.services import FIRST_DOCUMENT_NUMBER, members_on

INNOVATION_SUMMARY = """- Velkomst
- Intro til dagens program
- Sidste input til og godkendelse af opgaveudvalgets leverance 1; politisk model (DIS-modellen) og leverance 2; \
Idekatalog over samskabelsesmuligheder (Sparringsrummet) – vedlagt som bilag
- Sidste input til og godkendelse af opgaveudvalgets leverance 3; opsamling fra de 3 projekter og leverance 4; \
Læringsopsamling om Innovation – vedlagt som bilag
- Kort pause med mad og drikke
- Opsamling af input fra medlemmerne og samlet godkendelse af opgaveudvalgets leverancer
- Afrunding."""
INNOVATION_DECISION = """Næstformanden bød velkommen og præsenterede formålet med det sidste møde: at godkende de fire \
leverancer, som opgaveudvalget har skullet udarbejde.

Opgaveudvalget godkendte den politiske model (DIS-modellen), idékataloget over samskabelsesmuligheder \
(Sparringsrummet), opsamlingen fra de tre projekter og læringsopsamlingen. Leverancerne oversendes til \
Kommunalbestyrelsen."""
BILAG = [
    "Leverance 1 og 2 – DIS-modellen",
    "Leverance 3 – Opsamling fra tre projekter",
    "Leverance 4 – Læringsopsamling Opgaveudvalg om Innovation",
]
STANDING_ITEMS = [
    ("Godkendelse af dagsorden", "", False),
    ("Budgetopfølgning pr. 31. marts", "19/1021", False),
    ("Forslag til nyt opgaveudvalg om digitalisering og teknologi", "19/0877", False),
    ("Køb af ejendom til daginstitution", "19/0312", True),
    ("Anlægsregnskab for renovering af rådhuset", "18/4410", False),
    ("Personalesag vedrørende ledelse på ældreområdet", "19/0999", True),
    ("Udbud af rengøring – evaluering af tilbud", "19/0654", True),
    ("Status på opgaveudvalgenes arbejde", "19/0213", False),
    ("Høringssvar om regional trafikplan", "19/0188", False),
    ("Eventuelt", "", False),
]


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF with a line of text, so demo bilag open in any reader."""
    safe = (
        text.encode("latin-1", "replace")
        .decode("latin-1")
        .replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
    )
    stream = f"BT /F1 14 Tf 72 770 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _item(meeting, position, title, case_number="", is_closed=False, summary="", recommendation="", decision=""):
    item, created = AgendaItem.objects.get_or_create(
        meeting=meeting,
        position=position,
        defaults={
            "title": title,
            "case_number": case_number,
            "is_closed": is_closed,
            "summary": summary,
            "summary_html": render_markdown(summary),
            "recommendation": recommendation,
            "decision": decision,
            "decision_html": render_markdown(decision),
        },
    )
    return item


def _attach(item, title, number):
    if Attachment.objects.filter(document_number=number).exists():
        return
    attachment = Attachment(
        item=item,
        position=item.attachments.count() + 1,
        title=title,
        document_number=number,
        original_name=f"{number}.pdf",
        content_type="application/pdf",
        size=0,
    )
    data = minimal_pdf(title)
    attachment.size = len(data)
    attachment.file.save(f"{number}.pdf", ContentFile(data), save=False)
    attachment.save()


def _minutes(meeting, *, absent: int, ended_at: dt.time, published_at):
    if Minutes.objects.filter(meeting=meeting).exists():
        return
    minutes = Minutes.objects.create(
        meeting=meeting, status=Minutes.Status.PUBLISHED, ended_at=ended_at, published_at=published_at
    )
    members = list(members_on(meeting))
    # The chair and vice-chair attend; the last ordinary members by name sent apologies.
    ordinary = [m for m in members if m.role == "medlem"]
    away = {m.pk for m in ordinary[len(ordinary) - absent :]} if absent else set()
    for membership in members:
        missing = membership.pk in away
        Attendance.objects.create(
            minutes=minutes,
            person=membership.person,
            presence="fravaerende" if missing else "tilstede",
            sent_apologies=missing,
        )


def demo_meetings(*, now=None) -> None:
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    innovation = Committee.objects.get(slug="opgaveudvalg-om-innovation")
    meeting, _ = Meeting.objects.update_or_create(
        committee=innovation,
        starts_at=dt.datetime(2018, 1, 31, 17, 0, tzinfo=tz),
        defaults={
            "location": "Udvalgsværelse G",
            "kind": Meeting.Kind.ORDINARY,
            "agenda_published_at": dt.datetime(2018, 1, 24, 12, 0, tzinfo=tz),
        },
    )
    item = _item(
        meeting,
        1,
        "Dagsorden til sidste møde i Opgaveudvalg om Innovation den 31. januar 2018",
        "EMN-2018-00651",
        summary=INNOVATION_SUMMARY,
        decision=INNOVATION_DECISION,
    )
    for offset, title in enumerate(BILAG):
        _attach(item, title, FIRST_DOCUMENT_NUMBER + offset)
    _minutes(meeting, absent=4, ended_at=dt.time(19, 0), published_at=dt.datetime(2018, 2, 2, 12, 0, tzinfo=tz))
    for deliverable in innovation.deliverables.filter(approval__isnull=True):
        DeliverableApproval.objects.create(deliverable=deliverable, item=item)
        deliverable.handed_over_on = dt.date(2018, 2, 26)
        deliverable.save(update_fields=["handed_over_on", "modified_at"])

    finance = Committee.objects.get(slug="oekonomiudvalget")
    meeting, _ = Meeting.objects.update_or_create(
        committee=finance,
        starts_at=dt.datetime(2019, 3, 18, 17, 0, tzinfo=tz),
        defaults={"location": "Udvalgsværelse A", "agenda_published_at": dt.datetime(2019, 3, 11, 12, 0, tzinfo=tz)},
    )
    for position, (title, case_number, closed) in enumerate(STANDING_ITEMS, start=1):
        summary = (
            f"Sagen forelægges for Økonomiudvalget. {'Sagen behandles for lukkede døre.' if closed else ''}".strip()
        )
        item = _item(
            meeting,
            position,
            title,
            case_number,
            closed,
            summary=summary,
            recommendation="Økonomi- og Personaleforvaltningen indstiller, at sagen godkendes." if case_number else "",
            decision="Godkendt." if case_number else "",
        )
        if case_number and position in (2, 4):
            _attach(item, f"Bilag til {title.lower()}", FIRST_DOCUMENT_NUMBER + 10 + position)
    _minutes(meeting, absent=1, ended_at=dt.time(18, 30), published_at=dt.datetime(2019, 3, 20, 12, 0, tzinfo=tz))

    # Upcoming meetings (dated from the first load; later loads keep them): agendas not yet published.
    for slug, days, location in [
        ("opgaveudvalg-for-digitalisering-og-teknologi", 14, "Udvalgsværelse G"),
        ("oekonomiudvalget", 21, "Udvalgsværelse A"),
        ("skoleudvalget", 28, "Mødelokale 2"),
    ]:
        committee = Committee.objects.get(slug=slug)
        if not committee.meetings.filter(starts_at__gte=now).exists():
            local = timezone.localtime(now, tz) + dt.timedelta(days=days)
            Meeting.objects.create(
                committee=committee,
                location=location,
                starts_at=local.replace(hour=17, minute=0, second=0, microsecond=0),
            )
