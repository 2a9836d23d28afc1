"""The secretariat's meeting pages under /arbejde/moeder/: plan a meeting, build and publish its agenda, upload
bilag, write, approve and publish the minutes, and record deliverables. Thin views over meetings.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.models import Committee, Deliverable
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
    meetings = Meeting.objects.select_related("committee", "minutes").order_by("-starts_at")[:200]
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
    items = list(meeting.items.prefetch_related("attachments").order_by("position", "pk"))
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


@require_POST
@staff_required(can_manage_meetings)
def item_delete(request, pk, item_pk):
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting_id=pk)
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


@require_POST
@staff_required(can_manage_meetings)
def publish_agenda(request, pk):
    meeting = _meeting(pk)
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


@require_POST
@staff_required(can_manage_meetings)
def attachment_remove(request, pk, attachment_pk):
    attachment = get_object_or_404(Attachment, pk=attachment_pk, item__meeting_id=pk)
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


@require_POST
@staff_required(can_manage_meetings)
def minutes_status(request, pk):
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    action = request.POST.get("handling")
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
