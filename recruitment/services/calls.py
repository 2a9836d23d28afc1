from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Committee, Mandate
from committees.services import task_committee_set_status
from gentofte_portal.common.markdown import render_markdown

from ..models import Call
from ..permissions import can_manage_recruitment
from .lots import lot_draw_current


def approved_mandate(committee: Committee) -> Mandate | None:
    return (
        committee.mandates.filter(status__in=[Mandate.Status.APPROVED, Mandate.Status.PUBLISHED])
        .order_by("-revision")
        .first()
    )


@transaction.atomic
def call_open(*, committee: Committee, title: str, text: str, deadline, by, now=None) -> Call:
    """Open a call once the council has approved the mandate; the wanted competences and any age range come from
    the mandate's sammensætning, and the committee moves to "rekruttering"."""
    if not can_manage_recruitment(by):
        raise PermissionDenied
    now = now or timezone.now()
    mandate = approved_mandate(committee)
    if committee.kind != Committee.Kind.TASK or mandate is None:
        raise ValidationError(_("Der kan først åbnes et opslag, når Kommunalbestyrelsen har godkendt kommissoriet."))
    if committee.status not in (Committee.Status.MANDATE_APPROVED, Committee.Status.RECRUITING):
        raise ValidationError(
            _("Opgaveudvalget rekrutterer ikke (status «%(s)s»).") % {"s": committee.get_status_display()}
        )
    if deadline <= now:
        raise ValidationError({"deadline": _("Ansøgningsfristen skal ligge i fremtiden.")})
    call = Call(
        committee=committee,
        title=title.strip(),
        text=text.strip(),
        text_html=render_markdown(text),
        competences=list(mandate.competences),
        age_min=mandate.age_min,
        age_max=mandate.age_max,
        published_at=now,
        deadline=deadline,
    )
    call.full_clean()
    call.save()
    call.caseworkers.add(by)
    # The lot's kontrolværdi is published with the call, before anyone knows the groups or a tie (services.lots).
    lot_draw_current(committee=committee, by=by)
    if committee.status == Committee.Status.MANDATE_APPROVED:
        task_committee_set_status(committee=committee, status=Committee.Status.RECRUITING)
    return call
