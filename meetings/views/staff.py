"""The secretariat's meeting pages under /arbejde/moeder/: plan a meeting, build and publish its agenda, upload
bilag, write, approve and publish the minutes, and record deliverables. Thin views over meetings.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from committees.models import Committee, Deliverable
from gentofte_portal.common.confirm import confirm_page, is_confirmed
from gentofte_portal.common.forms import add_service_errors
from gentofte_portal.common.permissions import staff_required

from .. import services
from ..forms import AgendaItemForm, AttachmentForm, DeliverableForm, MeetingForm, MinutesForm
from ..models import AgendaItem, Attachment, Meeting, Minutes
from ..permissions import can_manage_meetings


def _meeting(pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee", "committee__term"), pk=pk)


@staff_required(can_manage_meetings)
def meeting_list(request):
    # A queryset, read only when the table's shared fragment (the same for every one of the secretariat) is not in
    # the cache.
    meetings = (
        Meeting.objects.select_related("committee", "minutes")
        .only("starts_at", "agenda_published_at", "committee__name", "minutes__status")
        .order_by("-starts_at")[:200]
    )
    return render(request, "meetings/staff/meeting_list.html", {"meetings": meetings})


@staff_required(can_manage_meetings)
def meeting_create_view(request):
    include_ended = request.GET.get("alle") == "1"
    form = MeetingForm(
        request.POST or None, initial={"committee": request.GET.get("udvalg")}, include_ended=include_ended
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = services.meeting_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Mødet er oprettet. Byg nu dagsordenen."))
                return redirect("meetings:builder", pk=meeting.pk)
        status = 400
    return render(
        request, "meetings/staff/meeting_form.html", {"form": form, "include_ended": include_ended}, status=status
    )


@staff_required(can_manage_meetings)
def agenda_builder(request, pk):
    meeting = _meeting(pk)
    # Read only when the items' shared fragment is not in the cache (templates: shared_fragment).
    items = meeting.items.prefetch_related("attachments").order_by("position", "pk")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    locked = bool(minutes and minutes.is_published)
    return render(
        request,
        "meetings/staff/builder.html",
        {
            "meeting": meeting,
            "items": items,
            "minutes": minutes,
            "locked": locked,
            "attachment_form": AttachmentForm(),
        },
    )


@staff_required(can_manage_meetings)
def item_edit(request, pk, item_pk=None):
    meeting = _meeting(pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting) if item_pk else None
    form = AgendaItemForm(request.POST or None, instance=item)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in services.ITEM_FIELDS}
            try:
                if item is None:
                    services.agenda_item_add(meeting=meeting, data=data, by=request.user)
                else:
                    services.agenda_item_update(item=item, data=data, by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Punktet er gemt."))
                return redirect("meetings:builder", pk=meeting.pk)
        status = 400
    return render(
        request, "meetings/staff/item_form.html", {"meeting": meeting, "item": item, "form": form}, status=status
    )


def _refusal(check) -> str:
    """The Danish reason a confirmation page gives instead of its button, or "" when the action may go ahead."""
    try:
        check()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _when(meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")


def _post_action(request, pk, action, success):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if success:
            messages.success(request, success)
    return redirect("meetings:builder", pk=pk)


@require_POST
@staff_required(can_manage_meetings)
def item_move(request, pk, item_pk):
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting_id=pk)
    return _post_action(
        request,
        pk,
        lambda: services.agenda_item_move(item=item, direction=request.POST.get("retning", ""), by=request.user),
        None,
    )


@staff_required(can_manage_meetings)
def item_delete(request, pk, item_pk):
    """On a published agenda the deletion is confirmed first; on an unpublished one the builder's button acts."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__committee"), pk=item_pk, meeting_id=pk
    )
    meeting = item.meeting
    immediate = request.method == "POST" and not meeting.agenda_published_at
    if not (immediate or is_confirmed(request)):
        count = item.attachments.count()
        points = [
            ngettext(
                "Punktet slettes fra dagsordenen sammen med dets %(count)s bilag, og filen slettes.",
                "Punktet slettes fra dagsordenen sammen med dets %(count)s bilag, og filerne slettes.",
                count,
            )
            % {"count": count}
            if count
            else _("Punktet slettes fra dagsordenen."),
            _("De følgende punkter får nye numre."),
        ]
        if meeting.agenda_published_at:
            points.append(
                _(
                    "Dagsordenen er offentliggjort: punktet forsvinder også fra mødesiden, dagsordenen markeres som "
                    "ændret, og PDF'en af dagsordenen dannes igen."
                )
            )
        points.append(_("Det kan ikke fortrydes."))
        return confirm_page(
            request,
            title=_("Slet punkt %(n)s: %(title)s") % {"n": item.position, "title": item.title},
            points=points,
            button=_("Slet punktet"),
            cancel_url=reverse("meetings:builder", args=[pk]),
            refusal=_refusal(lambda: services.agenda_change_check(meeting=meeting)),
        )
    return _post_action(
        request,
        pk,
        lambda: services.agenda_item_delete(item=item, by=request.user),
        _("Punktet er slettet, og numrene er rettet."),
    )


@require_POST
@staff_required(can_manage_meetings)
def standard_item(request, pk):
    meeting = _meeting(pk)
    return _post_action(
        request,
        pk,
        lambda: services.agenda_standard_item_add(
            meeting=meeting, which=request.POST.get("punkt", ""), by=request.user
        ),
        _("Standardpunktet er tilføjet."),
    )


@staff_required(can_manage_meetings)
def publish_agenda(request, pk):
    meeting = _meeting(pk)
    if not is_confirmed(request):
        items = list(meeting.items.values_list("is_closed", flat=True))
        closed = sum(items)
        opened = len(items) - closed
        return confirm_page(
            request,
            title=_("Offentliggør dagsordenen"),
            points=[
                _(
                    "Dagsordenen for mødet i %(committee)s %(when)s bliver offentlig: på mødesiden, som PDF og i "
                    "feedet med dagsordener og referater."
                )
                % {"committee": meeting.committee.name, "when": _when(meeting)},
                ngettext(
                    "%(count)s åbent punkt vises i fuld tekst med sine bilag.",
                    "%(count)s åbne punkter vises i fuld tekst med deres bilag.",
                    opened,
                )
                % {"count": opened},
                ngettext(
                    "%(count)s lukket punkt vises kun med nummer, sags-ID og «Lukket»; udvalgets medlemmer ser det, "
                    "når de er logget ind.",
                    "%(count)s lukkede punkter vises kun med nummer, sags-ID og «Lukket»; udvalgets medlemmer ser "
                    "dem, når de er logget ind.",
                    closed,
                )
                % {"count": closed},
                _("Offentliggørelsen kan ikke trækkes tilbage. Ændringer bagefter vises som «ændret» med tidspunktet."),
            ],
            button=_("Offentliggør dagsordenen"),
            cancel_url=reverse("meetings:builder", args=[pk]),
            refusal=_refusal(lambda: services.agenda_publish_check(meeting=meeting)),
            danger=False,
        )
    return _post_action(
        request,
        pk,
        lambda: services.agenda_publish(meeting=meeting, by=request.user),
        _("Dagsordenen er offentliggjort."),
    )


@require_POST
@staff_required(can_manage_meetings)
def attachment_upload(request, pk, item_pk):
    meeting = _meeting(pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                item=item, upload=form.cleaned_data["file"], title=form.cleaned_data["title"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Bilaget er tilføjet."))
            return redirect("meetings:builder", pk=pk)
    items = list(meeting.items.prefetch_related("attachments").order_by("position", "pk"))
    return render(
        request,
        "meetings/staff/builder.html",
        {
            "meeting": meeting,
            "items": items,
            "attachment_form": form,
            "failed_item": item,
            "minutes": Minutes.objects.filter(meeting=meeting).first(),
        },
        status=400,
    )


@staff_required(can_manage_meetings)
def attachment_remove(request, pk, attachment_pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("item", "item__meeting"), pk=attachment_pk, item__meeting_id=pk
    )
    item, meeting = attachment.item, attachment.item.meeting
    if not is_confirmed(request):
        points = [
            _("Bilaget «%(title)s» (%(number)s) fjernes fra punkt %(n)s: %(item)s, og filen slettes.")
            % {"title": attachment.title, "number": attachment.document_number, "n": item.position, "item": item.title},
            _("Bilagsnummeret bruges ikke igen. Skal bilaget med igen, skal det uploades på ny og får et nyt nummer."),
        ]
        if meeting.agenda_published_at:
            points.append(
                _(
                    "Dagsordenen er offentliggjort: bilaget forsvinder også fra mødesiden, punktet markeres som "
                    "ændret, og PDF'en af dagsordenen dannes igen."
                )
            )
        return confirm_page(
            request,
            title=_("Fjern bilaget «%(title)s»") % {"title": attachment.title},
            points=points,
            button=_("Fjern bilaget"),
            cancel_url=reverse("meetings:builder", args=[pk]),
            refusal=_refusal(lambda: services.agenda_change_check(meeting=meeting)),
        )
    return _post_action(
        request,
        pk,
        lambda: services.attachment_delete(attachment=attachment, by=request.user),
        _("Bilaget er fjernet."),
    )


@staff_required(can_manage_meetings)
def minutes_edit(request, pk):
    meeting = _meeting(pk)
    minutes = Minutes.objects.filter(meeting=meeting).prefetch_related("attendance").first()
    members = list(services.members_on(meeting))
    items = list(meeting.items.order_by("position", "pk"))
    form = MinutesForm(request.POST or None, members=members, items=items, minutes=minutes)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.minutes_save(meeting=meeting, by=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Referatet er gemt."))
                return redirect("meetings:minutes", pk=pk)
        status = 400
    return render(
        request,
        "meetings/staff/minutes_form.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "items": items,
            "member_fields": form.member_fields(),
            "item_fields": form.item_fields(),
        },
        status=status,
    )


@staff_required(can_manage_meetings)
def minutes_status(request, pk):
    """Approving acts at once; publishing (also what a GET asks about) is confirmed first."""
    minutes = get_object_or_404(Minutes.objects.select_related("meeting", "meeting__committee"), meeting_id=pk)
    action = request.POST.get("handling") if request.method == "POST" else "offentliggoer"
    if action == "offentliggoer" and not is_confirmed(request):
        meeting = minutes.meeting
        return confirm_page(
            request,
            title=_("Offentliggør referatet"),
            points=[
                _(
                    "Referatet af mødet i %(committee)s %(when)s bliver offentligt: på mødesiden, som PDF og i feedet "
                    "med dagsordener og referater."
                )
                % {"committee": meeting.committee.name, "when": _when(meeting)},
                _("Fremmødet og beslutningerne under de åbne punkter kan ses af alle."),
                _("Beslutninger under lukkede punkter ser kun udvalgets medlemmer og sekretariatet."),
                _("Derefter kan referatet kun rettes med en synlig note, og hver rettelse bliver en ny version."),
            ],
            button=_("Offentliggør referatet"),
            cancel_url=reverse("meetings:minutes", args=[pk]),
            refusal=_refusal(lambda: services.minutes_publish_check(minutes=minutes)),
            hidden={"handling": "offentliggoer"},
            danger=False,
        )
    try:
        if action == "godkend":
            services.minutes_approve(minutes=minutes, by=request.user)
            messages.success(request, _("Godkendelsen er gemt."))
        elif action == "offentliggoer":
            services.minutes_publish(minutes=minutes, by=request.user)
            messages.success(request, _("Referatet er offentliggjort."))
        else:
            messages.error(request, _("Ukendt handling."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("meetings:minutes", pk=pk)


@staff_required(can_manage_meetings)
def deliverable_edit(request, slug, deliverable_pk):
    committee = get_object_or_404(Committee, slug=slug)
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("approval"), pk=deliverable_pk, committee=committee
    )
    items = (
        AgendaItem.objects.filter(meeting__committee=committee)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "position")
    )
    form = DeliverableForm(request.POST or None, request.FILES or None, items=items, instance=deliverable)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.deliverable_update(
                    deliverable=deliverable,
                    upload=form.cleaned_data.get("file"),
                    approved_item=form.cleaned_data.get("approved_item"),
                    handed_over_on=form.cleaned_data.get("handed_over_on"),
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Leverancen er gemt."))
                return redirect("pages:committee", slug=slug)
        status = 400
    return render(
        request,
        "meetings/staff/deliverable_form.html",
        {"committee": committee, "deliverable": deliverable, "form": form},
        status=status,
    )
