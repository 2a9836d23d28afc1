"""Staff's recruitment pages under /arbejde/: open a call, review and shortlist applicants, allocate the seats by
D'Hondt, appoint the members, and record vacancies. Applicants' data only for the call's caseworkers (else 404)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.forms import CleanTextMixin
from committees.models import Committee, CommitteeMembership, CouncilMembership
from gentofte_portal.common.audit import record_access
from gentofte_portal.common.forms import add_service_errors
from gentofte_portal.common.permissions import staff_required

from .. import selectors
from ..forms import (
    AppointmentForm,
    CallForm,
    ReviewFilterForm,
    SelectionTargetsForm,
    ShortlistForm,
    VacancyForm,
    before_deadline_field,
)
from ..models import Application, Call
from ..permissions import calls_with_applications_visible, can_manage_recruitment, can_view_applications
from ..services import (
    allocation_confirm,
    allocation_preview,
    application_log_view,
    application_shortlist,
    apply_transfers,
    approved_mandate,
    call_open,
    committee_appoint,
    default_groups,
    lot_draw_new,
    membership_vacate,
    selection_appointment_initial,
    selection_draw,
    selection_overview,
    selection_redraw,
    selection_targets_save,
)
from ..services.allocation import eligible_politicians, shortlisted_applications
from ..services.calls import open_call_deadline
from ..services.selection import panel_fit, selection_categories, selection_inputs


def _task_committee(slug):
    return get_object_or_404(Committee.objects.select_related("term"), slug=slug, kind=Committee.Kind.TASK)


@staff_required(can_manage_recruitment)
def recruitment_overview(request, slug):
    committee = _task_committee(slug)
    calls = list(selectors.calls_with_counts(committee=committee))
    visible = calls_with_applications_visible(request.user, calls)
    allocation = committee.allocations.order_by("-confirmed_at").first()
    memberships = list(
        committee.memberships.select_related("person", "party", "replaces__person").order_by("seat_group", "pk")
    )
    return render(
        request,
        "recruitment/staff/overview.html",
        {
            "committee": committee,
            "mandate": approved_mandate(committee),
            "calls": [(c, c.pk in visible) for c in calls],
            "allocation": allocation,
            "memberships": memberships,
            "recruiting": committee.is_recruiting,
            # A call is offered only while none is open; once one has closed, a new one may be needed.
            "can_open_call": committee.is_recruiting and not any(call.is_open() for call in calls),
            "has_calls": bool(calls),
        },
    )


@staff_required(can_manage_recruitment)
def call_create(request, slug):
    committee = _task_committee(slug)
    mandate = approved_mandate(committee)
    initial = {"title": _("Bliv medlem af %(c)s") % {"c": committee.name}, "text": mandate.purpose if mandate else ""}
    form = CallForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                call = call_open(committee=committee, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Opslaget er offentliggjort."))
                return redirect("recruitment:review", pk=call.pk)
        status = 400
    return render(
        request,
        "recruitment/staff/call_form.html",
        {"committee": committee, "mandate": mandate, "form": form},
        status=status,
    )


def _call_for_caseworker(request, pk) -> Call:
    call = get_object_or_404(Call.objects.select_related("committee", "committee__term"), pk=pk)
    if not can_view_applications(request.user, call):
        raise Http404
    return call


@login_required
def review(request, pk):
    call = _call_for_caseworker(request, pk)
    form = ReviewFilterForm(request.GET or None, call=call, statuses=Application.Status.choices)
    filters = form.cleaned_data if form.is_valid() else {}
    applications = list(selectors.applications_for_call(call=call, filters=filters))
    record_access(call)  # the list shows applicants' names, ages and districts
    return render(
        request,
        "recruitment/staff/review.html",
        {
            "call": call,
            "form": form,
            "applications": applications,
            "summary": selectors.applicant_pool_summary(call=call),
            "year": call.deadline_year,
        },
    )


@login_required
def application_detail(request, pk, application_pk):
    call = _call_for_caseworker(request, pk)
    application = get_object_or_404(call.applications, pk=application_pk)
    form = ShortlistForm(request.POST or None, initial={"reason": application.shortlist_reason})
    status = 200
    if request.method == "POST":
        shortlisted = request.POST.get("action") != "fjern"
        if form.is_valid():
            try:
                application_shortlist(
                    application=application,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    shortlisted=shortlisted,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Indstillingen er gemt."))
                return redirect("recruitment:review", pk=call.pk)
        status = 400
    else:
        application_log_view(application=application, user=request.user)
        record_access(application)
    return render(
        request,
        "recruitment/staff/application_detail.html",
        {
            "call": call,
            "application": application,
            "form": form,
            "year": call.deadline_year,
            "views": application.views.select_related("user")[:20],
        },
        status=status,
    )


class GroupsForm(CleanTextMixin, forms.Form):
    """One field per council party: the label of the group (valggruppe) it joins for this appointment."""

    transfer_from = forms.CharField(required=False, max_length=50, label=_("Valggruppe, der overdrager en plads"))
    transfer_to = forms.CharField(required=False, max_length=50, label=_("Valggruppe, der overtager pladsen"))

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = parties
        self.fields["before_deadline"] = before_deadline_field()
        for letter in parties:
            self.fields[f"party_{letter}"] = forms.CharField(
                label=_("Parti %(p)s indgår i valggruppe") % {"p": letter}, max_length=50, initial=letter
            )

    def groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for letter in self.parties:
            label = self.cleaned_data[f"party_{letter}"].strip().upper() or letter
            groups.setdefault(label, []).append(letter)
        return groups

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("transfer_from", "").strip()) != bool(cleaned.get("transfer_to", "").strip()):
            self.add_error("transfer_to", _("Angiv både den valggruppe, der overdrager, og den, der overtager."))
        return cleaned

    def transfers(self) -> list[dict]:
        giver = self.cleaned_data.get("transfer_from", "").strip().upper()
        taker = self.cleaned_data.get("transfer_to", "").strip().upper()
        if giver and taker:
            return [{"from": giver, "to": taker, "seats": 1}]
        return []


@staff_required(can_manage_recruitment)
def allocation(request, slug, redraw_form=None):
    committee = _task_committee(slug)
    parties = list(default_groups(committee=committee))
    data = request.POST if request.method == "POST" and redraw_form is None else None
    form = GroupsForm(data, parties=parties)
    preview = None
    final_seats = None
    status = 200
    if request.method == "POST" and form.is_valid():
        groups = form.groups()
        try:
            if request.POST.get("action") == "bekraeft":
                allocation_confirm(
                    committee=committee,
                    groups=groups,
                    transfers=form.transfers(),
                    by=request.user,
                    early_ok=form.cleaned_data["before_deadline"],
                )
                messages.success(request, _("Fordelingen er gemt. Nu kan valggrupperne udpege deres medlemmer."))
                return redirect("recruitment:appoint", slug=committee.slug)
            preview = allocation_preview(committee=committee, groups=groups, by=request.user)
            final_seats = apply_transfers(preview.seats, form.transfers())
        except ValidationError as exc:
            add_service_errors(form, exc)
            preview = None
            status = 400
    elif request.method == "POST":
        status = 400
    if redraw_form is not None:
        status = 400
    return render(
        request,
        "recruitment/staff/allocation.html",
        {
            "committee": committee,
            "form": form,
            "preview": preview,
            "final_seats": final_seats,
            "transfers": form.transfers() if preview else [],
            "quotient_rows": _quotient_rows(preview) if preview else [],
            "draws": selectors.lot_draws(committee=committee),
            "open_deadline": open_call_deadline(committee=committee),
            "redraw_form": redraw_form or LotRedrawForm(),
        },
        status=status,
    )


class LotRedrawForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse for ny lodtrækning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Begrundelsen gemmes med lodtrækningen og kan ses af sekretariatet og i revisionsloggen."),
    )


@require_POST
@staff_required(can_manage_recruitment)
def lot_redraw(request, slug):
    """ "Ny lodtrækning": only with a written reason; the draw it replaces stays on record."""
    committee = _task_committee(slug)
    form = LotRedrawForm(request.POST)
    if form.is_valid():
        try:
            draw = lot_draw_new(committee=committee, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Ny lodtrækning nr. %(n)s er oprettet. Beregn fordelingen igen.") % {"n": draw.number}
            )
            return redirect("recruitment:allocation", slug=committee.slug)
    return allocation(request, slug, redraw_form=form)


def _quotient_rows(preview):
    """The quotient table as rows per divisor, columns per group, for display."""
    groups = sorted(preview.seats, key=lambda g: (-preview.seats[g], g))
    by_key = {(q.group, q.divisor): q for q in preview.quotients}
    divisors = sorted({q.divisor for q in preview.quotients if q.seat is not None or q.by_lot}) or [1]
    max_divisor = max(divisors) + 1
    return {
        "groups": groups,
        "rows": [{"divisor": d, "cells": [by_key.get((g, d)) for g in groups]} for d in range(1, max_divisor + 1)],
    }


@staff_required(can_manage_recruitment)
def appoint(request, slug):
    committee = _task_committee(slug)
    # The page lists shortlisted applicants: only the caseworkers of the committee's calls may see them.
    if not any(can_view_applications(request.user, call) for call in committee.calls.all()):
        raise Http404
    allocation = committee.allocations.order_by("-confirmed_at").first()
    if allocation is None:
        messages.info(request, _("Fordel først pladserne."))
        return redirect("recruitment:allocation", slug=slug)
    shortlisted = list(shortlisted_applications(committee=committee))
    # The kept draw of the fair lottery pre-fills the citizens' fields; staff change them as they see fit.
    draw = selectors.selection_draw_for_appointment(committee=committee, user=request.user)
    initial = selection_appointment_initial(
        draw=draw,
        seats=allocation.final_seats,
        citizen_seats=committee.citizen_seats,
        shortlisted_ids={a.pk for a in shortlisted},
    )
    eligible = {
        group: list(eligible_politicians(allocation=allocation, group=group))
        for group, seats in allocation.final_seats.items()
        if seats
    }
    form = AppointmentForm(
        request.POST or None, initial=initial, seats=allocation.final_seats, eligible=eligible, shortlisted=shortlisted
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                committee_appoint(
                    allocation=allocation,
                    picks=form.picks,
                    chair=form.chair,
                    vice_chair=form.vice_chair,
                    by=request.user,
                    early_ok=form.cleaned_data["before_deadline"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Medlemmerne er udpeget, og udvalget er nedsat. Ansøgerne får besked."))
                return redirect("recruitment:overview", slug=slug)
        status = 400
    return render(
        request,
        "recruitment/staff/appoint.html",
        {
            "committee": committee,
            "allocation": allocation,
            "form": form,
            "shortlisted": shortlisted,
            "appointed": allocation.appointed_at is not None,
            "open_deadline": open_call_deadline(committee=committee),
            "selection_draw": draw if initial else None,
        },
        status=status,
    )


@staff_required(can_manage_recruitment)
def vacancy(request, slug, membership_pk):
    committee = _task_committee(slug)
    membership = get_object_or_404(committee.memberships.select_related("person", "party"), pk=membership_pk)
    if membership.member_kind == CommitteeMembership.MemberKind.POLITICIAN:
        allocation = committee.allocations.order_by("-confirmed_at").first()
        letters = (
            allocation.groups.get(membership.seat_group, [])
            if allocation
            else ([membership.party.letter] if membership.party else [])
        )
        candidates = (
            CouncilMembership.objects.filter(term=committee.term, party__letter__in=letters)
            .exclude(person__committee_memberships__committee=committee)
            .select_related("person", "party")
        )
        replacements = [(cm.person_id, f"{cm.person.name} ({cm.party.letter})") for cm in candidates]
    else:
        # A citizen's seat goes to another applicant to the committee's calls; only caseworkers see applicants.
        calls = [c for c in committee.calls.all() if can_view_applications(request.user, c)]
        candidates = Application.objects.filter(
            call__in=calls, status__in=[Application.Status.SHORTLISTED, Application.Status.NOT_APPOINTED]
        ).order_by("name")
        replacements = [(a.pk, f"{a.choice_label[:-1]}, {a.get_status_display().lower()})") for a in candidates]
    form = VacancyForm(request.POST or None, replacements=replacements)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            replacement = replacement_application = None
            chosen = form.cleaned_data["replacement"]
            if chosen and membership.member_kind == CommitteeMembership.MemberKind.POLITICIAN:
                from committees.models import Person

                replacement = Person.objects.get(pk=chosen)
            elif chosen:
                replacement_application = candidates.get(pk=chosen)
            try:
                membership_vacate(
                    membership=membership,
                    ends_on=form.cleaned_data["ends_on"],
                    replacement=replacement,
                    replacement_application=replacement_application,
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Udtrædelsen er registreret; pladsen tilhører fortsat valggruppen."))
                return redirect("recruitment:overview", slug=slug)
        status = 400
    return render(
        request,
        "recruitment/staff/vacancy.html",
        {
            "committee": committee,
            "membership": membership,
            "form": form,
            "group_label": membership.seat_group or (membership.party.letter if membership.party else "–"),
        },
        status=status,
    )


class SelectionRedrawForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse for ny lodtrækning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Begrundelsen gemmes med lodtrækningen og kan ses af sekretariatet og i revisionsloggen."),
    )


def _selection_page(request, call, *, targets_form=None, redraw_form=None, errors=(), status=200):
    """The fair selection page: targets, the proposal, the draw and every earlier draw."""
    pool, pool_is_shortlist = selectors.selection_pool(call=call)
    targets = selectors.selection_targets(call=call)
    overview = selection_overview(call=call, pool=pool, targets=targets)
    form = targets_form or SelectionTargetsForm(
        categories=selection_categories(call=call), targets=targets, seats=overview["seats"]
    )
    draws = selectors.selection_draws(call=call)
    current = next((d for d in draws if d.is_current), None)
    kept = None
    if current is not None:
        members = selectors.selection_panel_members(call=call, draw=current)
        kept = {
            "draw": current,
            "members": members,
            "fit": panel_fit(inputs=current.inputs, panel=current.panel),
            "changed": current.inputs != overview["inputs"],
            "not_shortlisted": [a for a in members if a and a.status != Application.Status.SHORTLISTED],
        }
    record_access(call)  # the page names the pooled applicants
    return render(
        request,
        "recruitment/staff/selection.html",
        {
            "call": call,
            "committee": call.committee,
            "pool": pool,
            "pool_is_shortlist": pool_is_shortlist,
            "form": form,
            "table": form.table(overview["counts"]),
            "overview": overview,
            "draws": draws,
            "kept": kept,
            "redraw_form": redraw_form or SelectionRedrawForm(),
            "errors": errors,
            "recruiting": call.committee.is_recruiting,
        },
        status=status,
    )


@staff_required(can_manage_recruitment)
def selection(request, pk):
    """Targets per category for the citizen seats, and the fair lottery's proposal (README, "Fair selection")."""
    call = _call_for_caseworker(request, pk)
    if request.method != "POST":
        return _selection_page(request, call)
    targets = selectors.selection_targets(call=call)
    form = SelectionTargetsForm(
        request.POST,
        categories=selection_categories(call=call),
        targets=targets,
        seats=call.committee.citizen_seats or 0,
    )
    if form.is_valid():
        try:
            selection_targets_save(call=call, targets=form.targets, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Målene er gemt."))
            return redirect("recruitment:selection", pk=call.pk)
    return _selection_page(request, call, targets_form=form, status=400)


def _selection_inputs(call):
    pool, _shortlist = selectors.selection_pool(call=call)
    return selection_inputs(call=call, pool=pool, targets=selectors.selection_targets(call=call))


@require_POST
@staff_required(can_manage_recruitment)
def selection_draw_panel(request, pk):
    """ "Træk panelet": the panel drawn once from the lottery, with its seed recorded."""
    call = _call_for_caseworker(request, pk)
    try:
        draw = selection_draw(call=call, inputs=_selection_inputs(call), by=request.user)
    except ValidationError as exc:
        return _selection_page(request, call, errors=exc.messages, status=400)
    messages.success(request, _("Panelet er trukket (lodtrækning nr. %(n)s).") % {"n": draw.number})
    return redirect("recruitment:selection", pk=call.pk)


@require_POST
@staff_required(can_manage_recruitment)
def selection_redraw_panel(request, pk):
    """ "Ny lodtrækning": only with a written reason; the draw it replaces stays on record."""
    call = _call_for_caseworker(request, pk)
    form = SelectionRedrawForm(request.POST)
    if form.is_valid():
        try:
            draw = selection_redraw(
                call=call, inputs=_selection_inputs(call), reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ny lodtrækning nr. %(n)s er foretaget.") % {"n": draw.number})
            return redirect("recruitment:selection", pk=call.pk)
    return _selection_page(request, call, redraw_form=form, status=400)
