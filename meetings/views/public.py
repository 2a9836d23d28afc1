"""Meetings for everyone: the list, a meeting's agenda and minutes, bilag downloads, the iCalendar and Atom
feeds, and the politicians' own page /mine/. Closed items are redacted in meetings.selectors, once."""

import datetime as dt

import icalendar
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_cookie

from committees.models import Committee, CommitteeMembership, Deliverable
from gentofte_portal.common.public_cache import public_page
from gentofte_portal.common.validators import without_control_characters
from gentofte_portal.documents.kinds import Kind
from gentofte_portal.documents.services import documents_of
from gentofte_portal.documents.views import document_status, serve_document

from .. import selectors
from ..models import Meeting, ReadMark
from ..permissions import can_see_closed_items, is_secretariat


@public_page
def meeting_list(request):
    committee_slug = without_control_characters(request.GET.get("udvalg", ""))
    try:
        year = int(request.GET.get("aar", "")) if request.GET.get("aar") else None
    except ValueError:
        year = None
    if year is not None and not 1900 <= year <= 2200:
        year = None
    page = request.GET.get("side", "")
    page = int(page) if len(page) <= 5 and page.isascii() and page.isdigit() else 1
    page = page if 1 <= page <= 10_000 else 1
    return render(
        request,
        "meetings/meeting_list.html",
        {
            # Read by the template inside a shared fragment: the same for every user, so a cached fragment costs
            # no query at all.
            "listing": _MeetingListing(committee_slug=committee_slug, year=year, page=page),
            "page": page,
            "newer_page": page - 1 if page > 1 else None,
            "committee_slug": committee_slug,
            "year": year,
        },
    )


@vary_on_cookie
@public_page
def meeting_detail(request, pk):
    meeting = selectors.meeting_detail(pk=pk)
    # Read only when the items' shared fragment is not in the cache (shared_fragment).
    items = SimpleLazyObject(lambda: selectors.agenda_for(meeting=meeting, user=request.user))
    minutes = selectors.minutes_for(meeting=meeting, user=request.user)
    if request.user.is_authenticated:
        _mark_read(request.user, [f"dagsorden:{meeting.pk}"] + ([f"referat:{meeting.pk}"] if minutes else []))
    # Read only when the meeting's shared fragment, which shows it, is not in the cache.
    attendance = SimpleLazyObject(
        lambda: selectors.attendance_split(minutes.attendance.select_related("person") if minutes else [])
    )
    full = can_see_closed_items(request.user, meeting)
    pdfs = documents_of(object_id=meeting.pk, kinds=[Kind.AGENDA, Kind.MINUTES], full=full)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "minutes": minutes,
            "attendance": attendance,  # (present, absent)
            "sees_closed": full,
            # The fragment of the items is shared by everyone of the same class (templates: shared_fragment).
            "visibility": "staff" if is_secretariat(request.user) else "member" if full else "public",
            # Who sees closed items sees every change; the public only the changes it can see.
            "agenda_changed_at": meeting.agenda_changed_at if full else meeting.agenda_public_changed_at,
            "agenda_pdf": pdfs.get("dagsorden"),
            "minutes_pdf": pdfs.get("referat"),
            "agenda_visible": SimpleLazyObject(lambda: bool(items) or meeting.is_agenda_published),
        },
    )


class _MeetingListing:
    """The meeting list's rows and filters, each read when the template first asks for it."""

    def __init__(self, *, committee_slug: str, year: int | None, page: int):
        self.committee_slug, self.year, self.page = committee_slug, year, page
        self.now = timezone.now()

    @cached_property
    def _meetings(self):
        return selectors.meetings_for_list(committee_slug=self.committee_slug, year=self.year)

    @cached_property
    def upcoming(self) -> list:
        """Every planned meeting on the first page."""
        return selectors.meetings_planned(self._meetings, now=self.now) if self.page == 1 else []

    @cached_property
    def _held(self):
        return selectors.meetings_held_page(self._meetings, now=self.now, page=self.page)

    @property
    def past(self) -> list:
        """The held ones a page at a time, newest first."""
        return self._held[0]

    @property
    def older_page(self) -> int | None:
        return self.page + 1 if self._held[1] else None

    @cached_property
    def committees(self):
        return selectors.committees_with_meetings()

    @cached_property
    def years(self):
        return selectors.meeting_years()


def _mark_read(user, keys):
    """One statement, whatever the number of keys, and no transaction of its own: a mark that is there already is
    left alone (INSERT … ON CONFLICT DO NOTHING). /mine/ asks only whether a mark exists. Marks are never deleted
    (only with their user), so once they are stored the cache remembers it (a day, per user and keys) and a member's
    later visits to the page make no write at all. The key names the user by id and sign-up time, so a new user who
    got an old id (SQLite reuses them) is not taken for the old one."""
    remembered = f"portal:read:{user.pk}:{user.date_joined.isoformat()}:{'|'.join(keys)}"
    if cache.get(remembered):
        return
    ReadMark.objects.bulk_create([ReadMark(user=user, key=key) for key in keys], ignore_conflicts=True)
    cache.set(remembered, True, 24 * 3600)


def attachment_download(request, pk, attachment_pk):
    """Bilag are served only here, after the permission check; never straight from MEDIA_URL."""
    meeting = selectors.meeting_detail(pk=pk)
    attachment = selectors.attachment_for(meeting=meeting, pk=attachment_pk, user=request.user)
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=False,
        filename=f"{attachment.document_number}-{attachment.original_name}",
    )
    response["Cache-Control"] = "private, no-store" if attachment.item.is_closed else "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_page
def committee_calendar(request, slug):
    """iCalendar feed of a committee's meetings (date, time, place; no agenda content)."""
    committee = get_object_or_404(Committee, slug=slug)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.PORTAL_MUNICIPALITY_NAME}//Opgaveudvalgsportalen//DA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", committee.name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    host = request.get_host().split(":")[0]
    for meeting in committee.meetings.order_by("starts_at"):
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", f"{committee.name}: {meeting.get_kind_display()}")
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + dt.timedelta(hours=2))
        event.add("dtstamp", meeting.agenda_published_at or meeting.starts_at)
        if meeting.location:
            event.add("location", meeting.location)
        event.add("url", request.build_absolute_uri(reverse("meetings:detail", args=[meeting.pk])))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{committee.slug}.ics"'
    return response


class DocumentsFeed(Feed):
    """Atom feed of published agendas and minutes: titles and links only, never item content."""

    feed_type = Atom1Feed
    link = "/moeder/"

    def title(self):
        return _("%(m)s: dagsordener og referater") % {"m": settings.PORTAL_MUNICIPALITY_NAME}

    def subtitle(self):
        return _("Nye og ændrede dagsordener og referater fra udvalgene.")

    def items(self):
        return selectors.published_documents(limit=30)

    def item_title(self, item):
        kind, meeting, _when = item
        label = _("Dagsorden") if kind == "dagsorden" else _("Referat")
        return f"{label}: {meeting.committee.name} {date_format(timezone.localtime(meeting.starts_at), 'SHORT_DATE_FORMAT')}"

    def item_description(self, item):
        kind, meeting, _when = item
        return _("Møde %(d)s, %(p)s.") % {
            "d": date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT"),
            "p": meeting.location or "–",
        }

    def item_link(self, item):
        kind, meeting, _when = item
        return reverse("meetings:detail", args=[meeting.pk]) + ("#referat" if kind == "referat" else "")

    def item_guid(self, item):
        kind, meeting, when = item
        return f"{kind}-{meeting.pk}-{when:%Y%m%d%H%M%S}"

    def item_pubdate(self, item):
        return item[2]

    def item_updateddate(self, item):
        return item[2]


class CommitteeDocumentsFeed(DocumentsFeed):
    """The same feed for one committee (/udvalg/<slug>/feed.atom), linked from its page."""

    def get_object(self, request, slug):
        return get_object_or_404(Committee, slug=slug)

    def title(self, committee):
        return _("%(c)s: dagsordener og referater") % {"c": committee.name}

    def subtitle(self, committee):
        return _("Nye og ændrede dagsordener og referater fra %(c)s.") % {"c": committee.name}

    def link(self, committee):
        return reverse("pages:committee", args=[committee.slug])

    def items(self, committee):
        return selectors.published_documents(limit=30, committee=committee)


@never_cache
@login_required
def my_page(request):
    """A politician's page: their committees, upcoming meetings with agendas, newly published minutes and
    deliverables; what they have not opened is marked unread."""
    today = timezone.localdate()
    memberships = list(  # every current seat, as politician or citizen member
        CommitteeMembership.objects.filter(person__user=request.user)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("committee")
        .order_by("committee__name")
    )
    committee_ids = [m.committee_id for m in memberships]
    now = timezone.now()
    upcoming = list(
        Meeting.objects.filter(committee_id__in=committee_ids, starts_at__gte=now)
        .exclude(minutes__status=selectors.HELD)
        .select_related("committee")
        .order_by("starts_at")[:20]
    )
    minutes = list(
        Meeting.objects.filter(committee_id__in=committee_ids, minutes__status=selectors.HELD)
        .select_related("committee", "minutes")
        .order_by("-minutes__published_at")[:20]
    )
    # Every deliverable of the member's committees, planned ones too (they say what the committee owes and by
    # when), by committee and number; a link only where there is a file.
    deliverables = list(
        Deliverable.objects.filter(committee_id__in=committee_ids)
        .select_related("committee")
        .order_by("committee__name", "committee_id", "number")[:100]
    )
    read = set(ReadMark.objects.filter(user=request.user).values_list("key", flat=True))
    return render(
        request,
        "meetings/my_page.html",
        {
            "memberships": memberships,
            "upcoming": [(m, f"dagsorden:{m.pk}" not in read and m.is_agenda_published) for m in upcoming],
            "minutes": [(m, f"referat:{m.pk}" not in read) for m in minutes],
            "deliverables": [(d, bool(d.file) and f"leverance:{d.pk}" not in read) for d in deliverables],
        },
    )


def deliverable_download(request, pk):
    """A deliverable's file: public once the committee has one (deliverables are public documents)."""
    deliverable = get_object_or_404(Deliverable, pk=pk)
    if not deliverable.file:
        raise Http404
    if request.user.is_authenticated:
        _mark_read(request.user, [f"leverance:{deliverable.pk}"])
    return FileResponse(
        deliverable.file.open("rb"), as_attachment=False, filename=deliverable.file.name.rsplit("/", 1)[-1]
    )


PDF_URLS = {"dagsorden": "meetings:agenda_pdf", "referat": "meetings:minutes_pdf"}
PDF_STATUS_URLS = {"dagsorden": "meetings:agenda_pdf_status", "referat": "meetings:minutes_pdf_status"}


def _meeting_document(request, pk, kind) -> tuple[Meeting, bool]:
    """The meeting whose dagsorden or referat this user may have, and whether in the full variant; 404 otherwise.
    One rule for the PDF and its status, so the status never tells of a document the PDF would refuse."""
    meeting = selectors.meeting_detail(pk=pk)
    if kind == "dagsorden" and not meeting.is_agenda_published:
        raise Http404
    if kind == "referat":
        minutes = selectors.minutes_for(meeting=meeting, user=request.user)
        if minutes is None or not minutes.is_published:
            raise Http404
    return meeting, can_see_closed_items(request.user, meeting)


def meeting_pdf(request, pk, kind):
    """/moeder/<id>/dagsorden.pdf and /referat.pdf: the public variant, or the full one for entitled users."""
    meeting, full = _meeting_document(request, pk, kind)
    label = _("Referat") if kind == "referat" else _("Dagsorden")
    return serve_document(
        request,
        kind=kind,
        object_id=meeting.pk,
        full=full,
        title=f"{label} {meeting.committee.name} {date_format(timezone.localtime(meeting.starts_at), 'SHORT_DATE_FORMAT')}",
        back_url=reverse("meetings:detail", args=[meeting.pk]),
        status_url=reverse(PDF_STATUS_URLS[kind], args=[meeting.pk]),
    )


def meeting_pdf_status(request, pk, kind):
    """Whether that PDF is ready, for the pages that wait for it (JSON; 404 exactly when the PDF is)."""
    meeting, full = _meeting_document(request, pk, kind)
    return document_status(
        request, kind=kind, object_id=meeting.pk, full=full, url=reverse(PDF_URLS[kind], args=[meeting.pk])
    )
