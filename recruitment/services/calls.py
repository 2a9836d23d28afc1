from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    if not committee.is_recruiting:
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


def open_call_deadline(*, committee: Committee, now=None):
    """The latest deadline among the committee's calls still open, or None when none is."""
    now = now or timezone.now()
    deadlines = [c.deadline for c in committee.calls.all() if c.is_open(now)]
    return max(deadlines) if deadlines else None


def require_deadline_passed(*, committee: Committee, early_ok: bool, now=None) -> None:
    """Allocating or appointing while citizens may still apply needs staff to confirm it, told how long remains."""
    deadline = open_call_deadline(committee=committee, now=now)
    if deadline is None or early_ok:
        return
    now = now or timezone.now()
    days = (timezone.localdate(deadline) - timezone.localdate(now)).days
    message = ngettext(
        "Ansøgningsfristen er først %(date)s, om %(days)s dag. Sæt flueben, hvis du vil fortsætte før fristen.",
        "Ansøgningsfristen er først %(date)s, om %(days)s dage. Sæt flueben, hvis du vil fortsætte før fristen.",
        days,
    ) % {"date": date_format(timezone.localtime(deadline), "DATETIME_FORMAT"), "days": days}
    raise ValidationError({"before_deadline": message})
