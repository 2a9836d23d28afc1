"""Write-side rules for committees."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Committee
from ..signals import task_committee_status_changed

STATUS_ORDER = [value for value, _label in Committee.Status.choices]


def task_committee_next_status(*, committee: Committee) -> str | None:
    """The one status a task committee can move on to, or None when it is closed."""
    position = STATUS_ORDER.index(committee.status)
    return STATUS_ORDER[position + 1] if position + 1 < len(STATUS_ORDER) else None


@transaction.atomic
def task_committee_set_status(*, committee: Committee, status: str) -> Committee:
    """Move a task committee one step along its life: forslag → kommissorium godkendt → rekruttering → nedsat →
    afsluttet. Steps cannot be skipped or undone, since each one rests on a decision taken in the step before
    (the council approves the mandate before recruitment, and appoints the members before the committee is set up).
    """
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if committee.kind != Committee.Kind.TASK:
        raise ValidationError(_("Kun opgaveudvalg har en status."))
    allowed = task_committee_next_status(committee=committee)
    if status != allowed:
        current = committee.get_status_display()
        target = dict(Committee.Status.choices).get(status, status)
        raise ValidationError(
            _("Et opgaveudvalg med status «%(current)s» kan ikke gå til «%(target)s».")
            % {"current": current, "target": target}
        )
    previous, committee.status = committee.status, status
    committee.full_clean()
    committee.save(update_fields=["status", "modified_at"])
    task_committee_status_changed.send(sender=Committee, committee=committee, previous=previous)
    return committee
