"""Seat allocation and appointment of a task committee (Gentofte: all members, citizens and politicians, under one
D'Hondt allocation among the council's groups; chair and vice-chair among the council members).

Rules applied here, with their source:
- groups (valggrupper) are formed by parties for this appointment; each party is in exactly one group (KSL §25);
- equal quotients for the last seats are settled by lot (KRVL §81 stk. 2, by analogy), drawn once and verifiable
  by anyone (services.lots);
- each group fills its own seats (ruling 82.1.10); a group may give up a seat only to a group that takes it
  (ruling 77.1.1);
- a vacancy is filled by the same group (KSL §28).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Committee, CommitteeMembership, CouncilMembership, Party, Person
from committees.services import membership_create, person_for_citizen, task_committee_set_status
from gentofte_portal.outbox.services import outbox_enqueue_many

from .. import dhondt
from ..models import Allocation, Application
from ..permissions import can_manage_recruitment
from .calls import require_deadline_passed
from .lots import lot_allocate, lot_draw_current, lot_record_shown


def council_parties(*, committee: Committee) -> dict[str, int]:
    """Party letter → council members in the committee's term."""
    rows = (
        CouncilMembership.objects.filter(term=committee.term)
        .values("party__letter")
        .annotate(n=Count("id"))
        .order_by("party__letter")
    )
    return {r["party__letter"]: r["n"] for r in rows}


def group_votes(*, committee: Committee, groups: dict[str, list[str]]) -> dict[str, int]:
    """Validate the groups (every council party in exactly one) and count each group's council members."""
    parties = council_parties(committee=committee)
    seen: dict[str, str] = {}
    for label, letters in groups.items():
        if not letters:
            raise ValidationError(_("Valggruppen %(g)s har ingen partier.") % {"g": label})
        for letter in letters:
            if letter not in parties:
                raise ValidationError(_("Partiet %(p)s sidder ikke i Kommunalbestyrelsen.") % {"p": letter})
            if letter in seen:
                raise ValidationError(_("Partiet %(p)s er med i to valggrupper.") % {"p": letter})
            seen[letter] = label
    missing = sorted(set(parties) - set(seen))
    if missing:
        raise ValidationError(_("Disse partier mangler en valggruppe: %(p)s.") % {"p": ", ".join(missing)})
    return {label: sum(parties[p] for p in letters) for label, letters in groups.items()}


def default_groups(*, committee: Committee) -> dict[str, list[str]]:
    return {letter: [letter] for letter in council_parties(committee=committee)}


@transaction.atomic
def allocation_preview(*, committee: Committee, groups: dict[str, list[str]], by=None) -> dhondt.Allocation:
    """The allocation for these groups with the committee's lot; a lot shown for the first time is recorded, and the
    same groups show the same lot on every later call."""
    return _allocate_with_lot(committee=committee, groups=groups, by=by)[3]


def _allocate_with_lot(*, committee: Committee, groups: dict[str, list[str]], by):
    """(votes, draw, derived seed, allocation) for these groups with the committee's lot, the lot recorded the
    first time it is shown: the same for a preview and a confirmation, so what is confirmed is what was shown."""
    votes = group_votes(committee=committee, groups=groups)
    draw = lot_draw_current(committee=committee, by=by)
    seed, result = lot_allocate(draw=draw, groups=groups, votes=votes, seats=committee.seats)
    lot_record_shown(draw=draw, groups=groups, votes=votes, seats=committee.seats, result=result, by=by)
    return votes, draw, seed, result


def apply_transfers(seats: dict[str, int], transfers: list[dict]) -> dict[str, int]:
    """A group hands seats to another group that takes them; nothing else moves."""
    final = dict(seats)
    for t in transfers:
        giver, taker, n = t["from"], t["to"], int(t["seats"])
        if giver not in final or taker not in final or giver == taker:
            raise ValidationError(_("En plads kan kun overdrages mellem to forskellige valggrupper."))
        if n < 1 or final[giver] < n:
            raise ValidationError(_("Valggruppen %(g)s har ikke %(n)s pladser at overdrage.") % {"g": giver, "n": n})
        final[giver] -= n
        final[taker] += n
    return final


@transaction.atomic
def allocation_confirm(
    *, committee: Committee, groups: dict[str, list[str]], transfers: list[dict], by, early_ok: bool = False
) -> Allocation:
    """Record the allocation the staff member saw and confirmed, with the committee's lot; its seed is now shown
    with the allocation on the committee page. Before the call's deadline only with ``early_ok``."""
    if not can_manage_recruitment(by):
        raise PermissionDenied
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if not committee.is_recruiting:
        raise ValidationError(_("Pladserne kan kun fordeles, mens udvalget rekrutterer."))
    require_deadline_passed(committee=committee, early_ok=early_ok)
    votes, draw, seed, result = _allocate_with_lot(committee=committee, groups=groups, by=by)
    if draw.revealed_at is None:
        draw.revealed_at = timezone.now()
        draw.save(update_fields=["revealed_at"])
    return allocation_record(
        committee=committee,
        groups=groups,
        votes=votes,
        seed=seed,
        result=result,
        transfers=transfers,
        by=by,
        lot_draw=draw,
    )


def allocation_record(
    *, committee, groups, votes, seed: str, result: dhondt.Allocation, transfers, by, appointed_at=None, lot_draw=None
) -> Allocation:
    """Store an allocation as it was shown: the quotients that won or tied, every lot, and the seed."""
    return Allocation.objects.create(
        committee=committee,
        seats_total=committee.seats,
        groups=groups,
        votes=votes,
        seed=seed,
        seats=result.seats,
        quotients=[
            {
                "group": q.group,
                "divisor": q.divisor,
                "value": f"{q.value.numerator}/{q.value.denominator}",
                "seat": q.seat,
                "by_lot": q.by_lot,
            }
            for q in result.quotients
            if q.seat is not None or q.by_lot or q.divisor == 1
        ],
        lots=[
            {
                "tied": list(lot.tied),
                "value": f"{lot.value.numerator}/{lot.value.denominator}",
                "seats": lot.seats,
                "winners": list(lot.winners),
            }
            for lot in result.lots
        ],
        transfers=transfers,
        final_seats=apply_transfers(result.seats, transfers),
        confirmed_by=by,
        appointed_at=appointed_at,
        lot_draw=lot_draw,
    )


def eligible_politicians(*, allocation: Allocation, group: str):
    """Council members of the group's parties, in the committee's term."""
    return (
        CouncilMembership.objects.filter(term=allocation.committee.term, party__letter__in=allocation.groups[group])
        .select_related("person", "party")
        .order_by("person__name")
    )


def shortlisted_applications(*, committee: Committee):
    return Application.objects.filter(call__committee=committee, status=Application.Status.SHORTLISTED).order_by("name")


@transaction.atomic
def committee_appoint(
    *,
    allocation: Allocation,
    picks: dict[str, dict[str, list[int]]],
    chair: int | None,
    vice_chair: int | None,
    by,
    starts_on=None,
    early_ok: bool = False,
) -> list[CommitteeMembership]:
    """Appoint the members the groups chose: ``picks[group] = {"politicians": [person ids], "citizens":
    [application ids]}``. Seats per group, numbers of politicians and citizens, and the chair and vice-chair
    (council members of the committee) are checked; the committee becomes "nedsat" and everyone who applied
    is told the outcome by email."""
    from ..tasks import send_appointment_result

    if not can_manage_recruitment(by):
        raise PermissionDenied
    allocation = Allocation.objects.select_for_update().select_related("committee").get(pk=allocation.pk)
    committee = allocation.committee
    if allocation.appointed_at or committee.memberships.exists():
        raise ValidationError(_("Udvalgets medlemmer er allerede udpeget."))
    if allocation != committee.allocations.order_by("-confirmed_at").first():
        raise ValidationError(_("Der findes en nyere fordeling af pladserne."))
    require_deadline_passed(committee=committee, early_ok=early_ok)
    # The seats start with the committee (its mandate's period), not on the day staff press the button.
    starts_on = starts_on or committee.starts_on or timezone.localdate()
    errors = []
    rows = []
    chosen_politicians: set[int] = set()
    chosen_applications: set[int] = set()
    shortlisted = {a.pk: a for a in shortlisted_applications(committee=committee)}
    parties = {p.letter: p for p in Party.objects.filter(municipality=committee.term.municipality)}
    for group, seats in allocation.final_seats.items():
        pick = picks.get(group, {})
        politicians = [int(x) for x in pick.get("politicians", [])]
        citizens = [int(x) for x in pick.get("citizens", [])]
        if len(politicians) + len(citizens) != seats:
            errors.append(
                _("Valggruppen %(g)s har %(n)s pladser, men %(m)s er valgt.")
                % {"g": group, "n": seats, "m": len(politicians) + len(citizens)}
            )
        eligible = {cm.person_id: cm for cm in eligible_politicians(allocation=allocation, group=group)}
        for person_id in politicians:
            if person_id not in eligible:
                errors.append(_("En valgt politiker sidder ikke i Kommunalbestyrelsen for %(g)s.") % {"g": group})
            elif person_id in chosen_politicians:
                errors.append(_("Samme politiker er valgt to gange."))
            else:
                chosen_politicians.add(person_id)
                rows.append(("politiker", eligible[person_id].person, eligible[person_id].party, group, None))
        single_party = parties.get(allocation.groups[group][0]) if len(allocation.groups[group]) == 1 else None
        for application_id in citizens:
            if application_id not in shortlisted:
                errors.append(_("Kun indstillede ansøgere kan udpeges."))
            elif application_id in chosen_applications:
                errors.append(_("Samme ansøger er valgt to gange."))
            else:
                chosen_applications.add(application_id)
                rows.append(("borger", None, single_party, group, shortlisted[application_id]))
    n_politicians = sum(1 for r in rows if r[0] == "politiker")
    n_citizens = len(rows) - n_politicians
    if committee.politician_seats is not None and n_politicians != committee.politician_seats:
        errors.append(
            _("Kommissoriet kræver %(n)s politikere; der er valgt %(m)s.")
            % {"n": committee.politician_seats, "m": n_politicians}
        )
    if committee.citizen_seats is not None and n_citizens != committee.citizen_seats:
        errors.append(
            _("Kommissoriet kræver %(n)s borgere; der er valgt %(m)s.")
            % {"n": committee.citizen_seats, "m": n_citizens}
        )
    if chair is None:
        errors.append(_("Vælg en formand blandt de politikere, der udpeges."))
    if vice_chair is None:
        errors.append(_("Vælg en næstformand blandt de politikere, der udpeges."))
    if (
        chair is not None
        and vice_chair is not None
        and (chair == vice_chair or chair not in chosen_politicians or vice_chair not in chosen_politicians)
    ):
        errors.append(_("Formand og næstformand skal være to forskellige af de valgte politikere."))
    if errors:
        raise ValidationError(errors)

    memberships = []
    for kind, person, party, group, application in rows:
        if application is not None:
            person = person_for_citizen(name=application.name, email=application.email)
        role = CommitteeMembership.Role.MEMBER
        if kind == "politiker" and person.pk == chair:
            role = CommitteeMembership.Role.CHAIR
        elif kind == "politiker" and person.pk == vice_chair:
            role = CommitteeMembership.Role.VICE_CHAIR
        memberships.append(
            membership_create(
                committee=committee,
                person=person,
                role=role,
                member_kind=kind,
                party=party,
                seat_group=group,
                starts_on=starts_on,
            )
        )
    # Row by row, not with update(): each applicant's outcome is a change the audit log records with who made it.
    for application in Application.objects.filter(call__committee=committee).select_for_update():
        outcome = Application.Status.APPOINTED if application.pk in chosen_applications else None
        outcome = outcome or Application.Status.NOT_APPOINTED
        if application.status != outcome:
            application.status = outcome
            application.save(update_fields=["status"])
    allocation.appointed_at = timezone.now()
    allocation.save(update_fields=["appointed_at"])
    if committee.status == Committee.Status.MANDATE_APPROVED:
        task_committee_set_status(committee=committee, status=Committee.Status.RECRUITING)
        committee.refresh_from_db()
    task_committee_set_status(committee=committee, status=Committee.Status.ESTABLISHED)
    application_ids = list(Application.objects.filter(call__committee=committee).values_list("pk", flat=True))
    outbox_enqueue_many(
        task=send_appointment_result, calls=[([pk], f"appointment-result:{pk}") for pk in application_ids]
    )
    return memberships


@transaction.atomic
def membership_vacate(
    *,
    membership: CommitteeMembership,
    ends_on,
    replacement: Person | None = None,
    replacement_application: Application | None = None,
    by,
) -> CommitteeMembership | None:
    """A member leaves; the seat stays with the same group (KSL §28), and staff record who replaces them: a
    council member of the group for a politician's seat, another applicant for a citizen's seat."""
    if not can_manage_recruitment(by):
        raise PermissionDenied
    if replacement_application is not None:
        if membership.member_kind != CommitteeMembership.MemberKind.CITIZEN:
            raise ValidationError({"replacement": _("En politikers plads besættes af et medlem af valggruppen.")})
        replacement = person_for_citizen(name=replacement_application.name, email=replacement_application.email)
        replacement_application.status = Application.Status.APPOINTED
        replacement_application.save(update_fields=["status"])
    if membership.ends_on and membership.ends_on < ends_on:
        raise ValidationError({"ends_on": _("Medlemmet er allerede udtrådt.")})
    membership.ends_on = ends_on
    membership.full_clean()
    membership.save(update_fields=["ends_on", "modified_at"])
    if replacement is None:
        return None
    if membership.member_kind == CommitteeMembership.MemberKind.POLITICIAN:
        allocation = membership.committee.allocations.order_by("-confirmed_at").first()
        letters = (
            allocation.groups.get(membership.seat_group, [])
            if allocation
            else ([membership.party.letter] if membership.party else [])
        )
        ok = CouncilMembership.objects.filter(
            term=membership.committee.term, person=replacement, party__letter__in=letters
        ).exists()
        if not ok:
            raise ValidationError(
                {
                    "replacement": _("Afløseren skal være medlem af Kommunalbestyrelsen for %(g)s.")
                    % {"g": membership.seat_group or (membership.party.letter if membership.party else "–")}
                }
            )
    return membership_create(
        committee=membership.committee,
        person=replacement,
        role=CommitteeMembership.Role.MEMBER if membership.member_kind == "borger" else membership.role,
        member_kind=membership.member_kind,
        party=membership.party,
        seat_group=membership.seat_group,
        starts_on=ends_on,
        replaces=membership,
    )


def vacancies_open(*, committee: Committee):
    return committee.memberships.filter(Q(ends_on__isnull=False) & Q(replaced_by__isnull=True))
