"""The API's external lists: what is public of each type, and one page of it as OParl objects.

A list is one or more segments (Organization: the council of each term, then the committees, then the parties),
each ordered by a unique key, so paging is by keyset ("after the last key seen"): stable under inserts, and as cheap
on the thousandth page as on the first. A page costs a fixed number of queries however long it is: one per
segment read, plus the page's own look-ups (its items, files and checksums), each for the whole page at once.
Deleted objects are a last segment, read only when the client asks what changed (``modified_since``).
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.urls import reverse

from committees.models import (
    Committee,
    CommitteeMembership,
    CouncilMembership,
    Deliverable,
    Mandate,
    Municipality,
    Party,
    Person,
    Term,
)
from gentofte_portal.documents.models import Document
from meetings.models import AgendaItem, Attachment, DeliverableApproval, Meeting, Minutes

from . import objects as o
from .models import FileDigest, Tombstone


@dataclass
class Segment:
    prefix: str  # the key's prefix in URLs ("udvalg" in organization/udvalg-3/) and in the paging cursor
    queryset: Callable[[Municipality], QuerySet]
    render: Callable[[o.Context, list], list[dict]]
    key: str = "pk"
    created: str = "created_at"
    modified: str = "modified_at"

    def cursor_value(self, row):
        return row[self.key] if isinstance(row, dict) else getattr(row, self.key)


# ---------------------------------------------------------------------------------------------------------------------
# What is public, per type (the same rules as the public pages).


def _terms(m):
    return Term.objects.filter(municipality=m)


def _committees(m):
    return Committee.objects.filter(term__municipality=m)


def _parties(m):
    return Party.objects.filter(municipality=m)


def _persons(m):
    """Council members and committee members: the people the public pages name. Nobody else (applicants are not
    persons until appointed; staff accounts are not people of the council)."""
    return Person.objects.filter(
        Exists(CouncilMembership.objects.filter(person=OuterRef("pk"), term__municipality=m))
        | Exists(CommitteeMembership.objects.filter(person=OuterRef("pk"), committee__term__municipality=m))
    )


def _council_memberships(m):
    return CouncilMembership.objects.filter(term__municipality=m).select_related("term")


def _committee_memberships(m):
    return CommitteeMembership.objects.filter(committee__term__municipality=m)


def _meetings(m):
    return Meeting.objects.filter(committee__term__municipality=m).select_related("committee", "minutes")


# What an item's OParl object shows (objects.agenda_item; AgendaItem.public_view): not its resumé or indstilling.
ITEM_FIELDS = [
    "created_at", "modified_at", "meeting_id", "position", "title", "is_closed", "decision", "decision_html",
    "publish_level", "public_title", "has_personal_data",
]  # fmt: skip


def _items(m):
    """Items of published agendas; a closed one shows only what its publish level allows (objects.agenda_item)."""
    return (
        AgendaItem.objects.filter(meeting__committee__term__municipality=m, meeting__agenda_published_at__isnull=False)
        .select_related("meeting__minutes")
        .only(*ITEM_FIELDS, "meeting__id", "meeting__minutes__status")
    )


def _bilag():
    """Bilag without their extracted text (for search only; it made a page of them megabytes to read)."""
    return Attachment.objects.defer("text").annotate(meeting_pk=F("item__meeting_id"))


def _attachments(m):
    """Bilag of the open items of published agendas: a closed item's bilag are never public."""
    return _bilag().filter(
        item__meeting__committee__term__municipality=m,
        item__meeting__agenda_published_at__isnull=False,
        item__is_closed=False,
    )


def _mandates(m):
    """Each committee's kommissorium as the public sees it: its newest published revision."""
    published = Mandate.Status.PUBLISHED
    newer = Mandate.objects.filter(committee=OuterRef("committee"), status=published, revision__gt=OuterRef("revision"))
    return Mandate.objects.filter(committee__term__municipality=m, status=published).exclude(Exists(newer))


def _mandates_with_committee(m):
    return _mandates(m).select_related("committee")


def _deliverable_papers(m):
    return Deliverable.objects.filter(committee__term__municipality=m, handed_over_on__isnull=False).select_related(
        "committee"
    )


def _deliverable_files(m):
    return Deliverable.objects.filter(committee__term__municipality=m).exclude(file="").select_related("committee")


def _consultations(m):
    return DeliverableApproval.objects.filter(
        deliverable__committee__term__municipality=m,
        deliverable__handed_over_on__isnull=False,
        item__meeting__agenda_published_at__isnull=False,
    ).select_related("item__meeting")


def _ready_pdfs(**filters) -> QuerySet[Document]:
    """Public PDFs that are rendered and stored (a pending one has no file to describe yet)."""
    return Document.objects.filter(variant=Document.Variant.PUBLIC, status=Document.Status.READY, **filters).exclude(
        file=""
    )


def _documents(m):
    """Ready public PDFs of what is published: agendas, referater and each committee's current kommissorium."""
    ready = _ready_pdfs()
    meetings = Meeting.objects.filter(committee__term__municipality=m)
    agendas = meetings.filter(agenda_published_at__isnull=False).values("pk")
    minutes = Minutes.objects.filter(meeting__in=meetings, status=Minutes.Status.PUBLISHED).values("meeting_id")
    return ready.filter(
        Q(kind=Document.Kind.AGENDA, object_id__in=agendas)
        | Q(kind=Document.Kind.MINUTES, object_id__in=minutes)
        | Q(kind=Document.Kind.MANDATE, object_id__in=_mandates(m).values("pk"))
    )


def _place_times(meetings: QuerySet[Meeting]) -> QuerySet:
    """Meeting places: text on the meetings, so a place's times are its first and last meeting's."""
    return meetings.exclude(location="").values("location").annotate(first=Min("created_at"), last=Max("modified_at"))


def _locations(m):
    return _place_times(Meeting.objects.filter(committee__term__municipality=m))


# ---------------------------------------------------------------------------------------------------------------------
# Pages of objects: everything a page embeds is fetched for the whole page at once.


def digests(names: list[str], storage_of: dict[str, object]) -> dict[str, FileDigest]:
    """Size and SHA-512 of each stored file, computed once (FileDigest); one query for the page."""
    names = [n for n in names if n]
    found = {d.name: d for d in FileDigest.objects.filter(name__in=names)}
    missing, seen = [], set(found)
    for name in names:
        if name in seen:
            continue
        seen.add(name)
        storage = storage_of[name]
        try:
            with storage.open(name, "rb") as fh:
                sha, size = hashlib.sha512(), 0
                for chunk in iter(lambda: fh.read(1 << 16), b""):
                    sha.update(chunk)
                    size += len(chunk)
        except OSError:
            continue
        missing.append(FileDigest(name=name, size=size, sha512=sha.hexdigest()))
    if missing:
        FileDigest.objects.bulk_create(missing, ignore_conflicts=True)
        found.update({d.name: d for d in missing})
    return found


def _render_terms(ctx, rows):
    return [o.legislative_term(ctx, t) for t in rows]


def _render_councils(ctx, rows):
    return [o.council(ctx, t) for t in rows]


def _render_committees(ctx, rows):
    return [o.committee(ctx, c) for c in rows]


def _render_parties(ctx, rows):
    return [o.party(ctx, p) for p in rows]


def _render_persons(ctx, rows):
    return [o.person(ctx, p) for p in rows]


def _render_council_memberships(ctx, rows):
    return [o.council_membership(ctx, m) for m in rows]


def _render_committee_memberships(ctx, rows):
    return [o.committee_membership(ctx, m) for m in rows]


def _document_files(ctx, documents: list[Document]) -> dict[tuple[str, int], dict]:
    """File objects of these PDFs, by (kind, object id)."""
    mandate_slugs = dict(
        Mandate.objects.filter(pk__in=[d.object_id for d in documents if d.kind == Document.Kind.MANDATE]).values_list(
            "pk", "committee__slug"
        )
    )
    found = digests([d.file.name for d in documents], {d.file.name: d.file.storage for d in documents})
    files = {}
    for d in documents:
        if d.kind == Document.Kind.MANDATE:
            if d.object_id not in mandate_slugs:
                continue
            url, name = reverse("committees:mandate_pdf", args=[mandate_slugs[d.object_id]]), "Kommissorium"
        elif d.kind == Document.Kind.AGENDA:
            url, name = reverse("meetings:agenda_pdf", args=[d.object_id]), "Dagsorden"
        else:
            url, name = reverse("meetings:minutes_pdf", args=[d.object_id]), "Referat"
        files[(d.kind, d.object_id)] = o.file_for_document(
            ctx, d, name=name, access_url=ctx.web(url), digest=found.get(d.file.name)
        )
    return files


def _render_documents(ctx, rows):
    files = _document_files(ctx, rows)
    return [files[(d.kind, d.object_id)] for d in rows if (d.kind, d.object_id) in files]


def _attachment_files(ctx, attachments: list[Attachment]) -> list[dict]:
    found = digests([a.file.name for a in attachments], {a.file.name: a.file.storage for a in attachments})
    return [o.file_for_attachment(ctx, a, digest=found.get(a.file.name)) for a in attachments]


def _render_attachments(ctx, rows):
    return _attachment_files(ctx, rows)


def _render_deliverable_files(ctx, rows):
    found = digests([d.file.name for d in rows], {d.file.name: d.file.storage for d in rows})
    return [o.file_for_deliverable(ctx, d, digest=found.get(d.file.name)) for d in rows]


def _render_items(ctx, rows, *, embedded=False, meeting_ids=None):
    """Items with their open bilag (one query) and their consultation (one query). A meeting page finds them by
    its meetings' ids: a list of thousands of item ids made PostgreSQL scan the whole bilag table."""
    ids = [i.pk for i in rows]
    by_item = {"item__meeting_id__in": meeting_ids} if meeting_ids is not None else {"item_id__in": ids}
    attachments = list(_bilag().filter(item__is_closed=False, **by_item).order_by("item", "position", "pk"))
    files = defaultdict(list)
    for a, f in zip(attachments, _attachment_files(ctx, attachments), strict=True):
        files[a.item_id].append(f)
    approvals = DeliverableApproval.objects.filter(deliverable__handed_over_on__isnull=False, **by_item)
    consultations = dict(approvals.values_list("item_id", "pk"))
    out = []
    for item in rows:
        minutes = item._minutes if embedded else _minutes_of(item.meeting)
        out.append(
            o.agenda_item(
                ctx,
                item,
                minutes_published=minutes is not None and minutes.is_published,
                files=files.get(item.pk, []),
                consultation_id=consultations.get(item.pk),
                embedded=embedded,
            )
        )
    return out


def _minutes_of(meeting):
    try:
        return meeting.minutes
    except Minutes.DoesNotExist:
        return None


def _render_meetings(ctx, rows):
    published = [m for m in rows if m.agenda_published_at]
    items = list(
        AgendaItem.objects.filter(meeting__in=published).only(*ITEM_FIELDS).order_by("meeting", "position", "pk")
    )
    minutes = {m.pk: _minutes_of(m) for m in rows}
    for item in items:
        item._minutes = minutes[item.meeting_id]
    by_meeting = defaultdict(list)
    meeting_ids = [m.pk for m in published]
    for item, obj in zip(items, _render_items(ctx, items, embedded=True, meeting_ids=meeting_ids), strict=True):
        by_meeting[item.meeting_id].append(obj)
    documents = list(
        _ready_pdfs(object_id__in=[m.pk for m in rows], kind__in=[Document.Kind.AGENDA, Document.Kind.MINUTES])
    )
    files = _document_files(ctx, documents)
    places = {
        row["location"]: row
        for row in _place_times(Meeting.objects.filter(location__in={m.location for m in rows if m.location}))
    }
    out = []
    for m in rows:
        minute = minutes[m.pk]
        place = places.get(m.location)
        out.append(
            o.meeting(
                ctx,
                m,
                items=by_meeting.get(m.pk, []),
                invitation=files.get((Document.Kind.AGENDA, m.pk)) if m.agenda_published_at else None,
                results=files.get((Document.Kind.MINUTES, m.pk)) if minute and minute.is_published else None,
                location=o.location(ctx, m.location, place["first"], place["last"], embedded=True) if place else None,
                minutes=minute,
            )
        )
    return out


def _render_mandates(ctx, rows):
    documents = list(_ready_pdfs(kind=Document.Kind.MANDATE, object_id__in=[m.pk for m in rows]))
    files = _document_files(ctx, documents)
    return [o.mandate_paper(ctx, m, main_file=files.get((Document.Kind.MANDATE, m.pk))) for m in rows]


def _render_deliverable_papers(ctx, rows):
    with_file = [d for d in rows if d.file]
    found = digests([d.file.name for d in with_file], {d.file.name: d.file.storage for d in with_file})
    approvals = defaultdict(list)
    for a in DeliverableApproval.objects.filter(
        deliverable__in=rows, item__meeting__agenda_published_at__isnull=False
    ).select_related("item__meeting"):
        approvals[a.deliverable_id].append(o.consultation(ctx, a, embedded=True))
    return [
        o.deliverable_paper(
            ctx,
            d,
            main_file=o.file_for_deliverable(ctx, d, digest=found.get(d.file.name)) if d.file else None,
            consultations=approvals.get(d.pk, []),
        )
        for d in rows
    ]


def _render_consultations(ctx, rows):
    return [o.consultation(ctx, a) for a in rows]


def _render_locations(ctx, rows):
    return [o.location(ctx, r["location"], r["first"], r["last"]) for r in rows]


LISTS: dict[str, tuple[str, list[Segment]]] = {
    # list name in Body: (OParl type in URLs, its segments)
    "legislativeTerm": ("legislative-term", [Segment("", _terms, _render_terms)]),
    "organization": (
        "organization",
        [
            Segment("kb", _terms, _render_councils),
            Segment("udvalg", _committees, _render_committees),
            Segment("parti", _parties, _render_parties),
        ],
    ),
    "person": ("person", [Segment("", _persons, _render_persons)]),
    "membership": (
        "membership",
        [
            Segment("kb", _council_memberships, _render_council_memberships),
            Segment("udvalg", _committee_memberships, _render_committee_memberships),
        ],
    ),
    "meeting": ("meeting", [Segment("", _meetings, _render_meetings)]),
    "agendaItem": ("agenda-item", [Segment("", _items, _render_items)]),
    "paper": (
        "paper",
        [
            Segment(
                "kommissorium", _mandates_with_committee, _render_mandates, key="committee_id", modified="updated_at"
            ),
            Segment("leverance", _deliverable_papers, _render_deliverable_papers),
        ],
    ),
    "consultation": ("consultation", [Segment("", _consultations, _render_consultations)]),
    "file": (
        "file",
        [
            Segment("bilag", _attachments, _render_attachments),
            Segment("dokument", _documents, _render_documents, modified="rendered_at"),
            Segment("leverance", _deliverable_files, _render_deliverable_files),
        ],
    ),
    "location": (
        "location",
        [Segment("location", _locations, _render_locations, key="location", created="first", modified="last")],
    ),
}

TYPES = {oparl_type: (name, segments) for name, (oparl_type, segments) in LISTS.items()}


@dataclass
class Filters:
    created_since: object = None
    created_until: object = None
    modified_since: object = None
    modified_until: object = None

    def apply(self, qs: QuerySet, created: str, modified: str) -> QuerySet:
        """The API shows times in whole seconds, so "until 10:00:05" takes in 10:00:05.7 (before 10:00:06)."""
        second = dt.timedelta(seconds=1)
        for value, lookup in (
            (self.created_since, f"{created}__gte"),
            (self.created_until and self.created_until + second, f"{created}__lt"),
            (self.modified_since, f"{modified}__gte"),
            (self.modified_until and self.modified_until + second, f"{modified}__lt"),
        ):
            if value is not None:
                qs = qs.filter(**{lookup: value})
        return qs


def page(ctx, municipality, name: str, *, filters: Filters, after: tuple[int, str] | None, limit: int):
    """(objects, cursor of the next page or None). ``after`` is (segment index, last key) of the previous page."""
    oparl_type, segments = LISTS[name]
    parts: list[tuple[Segment | None, list]] = []
    wanted = limit + 1  # one more than the page, to know whether a next page exists
    start = after[0] if after else 0
    all_segments: list[Segment | None] = [*segments, None]  # None: the deleted objects, when asked for
    for index in range(start, len(all_segments)):
        if wanted <= 0:
            break
        segment = all_segments[index]
        if segment is None:
            if filters.modified_since is None:
                break
            qs = filters.apply(Tombstone.objects.filter(oparl_type=oparl_type), "created_at", "deleted_at")
            if after and index == start:
                qs = qs.filter(pk__gt=int(after[1]))
            rows = list(qs.order_by("pk")[:wanted])
        else:
            qs = filters.apply(segment.queryset(municipality), segment.created, segment.modified)
            if after and index == start:
                qs = qs.filter(**{f"{segment.key}__gt": _typed(segment, after[1])})
            rows = list(qs.order_by(segment.key)[:wanted])
        parts.append((index, segment, rows))
        wanted -= len(rows)
    flat = [(index, segment, row) for index, segment, rows in parts for row in rows]
    more = len(flat) > limit
    flat = flat[:limit]
    data = []
    for index, segment, rows in parts:
        rows = [row for i, s, row in flat if i == index]
        if not rows:
            continue
        if segment is None:
            data += [o.deleted(ctx, t, o.SCHEMAS[oparl_type]) for t in rows]
        else:
            data += segment.render(ctx, rows)
    cursor = None
    if more and flat:
        index, segment, row = flat[-1]
        cursor = (index, str(row.pk if segment is None else segment.cursor_value(row)))
    return data, cursor


def _typed(segment: Segment, value: str):
    return value if segment.key == "location" else int(value)


def find(ctx, municipality, oparl_type: str, key: str):
    """The live object at /<oparl_type>/<key>/ of this body, as the lists show it; or None."""
    if oparl_type not in TYPES:
        return None
    _name, segments = TYPES[oparl_type]
    for segment in segments:
        if segment.prefix == "location":
            text = o.location_text(key)
            if text is None:
                continue
            rows = list(segment.queryset(municipality).filter(location=text))
        else:
            prefix = f"{segment.prefix}-" if segment.prefix else ""
            if not key.startswith(prefix) or not key[len(prefix) :].isdigit():
                continue
            rows = list(segment.queryset(municipality).filter(**{segment.key: int(key[len(prefix) :])}))
        if rows:
            return segment.render(ctx, rows[:1])[0]
    return None


def find_deleted(ctx, oparl_type: str, key: str):
    tombstone = Tombstone.objects.filter(oparl_type=oparl_type, key=key).first()
    return None if tombstone is None else o.deleted(ctx, tombstone, o.SCHEMAS[oparl_type])


def last_change(municipality):
    """The newest change anywhere the API looks: the Body's and System's ``modified``."""
    times = [municipality.modified_at]
    for model, field in ((Meeting, "modified_at"), (Committee, "modified_at"), (Tombstone, "deleted_at")):
        value = model.objects.aggregate(t=Max(field))["t"]
        if value:
            times.append(value)
    return max(times)
