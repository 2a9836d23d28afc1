"""The members' evaluation of a task committee that has ended (issue 16, part 2).

Anonymity: an Answer holds the survey, whether a politician or a citizen answered, the choices and the free text,
and nothing that leads back to the invitation or the person (no foreign key, no time, a random primary key so the
order of rows says nothing). The Invitation keeps only whether it was answered, and the day, for reminders.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, CommitteeMembership, Person

from .defaults import Choice


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "kladde", _("Kladde")
        SENT = "sendt", _("Sendt")

    committee = models.OneToOneField(
        Committee, on_delete=models.CASCADE, related_name="evaluation_survey", verbose_name=_("udvalg")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Set when staff publish the summary: the public committee page shows it (still only with enough answers).
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluering")
        verbose_name_plural = _("evalueringer")

    def __str__(self):
        return f"Evaluering: {self.committee}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Statement(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("udsagn"), max_length=300)

    class Meta:
        verbose_name = _("udsagn")
        verbose_name_plural = _("udsagn")
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.text


class Invitation(models.Model):
    """One member's personal link. Knows whether it was answered, never what."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    member_kind = models.CharField(_("medlemstype"), max_length=10, choices=CommitteeMembership.MemberKind.choices)
    # Signed into the link (tokens.py); never shown otherwise.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    answered = models.BooleanField(_("har svaret"), default=False)
    answered_on = models.DateField(null=True, blank=True)  # the day only
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="evaluation_invitation_once")]

    def __str__(self):  # never the person: this is what logs would show
        return f"Invitation {self.pk}"


class Answer(models.Model):
    """One member's anonymous answer: deliberately without a link to the invitation, the person or a time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    member_kind = models.CharField(_("medlemstype"), max_length=10, choices=CommitteeMembership.MemberKind.choices)
    free_text = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")

    def __str__(self):
        return "Svar"


class AnswerItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="items")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="answer_items")
    choice = models.CharField(max_length=15, choices=Choice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "statement"], name="evaluation_item_once")]

    def __str__(self):
        return self.choice
