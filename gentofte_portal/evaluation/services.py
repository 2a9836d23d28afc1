"""Create, edit, send and remind; take an answer; publish the summary.

Rules: a survey is made (in draft, with the default statements) when its task committee ends; statements change
only while it is a draft; sending invites each member once and schedules the emails in the outbox, after commit;
an invitation is answered once, and the answer is stored with nothing that leads back to it (models.py).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Committee, CommitteeMembership
from gentofte_portal.outbox.services import outbox_enqueue_many

from .defaults import DEFAULT_STATEMENTS, Choice
from .models import Answer, AnswerItem, Invitation, Statement, Survey


class AlreadyAnswered(Exception):
    """The link was used already: an invitation is answered once."""


def survey_create(*, committee: Committee) -> Survey:
    """Called in the transaction that closes the committee (receivers.py); a second close finds the same survey."""
    survey, created = Survey.objects.get_or_create(committee=committee)
    if created:
        Statement.objects.bulk_create(
            [Statement(survey=survey, position=i, text=text) for i, text in enumerate(DEFAULT_STATEMENTS, start=1)]
        )
    return survey


def _require_draft(survey: Survey) -> None:
    if not survey.is_draft:
        raise ValidationError(_("Evalueringen er sendt; udsagnene kan ikke længere ændres."))


def _clean_text(text: str) -> str:
    return " ".join((text or "").split())


@transaction.atomic
def survey_statements_update(*, survey: Survey, texts: dict[int, str], new: list[str]) -> Survey:
    """``texts``: statement id -> new text (an empty text deletes it); ``new``: statements to add at the end."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    statements = {s.pk: s for s in survey.statements.all()}
    for pk, text in texts.items():
        statement = statements.get(pk)
        if statement is None:
            continue
        text = _clean_text(text)
        if not text:
            statement.delete()
            del statements[pk]
        elif text != statement.text:
            statement.text = text
            statement.full_clean()
            statement.save(update_fields=["text"])
    position = max([s.position for s in statements.values()], default=0)
    for text in filter(None, map(_clean_text, new)):
        position += 1
        statement = Statement(survey=survey, position=position, text=text)
        statement.full_clean()
        statement.save()
        statements[statement.pk] = statement
    if not statements:
        raise ValidationError(_("Evalueringen skal have mindst ét udsagn."))
    return survey


def _members(committee: Committee) -> dict[int, str]:
    """person id -> kind, for everyone who sat in the committee (a politician's seat wins over a citizen's)."""
    kinds: dict[int, str] = {}
    for person_id, kind in CommitteeMembership.objects.filter(committee=committee).values_list(
        "person_id", "member_kind"
    ):
        if kinds.get(person_id) != CommitteeMembership.MemberKind.POLITICIAN:
            kinds[person_id] = kind
    return kinds


@transaction.atomic
def survey_send(*, survey: Survey, now=None) -> int:
    """Invite every member with an email address; returns how many were invited."""
    from .tasks import send_invitation

    survey = Survey.objects.select_for_update().select_related("committee").get(pk=survey.pk)
    if not survey.is_draft:
        raise ValidationError(_("Evalueringen er allerede sendt."))
    if not survey.statements.exists():
        raise ValidationError(_("Evalueringen skal have mindst ét udsagn."))
    members = _members(survey.committee)
    with_email = set(
        CommitteeMembership.objects.filter(committee=survey.committee, person__email__gt="").values_list(
            "person_id", flat=True
        )
    )
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(survey=survey, person_id=person_id, member_kind=kind)
            for person_id, kind in sorted(members.items())
            if person_id in with_email
        ]
    )
    if not invitations:
        raise ValidationError(_("Ingen af udvalgets medlemmer har en e-mailadresse."))
    invitations = list(Invitation.objects.filter(survey=survey).order_by("pk"))
    survey.status = Survey.Status.SENT
    survey.sent_at = now or timezone.now()
    survey.save(update_fields=["status", "sent_at"])
    outbox_enqueue_many(task=send_invitation, calls=[([i.pk, False], f"evaluation.invite:{i.pk}") for i in invitations])
    return len(invitations)


@transaction.atomic
def survey_remind(*, survey: Survey, now=None) -> int:
    """Remind those who have not answered; returns how many."""
    from .tasks import send_invitation

    now = now or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_draft:
        raise ValidationError(_("Evalueringen er ikke sendt endnu."))
    waiting = list(survey.invitations.filter(answered=False).order_by("pk"))
    Invitation.objects.filter(pk__in=[i.pk for i in waiting]).update(reminded_at=now)
    survey.reminded_at = now
    survey.save(update_fields=["reminded_at"])
    stamp = int(now.timestamp())
    outbox_enqueue_many(
        task=send_invitation, calls=[([i.pk, True], f"evaluation.remind:{i.pk}:{stamp}") for i in waiting]
    )
    return len(waiting)


def surveys_remind_due(*, now=None) -> int:
    """One automatic reminder per survey, EVALUATION_REMINDER_DAYS after it was sent, unless staff have reminded
    already (run daily by beat). Returns how many members were reminded."""
    days = settings.EVALUATION_REMINDER_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    due = Survey.objects.filter(
        status=Survey.Status.SENT, reminded_at__isnull=True, sent_at__lte=now - dt.timedelta(days=days)
    ).order_by("pk")
    return sum(survey_remind(survey=survey, now=now) for survey in due)


@transaction.atomic
def answer_submit(*, invitation: Invitation, choices: dict[int, str], free_text: str = "") -> None:
    """Store the answer without any link to the invitation, and mark the invitation answered (the day only)."""
    invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    if invitation.answered:
        raise AlreadyAnswered
    statements = list(invitation.survey.statements.values_list("pk", flat=True))
    if set(choices) != set(statements) or not all(c in Choice.values for c in choices.values()):
        raise ValidationError(_("Svar på alle udsagn."))
    answer = Answer.objects.create(
        survey=invitation.survey, member_kind=invitation.member_kind, free_text=(free_text or "").strip()[:5000]
    )
    AnswerItem.objects.bulk_create(
        [AnswerItem(answer=answer, statement_id=pk, choice=choices[pk]) for pk in statements]
    )
    invitation.answered = True
    invitation.answered_on = timezone.localdate()
    invitation.save(update_fields=["answered", "answered_on"])


@transaction.atomic
def survey_publish(*, survey: Survey, publish: bool, now=None) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if publish and survey.is_draft:
        raise ValidationError(_("Evalueringen er ikke sendt endnu."))
    survey.published_at = (now or timezone.now()) if publish else None
    survey.save(update_fields=["published_at"])
    return survey


__all__ = [
    "AlreadyAnswered",
    "answer_submit",
    "survey_create",
    "survey_publish",
    "survey_remind",
    "survey_send",
    "survey_statements_update",
    "surveys_remind_due",
]
