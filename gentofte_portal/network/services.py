"""Join (double opt-in, or at once from a link that proves the address), update, renew, export, delete; invite
members; and the daily housekeeping of consent: a reminder NETWORK_REMINDER_DAYS before it lapses, removal when it
has lapsed, deletion of signups never confirmed.

Guarantees: nobody is in the network, or searched, before they confirmed their address and gave consent; every
email is recorded in the outbox in the transaction of the change and sent after commit; a member's data is deleted
at once when they ask, and when their consent lapses.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Committee, CommitteeMembership
from gentofte_portal.outbox.services import outbox_enqueue, outbox_enqueue_many
from recruitment.models import DISTRICTS

from .models import Invitation, Member

DISTRICT_KEYS = {key for key, _label in DISTRICTS}


def _validate(*, name: str, district: str, consent: bool | None = True) -> dict:
    errors = {}
    if not name.strip():
        errors["name"] = _("Skriv dit navn.")
    if district not in DISTRICT_KEYS:
        errors["district"] = _("Vælg din bydel.")
    if consent is not None and not consent:
        errors["consent"] = _("Du skal give dit samtykke for at blive en del af netværket.")
    return errors


def _fill(member: Member, *, name, district, competences, interests) -> None:
    member.name = name.strip()
    member.district = district
    member.full_clean()
    member.save()
    member.competences.set(competences)
    member.interests.set(interests)


@transaction.atomic
def network_signup_request(
    *, name: str, email: str, district: str, competences, interests, consent: bool, now=None
) -> Member:
    """The public signup: the person is stored unconfirmed and gets a link to confirm. An address already in the
    network gets its private link instead, and nothing changes: nobody can change another person's data by
    knowing their address."""
    from .tasks import send_already_member, send_confirmation

    now = now or timezone.now()
    errors = _validate(name=name, district=district, consent=consent)
    if errors:
        raise ValidationError(errors)
    email = email.strip().lower()
    try:
        with transaction.atomic():
            member, _created = Member.objects.select_for_update().get_or_create(
                email=email, defaults={"name": name.strip(), "district": district, "requested_at": now}
            )
    except IntegrityError:  # a second signup for the same address raced this one
        member = Member.objects.select_for_update().get(email=email)
    if member.is_confirmed:
        outbox_enqueue(task=send_already_member, args=[member.pk])
        return member
    member.requested_at = now
    member.source = Member.Source.SIGNUP
    _fill(member, name=name, district=district, competences=competences, interests=interests)
    outbox_enqueue(task=send_confirmation, args=[member.pk])
    return member


@transaction.atomic
def network_confirm(*, member: Member, now=None) -> Member:
    """The link in the email was followed: the address is proven and the consent starts now."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.is_confirmed:
        member.consent_at = now or timezone.now()
        member.reminded_at = None
        member.save(update_fields=["consent_at", "reminded_at"])
    return member


@transaction.atomic
def network_join(
    *, name: str, email: str, district: str, competences, interests, consent: bool, source: str, now=None
) -> Member:
    """Join from a signed link that already proves the address (an applicant's private page, or the invitation
    sent when a committee ended): the member is confirmed at once, and a member already in the network has their
    choices updated and their consent renewed."""
    now = now or timezone.now()
    errors = _validate(name=name, district=district, consent=consent)
    if errors:
        raise ValidationError(errors)
    email = email.strip().lower()
    member = Member.objects.select_for_update().filter(email=email).first() or Member(email=email, source=source)
    member.consent_at = now
    member.reminded_at = None
    _fill(member, name=name, district=district, competences=competences, interests=interests)
    return member


@transaction.atomic
def member_update(*, member: Member, name: str, district: str, competences, interests) -> Member:
    errors = _validate(name=name, district=district, consent=None)
    if errors:
        raise ValidationError(errors)
    _fill(member, name=name, district=district, competences=competences, interests=interests)
    return member


@transaction.atomic
def member_renew(*, member: Member, now=None) -> Member:
    """The member renews their consent (from the reminder, or their page): two more years from now."""
    member.consent_at = now or timezone.now()
    member.reminded_at = None
    member.save(update_fields=["consent_at", "reminded_at"])
    return member


@transaction.atomic
def member_delete(*, member: Member) -> None:
    """Everything about the member (their invitations too) is deleted at once."""
    Member.objects.filter(pk=member.pk).delete()


def member_export(*, member: Member) -> dict:
    """Everything stored about the member, as they may ask for it (GDPR art. 15 and 20)."""
    invitations = member.invitations.select_related("call").order_by("created_at", "pk")
    return {
        "navn": member.name,
        "e-mail": member.email,
        "bydel": member.get_district_display(),
        "kompetencer": [c.name for c in member.competences.order_by("position", "name")],
        "interesser": [i.name for i in member.interests.order_by("position", "name")],
        "kilde": member.get_source_display(),
        "tilmeldt": member.requested_at.isoformat(),
        "samtykke_givet": member.consent_at.isoformat() if member.consent_at else None,
        "samtykke_udløber": member.consent_expires_at.isoformat() if member.consent_at else None,
        "påmindelse_sendt": member.reminded_at.isoformat() if member.reminded_at else None,
        "invitationer": [
            {
                "type": i.get_kind_display(),
                "opslag": i.call.title if i.call else None,
                "opgave": i.task,
                "sendt": i.created_at.isoformat(),
                "afslået": i.declined_at.isoformat() if i.declined_at else None,
            }
            for i in invitations
        ],
    }


@transaction.atomic
def invitation_decline(*, member: Member, invitation_id: int, now=None) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id, member=member).first()
    if invitation is None:
        raise ValidationError(_("Invitationen findes ikke."))
    if invitation.declined_at is None:
        invitation.declined_at = now or timezone.now()
        invitation.save(update_fields=["declined_at"])
    return invitation


# --- Staff ------------------------------------------------------------------------------------------------------------


def members_log_access(*, members: list[Member], by) -> None:
    """The Sekretariat saw these members' data in a search: one access entry per member in the audit log, named by
    id only (GDPR art. 5(2), as recruitment logs who viewed an application). One INSERT, however many members."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if not members:
        return
    content_type = ContentType.objects.get_for_model(Member)
    now = timezone.now()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(m.pk),
                object_id=m.pk,
                object_repr=str(m),
                action=LogEntry.Action.ACCESS,
                changes_text="",
                actor=by,
                timestamp=now,
            )
            for m in members
        ]
    )


@transaction.atomic
def network_invite(*, member_ids: list[int], kind: str, call=None, task: str = "", by, now=None) -> list[Invitation]:
    """Invite the chosen members by email, to apply to a call or to a sparring task. Each invitation is a row
    (the member sees it and may decline; the audit log records who sent it) and an email sent after commit."""
    from .tasks import send_invitation

    now = now or timezone.now()
    task = task.strip()
    errors = {}
    if kind not in Invitation.Kind.values:
        errors["kind"] = _("Vælg hvad du inviterer til.")
    elif kind == Invitation.Kind.CALL and call is None:
        errors["call"] = _("Vælg opslaget, du inviterer til.")
    elif kind == Invitation.Kind.SPARRING and not task:
        errors["task"] = _("Beskriv sparringsopgaven.")
    members = list(Member.objects.filter(pk__in=member_ids, consent_at__isnull=False).order_by("pk"))
    if not members:
        errors["members"] = _("Vælg mindst ét medlem.")
    if errors:
        raise ValidationError(errors)
    invitations = []
    for member in members:
        # One by one, not bulk_create: the audit log records each save.
        invitation = Invitation(
            member=member,
            kind=kind,
            call=call if kind == Invitation.Kind.CALL else None,
            task=task if kind == Invitation.Kind.SPARRING else "",
            sent_by=by,
            created_at=now,
        )
        invitation.full_clean()
        invitation.save()
        invitations.append(invitation)
    outbox_enqueue_many(task=send_invitation, calls=[([i.pk], f"network.invitation:{i.pk}") for i in invitations])
    return invitations


# --- Committees that end ----------------------------------------------------------------------------------------------


def committee_closed_invite(*, committee: Committee) -> int:
    """In the transaction that closes the committee (committees.signals): an invitation to join the network for each
    citizen member with an address, sent after commit. Returns how many."""
    from .tasks import send_join_invitation

    people = list(
        CommitteeMembership.objects.filter(committee=committee, member_kind=CommitteeMembership.MemberKind.CITIZEN)
        .exclude(person__email="")
        .values_list("person_id", flat=True)
        .distinct()
        .order_by("person_id")
    )
    outbox_enqueue_many(
        task=send_join_invitation,
        calls=[([committee.pk, person_id], f"network.join:{committee.pk}:{person_id}") for person_id in people],
    )
    return len(people)


# --- Housekeeping (beat, daily) ---------------------------------------------------------------------------------------


def network_housekeeping(*, now=None) -> dict:
    """Delete signups not confirmed in time, remove members whose consent has lapsed, and remind those whose consent
    lapses within NETWORK_REMINDER_DAYS (once per consent)."""
    from .tasks import send_reminder

    now = now or timezone.now()
    consent = dt.timedelta(days=settings.NETWORK_CONSENT_DAYS)
    with transaction.atomic():
        _t, unconfirmed = Member.objects.filter(
            consent_at__isnull=True, requested_at__lt=now - dt.timedelta(hours=settings.NETWORK_CONFIRM_HOURS)
        ).delete()
        _t, expired = Member.objects.filter(consent_at__lt=now - consent).delete()
        due = list(
            Member.objects.select_for_update()
            .filter(
                consent_at__lt=now - consent + dt.timedelta(days=settings.NETWORK_REMINDER_DAYS),
                reminded_at__isnull=True,
            )
            .values_list("pk", flat=True)
        )
        Member.objects.filter(pk__in=due).update(reminded_at=now)
        outbox_enqueue_many(task=send_reminder, calls=[([pk], None) for pk in due])
    label = Member._meta.label
    return {"unconfirmed": unconfirmed.get(label, 0), "expired": expired.get(label, 0), "reminded": len(due)}
