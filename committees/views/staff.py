"""The staff workspace (/arbejde/): propose task committees, draft, version and approve their mandates.

Views are thin: check permission per object (404 for anyone not entitled to a draft), bind a form, call one
service. Invalid input re-renders with the messages next to the fields and HTTP 400; a concurrent edit is refused
with HTTP 409 and the user's text kept in the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gentofte_portal.common.forms import add_service_errors
from gentofte_portal.common.permissions import staff_required
from gentofte_portal.common.validators import without_control_characters

from .. import permissions, selectors
from ..diff import mandate_diff
from ..forms import (
    ApprovalForm,
    CommentForm,
    DeliverableFormSet,
    MandateForm,
    MilestoneFormSet,
    TaskCommitteeProposalForm,
    deliverables_from_formset,
    milestones_from_formset,
    typed_values,
)
from ..models import Committee, Mandate
from ..models.mandate import COMMENT_SECTIONS
from ..services import (
    ConcurrentEditError,
    mandate_comment_add,
    mandate_new_revision,
    mandate_restore,
    mandate_transition,
    mandate_transitions_available,
    mandate_update,
    task_committee_propose,
)


def _mandate_or_404(request, pk, check=permissions.can_view_mandate_draft, *, full=True):
    """The mandate if this user may see it, else 404. ``full`` also loads comments and the status record."""
    mandate = selectors.mandate_detail(pk=pk) if full else selectors.mandate_basic(pk=pk)
    if not check(request.user, mandate):
        raise Http404
    return mandate


def _workspace_groups(user, status: str, committee_slug: str) -> list[dict]:
    """Work in progress first, by status in the workflow's order; the mandates of closed committees and of earlier
    terms last, under "Arkiv", newest term first."""
    mandates = list(selectors.mandates_for_workspace(user=user, status=status, committee_slug=committee_slug))
    current = selectors.term_current()
    archived = [m for m in mandates if selectors.committee_is_archived(m.committee, current=current)]
    archived_ids = {m.pk for m in archived}
    active = [m for m in mandates if m.pk not in archived_ids]
    groups = [
        {"status": value, "label": label, "mandates": [m for m in active if m.status == value]}
        for value, label in Mandate.Status.choices
    ]
    archived.sort(key=lambda m: (-m.committee.term.starts_on.toordinal(), m.committee.name, -m.revision))
    groups.append(
        {"status": "arkiv", "label": _("Arkiv: afsluttede udvalg og tidligere valgperioder"), "mandates": archived}
    )
    return [g for g in groups if g["mandates"]]


@login_required
def workspace(request):
    if not permissions.can_use_workspace(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    committee_slug = without_control_characters(request.GET.get("udvalg", ""))
    if status and status not in Mandate.Status.values:
        status = ""
    secretariat = permissions.is_secretariat(request.user)
    return render(
        request,
        "committees/staff/index.html",
        {
            # Read only when the list's fragment is not in the cache: the secretariat's list is the same for all of
            # them (shared_fragment); a politician's is their own, never cached.
            "groups": SimpleLazyObject(lambda: _workspace_groups(request.user, status, committee_slug)),
            "list_fragment": "workspace" if secretariat else "",
            "statuses": Mandate.Status.choices,
            "status": status,
            "committee_slug": committee_slug,
            "is_secretariat": secretariat,
        },
    )


@staff_required(permissions.is_secretariat)
def task_committee_propose_view(request):
    term = selectors.term_current()
    standing = Committee.objects.filter(kind=Committee.Kind.STANDING, term=term).order_by("name")
    initial = {}
    if request.GET.get("fra"):
        initial["proposed_by"] = standing.filter(slug=without_control_characters(request.GET["fra"]))
    form = TaskCommitteeProposalForm(request.POST or None, standing_committees=standing, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                mandate = task_committee_propose(
                    name=form.cleaned_data["name"],
                    proposed_by=list(form.cleaned_data["proposed_by"]),
                    purpose=form.cleaned_data["purpose"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Opgaveudvalget er foreslået, og en kladde til kommissoriet er oprettet."))
                return redirect("committees:mandate_edit", pk=mandate.pk)
        status = 400
    return render(request, "committees/staff/propose.html", {"form": form, "term": term}, status=status)


def _render_detail(request, mandate, *, approval_form=None, status=200):
    comments_by_section = {key: [] for key, _title in COMMENT_SECTIONS}
    for comment in mandate.comments.all():
        comments_by_section[comment.section].append(comment)
    comment_form = CommentForm() if permissions.can_comment_on_mandate(request.user, mandate) else None
    return render(
        request,
        "committees/staff/mandate_detail.html",
        {
            "mandate": mandate,
            "comments": comments_by_section,
            "comment_form": comment_form,
            "transitions": mandate_transitions_available(mandate=mandate, user=request.user),
            "approval_form": approval_form or ApprovalForm(),
            "can_edit": permissions.can_edit_mandate(request.user, mandate),
            "can_see_history": permissions.can_view_mandate_history(request.user, mandate),
            "is_secretariat": permissions.is_secretariat(request.user),
        },
        status=status,
    )


@login_required
def mandate_detail(request, pk):
    return _render_detail(request, _mandate_or_404(request, pk))


ADD_ROW = "tilfoej"  # the name of the "add a row" buttons; their value is the formset's prefix


def _formsets(request, mandate):
    if request.method == "POST":
        return (
            DeliverableFormSet(request.POST, prefix="leverancer"),
            MilestoneFormSet(request.POST, prefix="milepaele"),
        )
    deliverables = [
        {
            "title": d.get("title", ""),
            "description": d.get("description", ""),
            "due_on": d.get("due_on") or None,
            "ORDER": i,
        }
        for i, d in enumerate(mandate.deliverables, start=1)
    ]
    milestones = [{"date": m.get("date"), "title": m.get("title", "")} for m in mandate.milestones]
    return (
        DeliverableFormSet(initial=deliverables, prefix="leverancer"),
        MilestoneFormSet(initial=milestones, prefix="milepaele"),
    )


@login_required
def mandate_edit(request, pk):
    mandate = _mandate_or_404(request, pk)
    if not permissions.can_edit_mandate(request.user, mandate):
        if permissions.is_secretariat(request.user):
            messages.info(request, _("Kommissoriet er godkendt og kan ikke ændres. Start en ny revision."))
            return redirect("committees:mandate_detail", pk=mandate.pk)
        raise Http404
    form = MandateForm(request.POST or None, instance=mandate)
    deliverables, milestones = _formsets(request, mandate)
    status = 200
    conflict = None
    if request.method == "POST" and ADD_ROW in request.POST:
        # "Tilføj en leverance/milepæl" without script: the form again as typed, with one more empty row in the
        # list asked for. Nothing is validated or saved; the lock version typed is kept for the save that follows.
        form = MandateForm(instance=mandate, initial=typed_values(form))
        target = request.POST[ADD_ROW]
        deliverables = deliverables.with_rows_added(1 if target == deliverables.prefix else 0)
        milestones = milestones.with_rows_added(1 if target == milestones.prefix else 0)
    elif request.method == "POST":
        if form.is_valid() and deliverables.is_valid() and milestones.is_valid():
            data = {**form.cleaned_data}
            data["deliverables"] = deliverables_from_formset(deliverables)
            data["milestones"] = milestones_from_formset(milestones)
            try:
                mandate_update(
                    mandate=mandate, data=data, expected_version=form.cleaned_data["lock_version"], by=request.user
                )
            except ConcurrentEditError as exc:
                conflict = exc.current
                status = 409
                form.add_error(
                    None,
                    _(
                        "%(who)s har gemt kommissoriet, efter du åbnede det. Din tekst er ikke gemt, men står stadig "
                        "i formularen: kopiér dine ændringer, åbn den nyeste version og indsæt dem dér."
                    )
                    % {
                        "who": conflict.updated_by.get_full_name() or conflict.updated_by.username
                        if conflict.updated_by
                        else _("En anden")
                    },
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Kommissoriet er gemt som en ny version."))
                return redirect("committees:mandate_detail", pk=mandate.pk)
        else:
            status = 400
    return render(
        request,
        "committees/staff/mandate_edit.html",
        {
            "mandate": mandate,
            "form": form,
            "deliverables": deliverables,
            "milestones": milestones,
            "conflict": conflict,
            "add_row": ADD_ROW,
        },
        status=status,
    )


@require_POST
@login_required
def mandate_transition_view(request, pk, name):
    mandate = _mandate_or_404(request, pk)  # 404 first: whoever may not see the mandate learns nothing of it
    if not permissions.is_secretariat(request.user):
        raise PermissionDenied
    kwargs = {}
    approval_form = None
    available = {t.name for t in mandate_transitions_available(mandate=mandate, user=request.user)}
    if name == "godkend" and name in available:
        # Only where the page shows the approval form: elsewhere its errors would be invisible, and the service
        # says why the status cannot change.
        approval_form = ApprovalForm(request.POST)
        if not approval_form.is_valid():
            return _render_detail(request, mandate, approval_form=approval_form, status=400)
        kwargs = approval_form.cleaned_data
    try:
        mandate = mandate_transition(mandate=mandate, name=name, by=request.user, **kwargs)
    except ValidationError as exc:
        if approval_form is not None:
            add_service_errors(approval_form, exc)
            return _render_detail(request, mandate, approval_form=approval_form, status=400)
        messages.error(request, " ".join(exc.messages))
        return redirect("committees:mandate_detail", pk=pk)
    messages.success(request, _("Kommissoriet har nu status «%(s)s».") % {"s": mandate.get_status_display()})
    return redirect("committees:mandate_detail", pk=pk)


@require_POST
@login_required
def mandate_new_revision_view(request, pk):
    mandate = _mandate_or_404(request, pk)  # 404 first: whoever may not see the mandate learns nothing of it
    if not permissions.is_secretariat(request.user):
        raise PermissionDenied
    try:
        draft = mandate_new_revision(mandate=mandate, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("committees:mandate_detail", pk=pk)
    messages.success(request, _("Revision %(n)s er oprettet som kladde.") % {"n": draft.revision})
    return redirect("committees:mandate_edit", pk=draft.pk)


@require_POST
@login_required
def mandate_comment_view(request, pk):
    mandate = _mandate_or_404(request, pk, check=permissions.can_comment_on_mandate)
    form = CommentForm(request.POST)
    if form.is_valid():
        mandate_comment_add(
            mandate=mandate, section=form.cleaned_data["section"], text=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, _("Din kommentar er gemt."))
        return redirect(reverse("committees:mandate_detail", args=[pk]) + f"#afsnit-{form.cleaned_data['section']}")
    messages.error(
        request,
        _("Kommentaren blev ikke gemt: %(e)s")
        % {"e": " ".join(str(e) for errors in form.errors.values() for e in errors)},
    )
    return redirect("committees:mandate_detail", pk=pk)


@login_required
def mandate_history(request, pk):
    mandate = _mandate_or_404(request, pk, check=permissions.can_view_mandate_history, full=False)
    versions = list(selectors.mandate_versions(mandate=mandate))
    return render(
        request,
        "committees/staff/mandate_history.html",
        {"mandate": mandate, "versions": versions, "can_edit": permissions.can_edit_mandate(request.user, mandate)},
    )


@login_required
def mandate_compare(request, pk):
    mandate = _mandate_or_404(request, pk, check=permissions.can_view_mandate_history, full=False)
    versions = selectors.mandate_versions(mandate=mandate)
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        latest = list(versions[:2])
        if len(latest) < 2:
            messages.info(request, _("Der er kun én version."))
            return redirect("committees:mandate_history", pk=pk)
        a, b = latest[1].history_id, latest[0].history_id
    old = get_object_or_404(versions, history_id=a)
    new = get_object_or_404(versions, history_id=b)
    if old.history_date > new.history_date:
        old, new = new, old
    return render(
        request,
        "committees/staff/mandate_compare.html",
        {"mandate": mandate, "old": old, "new": new, "sections": mandate_diff(old, new)},
    )


@require_POST
@login_required
def mandate_restore_view(request, pk, history_id):
    mandate = _mandate_or_404(request, pk, check=permissions.can_view_mandate_history)
    if not permissions.can_edit_mandate(request.user, mandate):
        raise Http404
    try:
        expected = int(request.POST.get("lock_version", ""))
    except ValueError:
        expected = -1
    try:
        with transaction.atomic():
            mandate_restore(mandate=mandate, history_id=history_id, expected_version=expected, by=request.user)
    except ConcurrentEditError:
        messages.error(request, _("Kommissoriet er ændret, siden du åbnede historikken. Prøv igen."))
        return redirect("committees:mandate_history", pk=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("committees:mandate_history", pk=pk)
    messages.success(request, _("Den gamle version er gendannet som en ny version."))
    return redirect("committees:mandate_detail", pk=pk)
