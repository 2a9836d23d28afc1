"""Drafting, versioning and approving mandates (kommissorier).

Every write goes through here: it validates, writes inside a transaction, keeps a version (simple-history records
the user from ``_history_user``) and records who moved a mandate on and when.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gentofte_portal.common.markdown import render_markdown
from gentofte_portal.common.slugs import danish_slugify
from gentofte_portal.documents.services import documents_request

from ..models import Committee, Deliverable, Mandate, MandateComment, MandateTransition
from ..models.mandate import COMMENT_SECTIONS, TEXT_SECTIONS
from ..permissions import can_comment_on_mandate, can_edit_mandate, is_secretariat
from .task_committees import task_committee_set_status

# Fields a draft edit may set; everything else (status, revision, approval) changes only through transitions.
EDITABLE_FIELDS = [key for key, _title in TEXT_SECTIONS] + [
    "deliverables",
    "politician_count",
    "citizen_count",
    "competences",
    "age_min",
    "age_max",
    "starts_on",
    "ends_on",
    "milestones",
]


class ConcurrentEditError(Exception):
    """Someone saved the mandate after this user opened it; their save is refused, not merged."""

    def __init__(self, current: Mandate):
        super().__init__(_("Kommissoriet er ændret af en anden, siden du åbnede det."))
        self.current = current


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    needs_approval_details: bool = False


S = Mandate.Status
TRANSITIONS = [
    Transition("send_til_droeftelse", gettext_lazy("Send til drøftelse i stående udvalg"), (S.DRAFT,), S.IN_DISCUSSION),
    Transition("indstil", gettext_lazy("Indstil til Økonomiudvalget"), (S.IN_DISCUSSION,), S.RECOMMENDED),
    Transition("tilbage_til_kladde", gettext_lazy("Tilbage til kladde"), (S.IN_DISCUSSION, S.RECOMMENDED), S.DRAFT),
    Transition(
        "godkend", gettext_lazy("Registrér godkendelse i Kommunalbestyrelsen"), (S.RECOMMENDED,), S.APPROVED, True
    ),
    Transition("offentliggoer", gettext_lazy("Offentliggør"), (S.APPROVED,), S.PUBLISHED),
]
TRANSITIONS_BY_NAME = {t.name: t for t in TRANSITIONS}


def mandate_transitions_available(*, mandate: Mandate, user) -> list[Transition]:
    """Only the transitions the current status allows, and only for staff."""
    if not is_secretariat(user):
        return []
    return [t for t in TRANSITIONS if mandate.status in t.sources]


def _render_sections(mandate: Mandate) -> None:
    for key, _title in TEXT_SECTIONS:
        setattr(mandate, f"{key}_html", render_markdown(getattr(mandate, key)))


def _save_version(mandate: Mandate, *, by, reason) -> None:
    """Save and keep a version. The note is part of the record, so it is kept in the municipality's language
    (settings.LANGUAGE_CODE), whatever language the user has chosen."""
    mandate._history_user = by
    with translation.override(settings.LANGUAGE_CODE):
        mandate._change_reason = str(reason)
    mandate.updated_by = by
    mandate.full_clean()
    mandate.save()


def _unique_slug(name: str) -> str:
    base = danish_slugify(name)[:180] or "opgaveudvalg"
    slug, n = base, 2
    while Committee.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def task_committee_propose(*, name: str, proposed_by: list[Committee], purpose: str, by) -> Mandate:
    """A standing committee proposes a task committee: the committee starts as "forslag" with a first draft."""
    if not is_secretariat(by):
        raise PermissionDenied
    if not proposed_by:
        raise ValidationError({"proposed_by": _("Vælg mindst ét stående udvalg.")})
    terms = {c.term_id for c in proposed_by}
    if len(terms) != 1 or any(c.kind != Committee.Kind.STANDING for c in proposed_by):
        raise ValidationError({"proposed_by": _("Vælg stående udvalg fra samme valgperiode.")})
    committee = Committee(
        kind=Committee.Kind.TASK,
        term=proposed_by[0].term,
        name=name.strip(),
        slug=_unique_slug(name),
        # The purpose stays in the draft until the council approves it: the committee page is public.
        purpose="",
        seats=15,
        politician_seats=5,
        citizen_seats=10,
        status=Committee.Status.PROPOSED,
    )
    committee.full_clean()
    committee.save()
    committee.proposed_by.set(proposed_by)
    mandate = Mandate(committee=committee, purpose=purpose.strip(), politician_count=5, citizen_count=10)
    _render_sections(mandate)
    _save_version(mandate, by=by, reason=gettext_lazy("Oprettet"))
    return mandate


@transaction.atomic
def mandate_update(*, mandate: Mandate, data: dict, expected_version: int, by, reason: str = "") -> Mandate:
    """Save a draft edit, refusing it if the mandate changed since ``expected_version`` (optimistic locking)."""
    current = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if not can_edit_mandate(by, current):
        raise PermissionDenied
    if current.lock_version != expected_version:
        raise ConcurrentEditError(current)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    _render_sections(current)
    current.lock_version += 1
    _save_version(current, by=by, reason=reason or gettext_lazy("Redigeret"))
    return current


@transaction.atomic
def mandate_restore(*, mandate: Mandate, history_id: int, expected_version: int, by) -> Mandate:
    """Make an old version's content the current draft again (a new version; nothing is lost)."""
    old = mandate.history.filter(history_id=history_id).first()
    if old is None:
        raise ValidationError(_("Versionen findes ikke."))
    data = {field: getattr(old, field) for field in EDITABLE_FIELDS}
    reason = gettext_lazy("Gendannet fra versionen %(date)s") % {
        "date": timezone.localtime(old.history_date).strftime("%d-%m-%Y %H:%M:%S")
    }
    return mandate_update(mandate=mandate, data=data, expected_version=expected_version, by=by, reason=reason)


def sync_committee_from_mandate(mandate: Mandate) -> None:
    """An approved mandate fixes the committee's composition, period and deliverables."""
    committee = mandate.committee
    committee.purpose = mandate.purpose or committee.purpose
    if mandate.politician_count is not None and mandate.citizen_count is not None:
        committee.politician_seats = mandate.politician_count
        committee.citizen_seats = mandate.citizen_count
        committee.seats = mandate.politician_count + mandate.citizen_count
    committee.starts_on = mandate.starts_on or committee.starts_on
    committee.ends_on = mandate.ends_on or committee.ends_on
    committee.full_clean()
    committee.save()
    keep = []
    for item in mandate.numbered_deliverables:
        deliverable, _created = Deliverable.objects.update_or_create(
            committee=committee,
            number=item["number"],
            defaults={
                "title": item["title"],
                "description": item.get("description", ""),
                "due_on": item.get("due_on") or None,
            },
        )
        keep.append(deliverable.pk)
    committee.deliverables.exclude(pk__in=keep).filter(handed_over_on__isnull=True).delete()
    if committee.status == Committee.Status.PROPOSED:
        task_committee_set_status(committee=committee, status=Committee.Status.MANDATE_APPROVED)


@transaction.atomic
def mandate_transition(
    *, mandate: Mandate, name: str, by, approved_on=None, approval_reference: str = "", note: str = ""
) -> Mandate:
    """Move a mandate along its workflow, recording who and when. Approval needs the council's decision date and
    meeting reference, and moves the task committee to "kommissorium godkendt"."""
    if not is_secretariat(by):
        raise PermissionDenied
    current = Mandate.objects.select_for_update().select_related("committee").get(pk=mandate.pk)
    transition = TRANSITIONS_BY_NAME.get(name)
    if transition is None or current.status not in transition.sources:
        raise ValidationError(
            _("Kommissoriet har status «%(status)s», så det statusskift er ikke muligt.")
            % {"status": current.get_status_display()}
        )
    if transition.needs_approval_details:
        errors = {}
        if not approved_on:
            errors["approved_on"] = _("Angiv datoen for Kommunalbestyrelsens godkendelse.")
        elif approved_on > timezone.localdate():
            errors["approved_on"] = _("Godkendelsesdatoen kan ikke ligge i fremtiden.")
        if not approval_reference.strip():
            errors["approval_reference"] = _("Angiv mødet, fx «Kommunalbestyrelsen 29.01.2018, punkt 5».")
        if errors:
            raise ValidationError(errors)
        current.approved_on = approved_on
        current.approval_reference = approval_reference.strip()
    previous = current.status
    current.status = transition.target
    if transition.target == S.PUBLISHED:
        current.published_at = timezone.now()
    current.lock_version += 1
    _save_version(current, by=by, reason=transition.label)
    MandateTransition.objects.create(
        mandate=current, name=transition.name, from_status=previous, to_status=current.status, by=by, note=note
    )
    if transition.target == S.APPROVED:
        sync_committee_from_mandate(current)
    if transition.target == S.PUBLISHED:
        documents_request(kind="kommissorium", object_id=current.pk)
    return current


@transaction.atomic
def mandate_new_revision(*, mandate: Mandate, by) -> Mandate:
    """An approved mandate is read-only; a change starts the next revision as a draft with the same content."""
    if not is_secretariat(by):
        raise PermissionDenied
    if not mandate.is_read_only:
        raise ValidationError(_("Kun et godkendt kommissorium kan revideres; ret i kladden i stedet."))
    latest = mandate.committee.mandates.order_by("-revision").first()
    if latest.pk != mandate.pk:
        raise ValidationError(_("Der findes allerede en nyere revision."))
    draft = Mandate(committee=mandate.committee, revision=mandate.revision + 1)
    for field in EDITABLE_FIELDS:
        setattr(draft, field, getattr(mandate, field))
    _render_sections(draft)
    _save_version(draft, by=by, reason=gettext_lazy("Ny revision baseret på revision %(n)s") % {"n": mandate.revision})
    return draft


@transaction.atomic
def mandate_comment_add(*, mandate: Mandate, section: str, text: str, by) -> MandateComment:
    if not can_comment_on_mandate(by, mandate):
        raise PermissionDenied
    if section not in dict(COMMENT_SECTIONS):
        raise ValidationError({"section": _("Vælg et afsnit i kommissoriet.")})
    comment = MandateComment(mandate=mandate, section=section, text=text.strip(), author=by)
    comment.full_clean()
    comment.save()
    return comment
