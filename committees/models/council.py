"""The council and its committees, per electoral term (valgperiode).

One ``Committee`` table holds both standing committees (stående udvalg) and task committees (opgaveudvalg,
Kommunestyrelsesloven §17 stk. 4); ``StandingCommittee`` and ``TaskCommittee`` are proxies that filter by kind,
so meetings and memberships can point at either.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gentofte_portal.common.models import Timestamped


def _private_storage():
    from gentofte_portal.common.storage import private_storage

    return private_storage()


class Municipality(Timestamped):
    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnavn"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return self.name


class Term(Timestamped):
    """An electoral term (valgperiode): a council sits for one, and committees are set up within one."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="terms")
    slug = models.SlugField(_("kortnavn"), max_length=20, help_text=_("F.eks. 2018-2021"))
    starts_on = models.DateField(_("begynder"))
    ends_on = models.DateField(_("slutter"))

    class Meta:
        verbose_name = _("valgperiode")
        verbose_name_plural = _("valgperioder")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="term_unique_slug"),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.starts_on.year}–{self.ends_on.year}"

    @property
    def label(self):
        return str(self)


class Party(Timestamped):
    """A list in the council (kandidatliste), known by its letter."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="parties")
    letter = models.CharField(_("listebogstav"), max_length=3)
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        verbose_name = _("parti")
        verbose_name_plural = _("partier")
        ordering = ["letter"]
        constraints = [models.UniqueConstraint(fields=["municipality", "letter"], name="party_unique_letter")]

    def __str__(self):
        return f"{self.letter} – {self.name}"


class Person(Timestamped):
    """A person who sits in the council or a committee: a politician, or a citizen appointed to a task committee."""

    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("brugerkonto"),
        help_text=_("Politikerens login, så de kan læse kladder og kommentere i deres udvalg."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CouncilMembership(Timestamped):
    """A seat in the municipal council (Kommunalbestyrelsen) for one term, for one party."""

    class Role(models.TextChoices):
        MAYOR = "borgmester", _("Borgmester")
        DEPUTY_MAYOR = "viceborgmester", _("Viceborgmester")
        MEMBER = "medlem", _("Medlem")

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="council_memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="council_memberships")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="council_memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("medlem af kommunalbestyrelsen")
        verbose_name_plural = _("medlemmer af kommunalbestyrelsen")
        ordering = ["term", "party__letter", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "person"], name="council_membership_once_per_term"),
            models.UniqueConstraint(
                fields=["term"], condition=models.Q(role="borgmester"), name="council_one_mayor_per_term"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.party.letter}), {self.term}"


class Committee(Timestamped):
    class Kind(models.TextChoices):
        STANDING = "staaende", pgettext_lazy("one committee", "Stående udvalg")
        TASK = "opgave", pgettext_lazy("one committee", "Opgaveudvalg")

    class Status(models.TextChoices):
        """The life of a task committee, in order."""

        PROPOSED = "forslag", _("Forslag")
        MANDATE_APPROVED = "kommissorium_godkendt", _("Kommissorium godkendt")
        RECRUITING = "rekruttering", _("Rekruttering")
        ESTABLISHED = "nedsat", _("Nedsat")
        CLOSED = "afsluttet", _("Afsluttet")

    # While a task committee may still recruit: calls take applications, seats are allocated and appointed.
    RECRUITING_STATUSES = (Status.MANDATE_APPROVED, Status.RECRUITING)

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn"), max_length=200, unique=True)
    purpose = models.TextField(_("formål"), blank=True)
    seats = models.PositiveSmallIntegerField(_("antal medlemmer"))
    politician_seats = models.PositiveSmallIntegerField(_("heraf politikere"), null=True, blank=True)
    citizen_seats = models.PositiveSmallIntegerField(_("heraf borgere"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, blank=True)
    starts_on = models.DateField(_("begynder"), null=True, blank=True)
    ends_on = models.DateField(_("slutter"), null=True, blank=True)
    proposed_by = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="proposed_task_committees",
        limit_choices_to={"kind": "staaende"},
        verbose_name=_("foreslået af"),
        help_text=_("De stående udvalg, der har foreslået opgaveudvalget."),
    )

    class Meta:
        verbose_name = _("udvalg")
        verbose_name_plural = _("udvalg")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="committee_unique_name_per_term"),
            models.CheckConstraint(
                condition=models.Q(kind="staaende", status="") | models.Q(kind="opgave") & ~models.Q(status=""),
                name="committee_status_only_for_task",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_recruiting(self) -> bool:
        return self.status in self.RECRUITING_STATUSES

    @property
    def is_task_committee(self):
        return self.kind == self.Kind.TASK

    def clean(self):
        if self.kind == self.Kind.TASK and not self.status:
            self.status = self.Status.PROPOSED
        if self.kind == self.Kind.STANDING:
            self.status = ""
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Slutdatoen skal ligge efter startdatoen.")})
        if self.politician_seats is not None and self.citizen_seats is not None:
            if self.politician_seats + self.citizen_seats != self.seats:
                raise ValidationError({"seats": _("Antal medlemmer skal være summen af politikere og borgere.")})


class StandingCommitteeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Committee.Kind.STANDING)


class TaskCommitteeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Committee.Kind.TASK)


class StandingCommittee(Committee):
    """A permanent committee of council members (stående udvalg); it follows its area and proposes task committees."""

    objects = StandingCommitteeManager()

    class Meta:
        proxy = True
        verbose_name = _("stående udvalg")
        verbose_name_plural = _("stående udvalg")

    def save(self, *args, **kwargs):
        self.kind = Committee.Kind.STANDING
        super().save(*args, **kwargs)


class TaskCommittee(Committee):
    """A temporary, advisory committee of politicians and citizens (opgaveudvalg, KSL §17 stk. 4)."""

    objects = TaskCommitteeManager()

    class Meta:
        proxy = True
        verbose_name = _("opgaveudvalg")
        verbose_name_plural = _("opgaveudvalg")

    def save(self, *args, **kwargs):
        self.kind = Committee.Kind.TASK
        self.status = self.status or Committee.Status.PROPOSED
        super().save(*args, **kwargs)


class CommitteeMembership(Timestamped):
    """A seat in a committee. ``party`` is the group whose seat it is: in Gentofte all members, citizens too,
    are appointed under one D'Hondt allocation among the council's groups, and a vacancy goes to the same group
    (KSL §28)."""

    class Role(models.TextChoices):
        CHAIR = "formand", _("Formand")
        VICE_CHAIR = "naestformand", _("Næstformand")
        MEMBER = "medlem", _("Medlem")

    class MemberKind(models.TextChoices):
        POLITICIAN = "politiker", _("Politiker")
        CITIZEN = "borger", _("Borger")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="committee_memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    member_kind = models.CharField(_("medlemstype"), max_length=10, choices=MemberKind.choices)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
        null=True,
        blank=True,
        verbose_name=_("parti/valggruppe"),
    )
    starts_on = models.DateField(_("fra"), null=True, blank=True)
    ends_on = models.DateField(_("til"), null=True, blank=True)
    # The D'Hondt group whose seat this is ("C", or a valggruppe such as "A+F"); a vacancy goes to the same group.
    seat_group = models.CharField(_("valggruppe"), max_length=50, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("afløser for"),
    )

    class Meta:
        verbose_name = _("udvalgsmedlem")
        verbose_name_plural = _("udvalgsmedlemmer")
        ordering = ["committee", "role", "member_kind", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "person", "starts_on"], name="committee_membership_unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(role="medlem") | models.Q(member_kind="politiker"),
                name="committee_chair_is_politician",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.committee}"

    def clean(self):
        if self.role != self.Role.MEMBER and self.member_kind != self.MemberKind.POLITICIAN:
            # Gentofte's styrelsesvedtægt: chair and vice-chair are chosen among the council members.
            raise ValidationError({"role": _("Formand og næstformand skal være medlemmer af kommunalbestyrelsen.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Slutdatoen skal ligge efter startdatoen.")})


class Deliverable(Timestamped):
    """A numbered result (leverance) a task committee hands over to the council. The meeting item that approved it
    is recorded on the meetings side (meetings.DeliverableApproval): the core holds no reference to meetings."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="deliverables")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beskrivelse"), blank=True)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    handed_over_on = models.DateField(_("afleveret til Kommunalbestyrelsen"), null=True, blank=True)
    file = models.FileField(_("fil"), storage=_private_storage, upload_to="leverancer/", blank=True, max_length=300)

    class Meta:
        verbose_name = _("leverance")
        verbose_name_plural = _("leverancer")
        ordering = ["committee", "number"]
        constraints = [models.UniqueConstraint(fields=["committee", "number"], name="deliverable_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"
