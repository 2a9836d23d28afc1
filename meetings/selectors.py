"""Read-side queries for meetings. What a user may see is decided here, once: closed items reach the pages as
stubs holding only their number and Sags ID, so no template can leak their title, text, decision or bilag."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from committees.models import CommitteeMembership, Deliverable
from committees.permissions import is_secretariat

from .models import AgendaItem, Attachment, Attendance, DeliverableApproval, Meeting, Minutes
from .permissions import can_see_closed_items, can_view_meeting, can_view_minutes


@dataclass(frozen=True)
class ClosedItem:
    """What the public sees of a closed item (Kommunestyrelsesloven §8 stk. 7): number, Sags ID, "Lukket", and
    the title (or anonymised title) and decision only where the item's publish level allows (AgendaItem.public_view)."""

    position: int
    case_number: str
    pk: int
    public_title: str | None = None
    public_decision_html: str | None = None
    is_closed: bool = True
    redacted: bool = True


def closed_item_stub(item: AgendaItem) -> ClosedItem:
    """The public's view of a closed item: the one place a stub is made."""
    title, decision_html = item.public_view()
    return ClosedItem(item.position, item.case_number, item.pk, title, decision_html)


def public_title_matches(query: str) -> Q:
    """Closed items whose public title (AgendaItem.public_view) contains ``query``: the same rule as a filter."""
    levels = AgendaItem.PublishLevel
    return Q(is_closed=True, has_personal_data=False) & (
        Q(publish_level__in=[levels.TITLE, levels.TITLE_AND_DECISION], title__icontains=query)
        | Q(publish_level=levels.ANONYMISED, public_title__icontains=query)
    )


# A meeting whose referat is published has been held, whatever its date says: never listed as upcoming.
HELD = Minutes.Status.PUBLISHED


def meetings_upcoming(*, limit: int = 10, now=None) -> QuerySet[Meeting]:
    now = now or timezone.now()
    return (
        Meeting.objects.filter(starts_at__gte=now)
        .exclude(minutes__status=HELD)
        .select_related("committee")
        .order_by("starts_at")[:limit]
    )


def meetings_for_committee(*, committee) -> list[Meeting]:
    """A committee's meetings, newest first, for its page (date, place and kind are public). One query."""
    return list(Meeting.objects.filter(committee=committee).order_by("-starts_at"))


def deliverables_with_approval() -> QuerySet[Deliverable]:
    """Deliverables with ``is_approved``: whether the committee approved them at one of its meetings. An EXISTS in
    the same query, so a list costs no query per row; the item itself is not shown, as it may be closed."""
    return Deliverable.objects.annotate(
        is_approved=Exists(DeliverableApproval.objects.filter(deliverable=OuterRef("pk")))
    )


def meetings_for_list(*, committee_slug: str = "", year: int | None = None):
    """Every planned and held meeting (date, place and committee are public); the agenda shows once published.
    Only the columns the list shows (meetings/includes/meeting_table.html)."""
    qs = Meeting.objects.select_related("committee", "minutes").only(
        "starts_at", "location", "kind", "agenda_published_at", "committee__name", "minutes__status"
    )
    if committee_slug:
        qs = qs.filter(committee__slug=committee_slug)
    if year:
        qs = qs.filter(starts_at__year=year)
    return qs


# Held meetings per page of /moeder/; the list grows by some hundred meetings a year.
MEETINGS_PER_PAGE = 25


def meetings_planned(meetings: QuerySet[Meeting], *, now) -> list[Meeting]:
    """The planned meetings among ``meetings``, soonest first."""
    return list(meetings.filter(starts_at__gte=now).exclude(minutes__status=HELD).order_by("starts_at", "pk"))


def meetings_held_page(meetings: QuerySet[Meeting], *, now, page: int, per_page: int = MEETINGS_PER_PAGE):
    """One page (1-based) of the held meetings among ``meetings``, newest first, and whether older ones follow.
    One query, without a COUNT: it fetches one row more than it shows."""
    start = (page - 1) * per_page
    held = meetings.filter(Q(starts_at__lt=now) | Q(minutes__status=HELD))
    rows = list(held.order_by("-starts_at", "-pk")[start : start + per_page + 1])
    return rows[:per_page], len(rows) > per_page


def committees_with_meetings() -> list[tuple[str, str]]:
    """(slug, "name (term)") of every committee with a meeting, by name, for the meeting list's filter. One query
    (a semi-join, not a DISTINCT over all meetings) and no model instances."""
    from committees.models import Committee

    rows = (
        Committee.objects.filter(Exists(Meeting.objects.filter(committee=OuterRef("pk"))))
        .order_by("name", "-term__starts_on")
        .values_list("slug", "name", "term__starts_on", "term__ends_on")
    )
    # The label as Term.__str__ writes the term.
    return [(slug, f"{name} ({starts_on.year}–{ends_on.year})") for slug, name, starts_on, ends_on in rows]


def meeting_years() -> list[int]:
    return sorted(
        {d.year for d in Meeting.objects.filter(agenda_published_at__isnull=False).dates("starts_at", "year")},
        reverse=True,
    )


def meeting_detail(*, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee", "committee__term"), pk=pk)


def agenda_for(*, meeting: Meeting, user) -> list:
    """The agenda as this user may see it: nothing before publication (but for staff), then full items or
    ClosedItem stubs. Two queries."""
    if not can_view_meeting(user, meeting):
        return []
    return agenda_items(meeting=meeting, full=can_see_closed_items(user, meeting))


def agenda_items(*, meeting: Meeting, full: bool) -> list:
    """The items with their bilag, closed ones as ClosedItem stubs unless ``full``: the one redaction, for the pages
    and the PDFs' public variant alike (meetings.documents). Two queries."""
    items = list(
        meeting.items.prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk"))
        ).order_by("position", "pk")
    )
    return [item if full or not item.is_closed else closed_item_stub(item) for item in items]


def attendance_split(attendance) -> tuple[list[Attendance], list[Attendance]]:
    """(present, absent): the referat's "Tilstede" and "Fraværende", on the page and in the PDF."""
    attendance = list(attendance)
    present = [a for a in attendance if a.presence == Attendance.Presence.PRESENT]
    absent = [a for a in attendance if a.presence == Attendance.Presence.ABSENT]
    return present, absent


def minutes_for(*, meeting: Meeting, user) -> Minutes | None:
    """The meeting's referat if this user may read it (its attendance is read apart: attendance_split)."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return minutes if can_view_minutes(user, minutes) else None


def attachment_for(*, meeting: Meeting, pk: int, user) -> Attachment | None:
    """An attachment this user may download: never one of a closed item for the public."""
    attachment = Attachment.objects.select_related("item").filter(pk=pk, item__meeting=meeting).first()
    if attachment is None or not can_view_meeting(user, meeting):
        return None
    if attachment.item.is_closed and not can_see_closed_items(user, meeting):
        return None
    return attachment


def published_documents(*, limit: int = 30, committee=None):
    """Published agendas and minutes, newest first, for the Atom feeds (the site's, or one committee's)."""
    meetings = Meeting.objects.filter(Q(agenda_published_at__isnull=False))
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    meetings = meetings.select_related("committee", "minutes").order_by("-agenda_published_at")[:limit]
    entries = []
    for m in meetings:
        entries.append(("dagsorden", m, m.agenda_public_changed_at or m.agenda_published_at))
        minutes = getattr(m, "minutes", None)
        if minutes is not None and minutes.is_published:
            entries.append(("referat", m, minutes.corrected_at or minutes.published_at))
    return sorted(entries, key=lambda e: e[2], reverse=True)[:limit]


def _items_public_q(prefix: str = "") -> Q:
    """The items anyone may read in full: the open items of published agendas (closed ones are found by their
    public title only: items_by_public_title)."""
    return Q(**{f"{prefix}is_closed": False, f"{prefix}meeting__agenda_published_at__isnull": False})


def _items_visible_q(user, prefix: str = "") -> Q | None:
    """The rule of permissions.can_view_meeting and can_see_closed_items as a filter: None means every item
    (the secretariat); else the public items plus the closed ones of published agendas of committees the user
    had a seat on at the meeting's date (permissions.is_committee_member)."""
    if is_secretariat(user):
        return None
    public = _items_public_q(prefix)
    if not user.is_authenticated or not user.is_active:
        return public
    return public | _items_of_seats_q(user, prefix)


def _items_of_seats_q(user, prefix: str = "") -> Q:
    """The items of published agendas of committees the user had a seat on at the meeting's date, open or closed."""
    meeting = f"{prefix}meeting__"
    seat = CommitteeMembership.objects.filter(committee_id=OuterRef(f"{meeting}committee_id"), person__user=user)
    seat = seat.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=OuterRef(f"{meeting}starts_at__date")))
    seat = seat.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef(f"{meeting}starts_at__date")))
    return Q(Exists(seat), **{f"{meeting}agenda_published_at__isnull": False})


def items_by_public_title(*, user) -> QuerySet[AgendaItem]:
    """Closed items of published agendas that the public may find by the title their publish level shows
    (public_title_matches), less those this user sees in full anyway (items_visible)."""
    levels = AgendaItem.PublishLevel
    shown = AgendaItem.objects.filter(
        is_closed=True,
        has_personal_data=False,
        meeting__agenda_published_at__isnull=False,
        publish_level__in=[levels.TITLE, levels.TITLE_AND_DECISION, levels.ANONYMISED],
    )
    full = _items_visible_q(user)
    return shown.none() if full is None else shown.exclude(full)


def items_visible(*, user) -> QuerySet[AgendaItem]:
    """Every item this user may see in full (the same rule as the meeting page), in one query."""
    q = _items_visible_q(user)
    return AgendaItem.objects.all() if q is None else AgendaItem.objects.filter(q)


def items_beyond_public(*, user) -> QuerySet[AgendaItem]:
    """What a logged-in user who is not the secretariat may read in full and the public may not: the closed items
    of committees they had a seat on (items_visible less the public items). The logged-in search adds these to the
    public search index. Narrowed first to the committees the user ever sat on, which the seat rule implies, so
    PostgreSQL starts from those committees' meetings instead of testing the rule on every item."""
    if is_secretariat(user):
        raise ValueError("The secretariat sees every item: search the tables, not the public index.")
    if not user.is_authenticated or not user.is_active:
        # No rows, as a filter that still compiles to SQL (none() does not: the search puts this query in its own).
        return AgendaItem.objects.filter(pk__isnull=True)
    # _items_visible_q's items (the public ones or those of the user's seats) less the public ones (the open items of
    # published agendas) are the closed items of their seats: a plain filter, which PostgreSQL plans in a fraction of
    # the time of the OR and its negation, and which reads only closed items (a partial index).
    seats = CommitteeMembership.objects.filter(person__user=user).values("committee_id")
    return AgendaItem.objects.filter(_items_of_seats_q(user), is_closed=True, meeting__committee_id__in=seats)


def item_decision_visible_q(*, user) -> Q:
    """An item's decision is public with the published referat (permissions.can_view_minutes)."""
    return Q(pk__isnull=False) if is_secretariat(user) else Q(meeting__minutes__status=Minutes.Status.PUBLISHED)


def attachments_visible(*, user) -> QuerySet[Attachment]:
    """The bilag this user may download (as attachment_for): those of the items they may see."""
    q = _items_visible_q(user, "item__")
    return Attachment.objects.all() if q is None else Attachment.objects.filter(q)


def minutes_visible(*, user) -> QuerySet[Minutes]:
    """Published referater for everyone; drafts for the secretariat (permissions.can_view_minutes)."""
    if is_secretariat(user):
        return Minutes.objects.all()
    return Minutes.objects.filter(status=Minutes.Status.PUBLISHED)
