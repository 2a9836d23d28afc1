"""The public search index (SearchEntry): one row per thing an anonymous visitor may find with /soeg/, built from
the apps' public selectors, the same that decide the pages (meetings.selectors.items_visible, items_by_public_title,
attachments_visible, minutes_visible, committees.selectors.mandates_visible, recruitment.selectors.calls_published)
asked as an anonymous user. So a closed item is here only by the title its publish level shows (AgendaItem.
public_view), never with its text, and a closed item's bilag not at all.

It follows the data: the page cache's hook (gentofte_portal.common.public_cache.on_content_change) tells it of every
save and delete, and it rebuilds the rows that change touches (an item's, a bilag's, a meeting's, a committee's, a
call's) at once, in the same transaction: the index commits or rolls back with the change, and is current before
the page cache's version is bumped after commit. The rows are rebuilt under a lock on their meeting, committee or
call row, so two transactions rebuilding the same rows wait for each other instead of colliding. Committee names
are not copied into the rows (they are read with the page's hits), so renaming a committee rebuilds only its own
rows.
``manage.py rebuild_search_index`` rebuilds all of it (after bulk loads, which send no signals: generate_load_data
calls it).
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from committees import selectors as committee_selectors
from committees.models import Committee, Mandate, Term
from gentofte_portal.common.public_cache import on_content_change
from meetings import selectors as meeting_selectors
from meetings.models import AgendaItem, Attachment, Meeting, Minutes
from recruitment.models import Call
from recruitment.selectors import calls_published

from .models import SearchEntry

logger = logging.getLogger("gentofte_portal.pages.search_index")
PUBLIC = AnonymousUser()
MEETING_KINDS = ("punkt", "lukket", "bilag", "referat")
CHUNK = 200  # meetings per round of a full rebuild


def _join(*parts) -> str:
    return " ".join(p for p in parts if p)


def _local_date(value):
    return timezone.localdate(value) if value else None


def _meeting_entries(*, items: Q | None = None, attachments: Q | None = None, minutes: Q | None = None):
    """The public rows of the items, bilag and referater these filters pick: open items (the decision once the
    referat is published), closed items by their public title, open items' bilag and published referater."""
    entries = []
    if items is not None:
        entries += _item_entries(items)
    if attachments is not None:
        entries += _attachment_entries(attachments)
    if minutes is not None:
        entries += _minutes_entries(minutes)
    return entries


def _item_entries(items_q: Q) -> list[SearchEntry]:
    entries = []
    items = (
        meeting_selectors.items_visible(user=PUBLIC)
        .filter(items_q)
        .select_related("meeting__committee")
        .annotate(
            decision_shown=Case(
                When(meeting_selectors.item_decision_visible_q(user=PUBLIC), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    for item in items:
        meeting = item.meeting
        body = [item.summary, item.recommendation, item.earlier_decisions]
        if item.decision_shown:
            body.append(item.decision)
        entries.append(
            SearchEntry(
                kind="punkt",
                object_id=item.pk,
                committee_id=meeting.committee_id,
                term_id=meeting.committee.term_id,
                meeting_id=meeting.pk,
                date=_local_date(meeting.starts_at),
                title=item.title,
                keywords=item.case_number,
                body=_join(*body),
                url=reverse("meetings:detail", args=[meeting.pk]) + f"#punkt-{item.position}",
                details={"n": item.position, "case_number": item.case_number},
            )
        )
    closed = meeting_selectors.items_by_public_title(user=PUBLIC).filter(items_q).select_related("meeting__committee")
    for item in closed:
        meeting = item.meeting
        public_title, _decision = item.public_view()  # the one rule of what the public sees of a closed item
        if not public_title:
            continue
        entries.append(
            SearchEntry(
                kind="lukket",
                object_id=item.pk,
                committee_id=meeting.committee_id,
                term_id=meeting.committee.term_id,
                meeting_id=meeting.pk,
                date=_local_date(meeting.starts_at),
                title=public_title,
                url=reverse("meetings:detail", args=[meeting.pk]) + f"#punkt-{item.position}",
                details={"n": item.position, "case_number": item.case_number},
            )
        )
    return entries


def _attachment_entries(attachments_q: Q) -> list[SearchEntry]:
    entries = []
    attachments = (
        meeting_selectors.attachments_visible(user=PUBLIC)
        .filter(attachments_q)
        .select_related("item__meeting__committee")
    )
    for attachment in attachments:
        item = attachment.item
        meeting = item.meeting
        entries.append(
            SearchEntry(
                kind="bilag",
                object_id=attachment.pk,
                committee_id=meeting.committee_id,
                term_id=meeting.committee.term_id,
                meeting_id=meeting.pk,
                date=_local_date(meeting.starts_at),
                title=attachment.title,
                body="" if item.is_closed else attachment.text,  # a closed item's bilag text: never
                url=reverse("meetings:attachment", args=[meeting.pk, attachment.pk]),
                details={"n": item.position},
            )
        )
    return entries


def _minutes_entries(minutes_q: Q) -> list[SearchEntry]:
    entries = []
    minutes = meeting_selectors.minutes_visible(user=PUBLIC).filter(minutes_q).select_related("meeting__committee")
    for m in minutes:
        meeting = m.meeting
        entries.append(
            SearchEntry(
                kind="referat",
                object_id=m.pk,
                committee_id=meeting.committee_id,
                term_id=meeting.committee.term_id,
                meeting_id=meeting.pk,
                date=_local_date(meeting.starts_at),
                body=_join(m.remarks, m.correction_note),
                url=reverse("meetings:detail", args=[meeting.pk]) + "#referat",
                details={},
            )
        )
    return entries


def _committee_entries(committee_ids) -> list[SearchEntry]:
    """The committees themselves (all are public) and their published kommissorier."""
    entries = []
    for committee in Committee.objects.filter(pk__in=committee_ids).select_related("term"):
        entries.append(
            SearchEntry(
                kind="udvalg",
                object_id=committee.pk,
                committee_id=committee.pk,
                term_id=committee.term_id,
                date=committee.starts_on or committee.term.starts_on,
                title=committee.name,
                body=committee.purpose,
                url=reverse("pages:committee", args=[committee.slug]),
                details={"term": str(committee.term)},
            )
        )
    mandates = (
        committee_selectors.mandates_visible(user=PUBLIC)
        .filter(committee_id__in=committee_ids)
        .select_related("committee")
    )
    for mandate in mandates:
        committee = mandate.committee
        entries.append(
            SearchEntry(
                kind="kommissorium",
                object_id=mandate.pk,
                committee_id=committee.pk,
                term_id=committee.term_id,
                date=_local_date(mandate.published_at) or mandate.approved_on or _local_date(mandate.updated_at),
                body=_join(
                    mandate.background,
                    mandate.purpose,
                    mandate.task,
                    mandate.composition_note,
                    mandate.working_method,
                ),
                url=reverse("committees:mandate_public", args=[committee.slug]),
                details={"revision": mandate.revision, "status": mandate.status},
            )
        )
    return entries


def _call_entries(calls) -> list[SearchEntry]:
    """Published calls of committees still recruiting; found from publication until the deadline."""
    entries = []
    for call in calls.select_related("committee"):
        entries.append(
            SearchEntry(
                kind="opslag",
                object_id=call.pk,
                committee_id=call.committee_id,
                term_id=call.committee.term_id,
                date=_local_date(call.published_at),
                title=call.title,
                body=call.text,
                shown_from=call.published_at,
                shown_until=call.deadline,
                url=reverse("recruitment:call", args=[call.pk]),
                details={"deadline": call.deadline.isoformat()},
            )
        )
    return entries


def search_index_rebuild(
    *, meeting_ids=(), item_ids=(), attachment_ids=(), committee_ids=(), call_ids=(), meetings_of_items=()
) -> int:
    """Rebuild the rows of these meetings (items, closed items' public titles, bilag, referat), items (with their
    bilag), bilag, committees (the committee, its kommissorier and calls, and its term on all its rows) and calls.
    ``meetings_of_items``: the meetings of those items and bilag, locked first. Returns the rows written."""
    meeting_ids, item_ids, attachment_ids = sorted(set(meeting_ids)), sorted(set(item_ids)), sorted(set(attachment_ids))
    committee_ids, call_ids = sorted(set(committee_ids)), sorted(set(call_ids))
    entries = []
    # No savepoint of its own: it runs inside every item's save, and an error fails the change's transaction anyway.
    with transaction.atomic(savepoint=False):
        # Locks, in id order, so that a concurrent rebuild of the same rows waits and then reads what the other one
        # committed. An item's or bilag's rebuild locks its meeting, as a meeting's rebuild rewrites their rows too:
        # after the item's own row, which its save holds, as the services take them (item, then meeting).
        meetings = sorted(set(meeting_ids) | set(meetings_of_items))
        for model, ids in ((Committee, committee_ids), (Meeting, meetings), (Call, call_ids)):
            if ids:
                list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        if meeting_ids:
            SearchEntry.objects.filter(kind__in=MEETING_KINDS, meeting_id__in=meeting_ids).delete()
            entries += _meeting_entries(
                items=Q(meeting_id__in=meeting_ids),
                attachments=Q(item__meeting_id__in=meeting_ids),
                minutes=Q(meeting_id__in=meeting_ids),
            )
        if item_ids:
            of_items = list(Attachment.objects.filter(item_id__in=item_ids).values_list("pk", flat=True))
            SearchEntry.objects.filter(
                Q(kind__in=("punkt", "lukket"), object_id__in=item_ids) | Q(kind="bilag", object_id__in=of_items)
            ).delete()
            entries += _meeting_entries(items=Q(pk__in=item_ids), attachments=Q(item_id__in=item_ids))
        if attachment_ids:
            SearchEntry.objects.filter(kind="bilag", object_id__in=attachment_ids).delete()
            entries += _meeting_entries(attachments=Q(pk__in=attachment_ids))
        if committee_ids:
            kinds = ("udvalg", "kommissorium", "opslag")
            SearchEntry.objects.filter(kind__in=kinds, committee_id__in=committee_ids).delete()
            entries += _committee_entries(committee_ids)
            entries += _call_entries(calls_published().filter(committee_id__in=committee_ids))
            for pk, term_id in Committee.objects.filter(pk__in=committee_ids).values_list("pk", "term_id"):
                SearchEntry.objects.filter(committee_id=pk).exclude(term_id=term_id).update(term_id=term_id)
        if call_ids:
            SearchEntry.objects.filter(kind="opslag", object_id__in=call_ids).delete()
            calls = calls_published().filter(pk__in=call_ids).exclude(committee_id__in=committee_ids)
            entries += _call_entries(calls)
        # Scopes may overlap (an item of a meeting rebuilt too): each row once.
        entries = list({(e.kind, e.object_id): e for e in entries}.values())
        SearchEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def search_index_rebuild_all(*, log=None) -> int:
    """Every row anew, in one transaction: readers see the old index until it commits."""
    written = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        committee_ids = list(Committee.objects.values_list("pk", flat=True))
        entries = _committee_entries(committee_ids) + _call_entries(calls_published())
        SearchEntry.objects.bulk_create(entries, batch_size=1000)
        written += len(entries)
        meeting_ids = list(Meeting.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(meeting_ids), CHUNK):
            chunk = meeting_ids[start : start + CHUNK]
            entries = _meeting_entries(
                items=Q(meeting_id__in=chunk),
                attachments=Q(item__meeting_id__in=chunk),
                minutes=Q(meeting_id__in=chunk),
            )
            SearchEntry.objects.bulk_create(entries, batch_size=1000)
            written += len(entries)
            if log:
                log(f"{min(start + CHUNK, len(meeting_ids))} af {len(meeting_ids)} møder")
        if connection.vendor == "postgresql":
            # A bulk insert leaves the GIN indexes' new entries in their pending list, which every search then reads
            # through (the search took 6 ms in the index scans instead of 2 at load-data scale 1) until autovacuum
            # merges it; merge it now, and give the planner the new table's statistics.
            with connection.cursor() as cursor:
                for index in ("pages_searchentry_search_vector", "pages_searchentry_title_trgm"):
                    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
                cursor.execute("ANALYZE pages_searchentry")
    return written


# --- Following the data ----------------------------------------------------------------------------------------


def _scopes(model, instance) -> set[tuple[str, int]]:
    """What a change of ``instance`` touches: ("meeting", id) for a meeting (publishing it) or its referat (which
    makes its decisions public), ("item", id) for an item (its row and its bilag's), ("bilag", id),
    ("committee", id) or ("call", id); and ("lock", meeting id) for an item's or bilag's meeting."""
    if instance is None:
        return set()
    model = model._meta.concrete_model  # a TaskCommittee is a Committee
    if model is Meeting:
        return {("meeting", instance.pk)}
    if model is Minutes:
        return {("meeting", instance.meeting_id)}
    if model is AgendaItem:
        return {("item", instance.pk), ("lock", instance.meeting_id)}
    if model is Attachment:
        meeting_id = AgendaItem.objects.filter(pk=instance.item_id).values_list("meeting_id", flat=True).first()
        return {("bilag", instance.pk)} | ({("lock", meeting_id)} if meeting_id else set())
    if model is Committee:
        return {("committee", instance.pk)}
    if model is Mandate:
        return {("committee", instance.committee_id)}
    if model is Call:
        return {("call", instance.pk)}
    if model is Term:  # a committee's row names its term
        return {("committee", pk) for pk in Committee.objects.filter(term=instance).values_list("pk", flat=True)}
    return set()


def _item_renumbered(item: AgendaItem) -> None:
    """Only an item's number changed (meetings.services._renumber saves each item of an agenda so): its rows keep
    their text and get the new number and link, in four queries instead of a rebuild's seven."""
    list(Meeting.objects.select_for_update().filter(pk=item.meeting_id).values_list("pk"))
    bilag_ids = list(Attachment.objects.filter(item_id=item.pk).values_list("pk", flat=True))
    rows = list(
        SearchEntry.objects.filter(
            Q(kind__in=("punkt", "lukket"), object_id=item.pk) | Q(kind="bilag", object_id__in=bilag_ids)
        )
    )
    for row in rows:
        row.details = row.details | {"n": item.position}
        if row.kind != "bilag":
            row.url = reverse("meetings:detail", args=[item.meeting_id]) + f"#punkt-{item.position}"
    SearchEntry.objects.bulk_update(rows, ["details", "url"])


def _heard(model, instance, update_fields=None) -> None:
    """The page cache's listener: rebuild what the change touches, now, in the change's own transaction."""
    if model is AgendaItem and update_fields == frozenset({"position"}):
        _item_renumbered(instance)
        return
    scopes = _scopes(model, instance)
    if not scopes:
        return
    ids: dict[str, set[int]] = {k: set() for k in ("meeting", "item", "bilag", "committee", "call", "lock")}
    for kind, pk in scopes:
        ids[kind].add(pk)
    search_index_rebuild(
        meetings_of_items=ids["lock"],
        meeting_ids=ids["meeting"],
        item_ids=ids["item"],
        attachment_ids=ids["bilag"],
        committee_ids=ids["committee"],
        call_ids=ids["call"],
    )


def search_index_follow() -> None:
    """Called from PagesConfig.ready."""
    on_content_change(_heard)


def search_index_fill_after_migrate(sender, apps=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: an empty index beside existing data (the first migrate with this table) is built once, so an
    upgraded site finds its old data without a manual step. Nothing on an empty database (the tests' own)."""
    if apps is None or using != DEFAULT_DB_ALIAS:
        return
    try:
        apps.get_model("pages", "SearchEntry")
    except LookupError:  # migrated back to before the table
        return
    if SearchEntry.objects.exists() or not Committee.objects.exists():
        return
    try:
        written = search_index_rebuild_all()
    except DatabaseError:  # migrated to a state older than the code: the command does it later
        logger.warning("The public search index was not built after migrate: run manage.py rebuild_search_index")
        return
    logger.info("Built the public search index after migrate: %s rows", written)
