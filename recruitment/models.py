"""Recruitment of task committee members: calls (opslag), citizens' applications, and the D'Hondt allocation.

Applicants' personal data serves this recruitment only (GDPR art. 5(1)(b,c,e)): it is shown only to the call's
caseworkers, every view is logged, withdrawn applications are deleted at once, and applications not chosen are
deleted a set number of days after the appointment (settings.RECRUITMENT_RETENTION_DAYS), keeping only counts.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

# Gentofte's districts (bydele), as the municipality uses them in planning.
DISTRICTS = [
    ("charlottenlund", "Charlottenlund"),
    ("dyssegaard", "Dyssegård"),
    ("gentofte", "Gentofte"),
    ("hellerup", "Hellerup"),
    ("jaegersborg", "Jægersborg"),
    ("klampenborg", "Klampenborg"),
    ("ordrup", "Ordrup"),
    ("skovshoved", "Skovshoved"),
    ("vangede", "Vangede"),
    ("udenfor", _("Bor uden for Gentofte Kommune")),
]


class Gender(models.TextChoices):
    WOMAN = "kvinde", _("Kvinde")
    MAN = "mand", _("Mand")
    OTHER = "andet", _("Andet")
    UNDISCLOSED = "ikke_oplyst", _("Ønsker ikke at oplyse")


class Call(models.Model):
    """A public call for applications (opslag) to a task committee."""

    committee = models.ForeignKey("committees.Committee", on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("titel"), max_length=300)
    text = models.TextField(_("tekst"), blank=True)
    text_html = models.TextField(blank=True, editable=False)
    competences = models.JSONField(_("ønskede kompetencer"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("mindstealder"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("højeste alder"), null=True, blank=True)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    deadline = models.DateTimeField(_("ansøgningsfrist"))
    caseworkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="recruitment_calls",
        verbose_name=_("sagsbehandlere"),
        help_text=_("Medarbejdere, der må se ansøgningerne."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Counts kept when the applications are deleted after the appointment (data minimisation).
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    purged_counts = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("opslag")
        verbose_name_plural = _("opslag")
        ordering = ["deadline"]

    def __str__(self):
        return self.title

    @property
    def age_range_text(self) -> str:
        """The mandate's age range in words, or "" when there is none."""
        if self.age_min is not None and self.age_max is not None:
            return _("Opgaveudvalget søger borgere mellem %(a)s og %(b)s år.") % {"a": self.age_min, "b": self.age_max}
        if self.age_min is not None:
            return _("Opgaveudvalget søger borgere på mindst %(a)s år.") % {"a": self.age_min}
        if self.age_max is not None:
            return _("Opgaveudvalget søger borgere på højst %(b)s år.") % {"b": self.age_max}
        return ""

    @property
    def deadline_year(self) -> int:
        """The year of the deadline in Danish time: ages are counted by the year the applicant turns that age."""
        return timezone.localtime(self.deadline).year

    def is_open(self, now=None) -> bool:
        """Takes applications: published, before the deadline, and only while its committee recruits (once the
        members are appointed, "nedsat", no receipt may promise a chance of a seat, whatever the deadline says)."""
        now = now or timezone.now()
        return (
            self.published_at is not None and self.published_at <= now < self.deadline and self.committee.is_recruiting
        )

    @property
    def closed_because_appointed(self) -> bool:
        return not self.committee.is_recruiting


class Application(models.Model):
    """A citizen's application to a call. Personal data: see the module docstring for who sees it and how long."""

    class Status(models.TextChoices):
        RECEIVED = "modtaget", _("Modtaget")
        SHORTLISTED = "indstillet", _("Indstillet")
        APPOINTED = "udpeget", _("Udpeget")
        NOT_APPOINTED = "ikke_udpeget", _("Ikke udpeget")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    # The private link's identifier: random, and signed in the link (recruitment.tokens).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(
        _("telefon"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ]{8,16}$", _("Skriv et telefonnummer med 8 cifre, fx 39 98 00 00."))],
    )
    postcode = models.CharField(
        _("postnummer"), max_length=4, validators=[RegexValidator(r"^[0-9]{4}$", _("Et postnummer har fire cifre."))]
    )
    district = models.CharField(_("bydel"), max_length=20, choices=DISTRICTS)
    birth_year = models.PositiveSmallIntegerField(_("fødselsår"))
    gender = models.CharField(_("køn"), max_length=20, choices=Gender.choices, blank=True)
    competences = models.JSONField(_("kompetencer"), default=list, blank=True)
    motivation = models.TextField(_("motivation"), validators=[MaxLengthValidator(3000)])
    consent_at = models.DateTimeField(_("samtykke givet"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    shortlist_reason = models.TextField(_("begrundelse for indstilling"), blank=True, max_length=2000)
    shortlisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deletion_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ansøgning")
        verbose_name_plural = _("ansøgninger")
        ordering = ["created_at"]
        constraints = [
            # One application per person per call; emails are stored lower-cased (services.application_submit).
            models.UniqueConstraint(fields=["call", "email"], name="application_once_per_email"),
        ]

    def __str__(self):
        # No name here: this text is kept in the audit log, which outlives the application.
        return _("Ansøgning nr. %(pk)s til %(call)s") % {"pk": self.pk, "call": self.call}

    @property
    def choice_label(self) -> str:
        """The applicant in a list to choose from, told apart from a namesake by district and year of birth (only
        caseworkers see these lists)."""
        return f"{self.name} ({self.get_district_display()}, f. {self.birth_year})"

    def age_in(self, year: int) -> int:
        return year - self.birth_year


class ApplicationView(models.Model):
    """Who looked at which application, and when: access to personal data is logged (GDPR art. 5(2))."""

    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, related_name="views")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="application_views")
    application_name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40, default="vist")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("visning af ansøgning")
        verbose_name_plural = _("visninger af ansøgninger")

    def __str__(self):
        return f"{self.user} {self.action} {self.application_name} {self.at:%d-%m-%Y %H:%M}"


class LotDraw(models.Model):
    """The lot (lodtrækning) of a committee's D'Hondt allocation, drawn once.

    A secret seed is made, and its SHA-256 (``commitment``) published on the call and the committee page, before
    anyone knows the groups or the tie: the seed is then shown with the allocation, so anyone can check that it is
    the one committed to and replay the draw. Every outcome staff are shown is recorded in ``results`` the moment it
    is first shown, so a later "Beregn" with the same groups shows the same lot. A new draw needs a written reason;
    the old one stays (superseded, its seed shown) for staff, the audit log and the public.
    """

    committee = models.ForeignKey("committees.Committee", on_delete=models.CASCADE, related_name="lot_draws")
    number = models.PositiveSmallIntegerField(_("lodtrækning nr."))
    seed = models.CharField(_("seed"), max_length=64)
    commitment = models.CharField(_("kontrolværdi (SHA-256 af seed)"), max_length=64)
    reason = models.TextField(_("begrundelse for ny lodtrækning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the draw decided for each set of groups it was shown for: groups, votes, seats, lots, who and when.
    results = models.JSONField(_("udfald"), default=list, blank=True)
    revealed_at = models.DateTimeField(_("seed offentliggjort"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("erstattet"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["committee", "number"]
        verbose_name = _("lodtrækning")
        verbose_name_plural = _("lodtrækninger")
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="lot_draw_number_once"),
            models.UniqueConstraint(
                fields=["committee"], condition=models.Q(superseded_at__isnull=True), name="lot_draw_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.committee}: lodtrækning {self.number}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def lots_shown(self) -> list[dict]:
        """The recorded outcomes with a lot, each with ``shown`` as a datetime for display."""
        return [{**r, "shown": parse_datetime(r["shown_at"])} for r in self.results if r.get("lots")]


class Allocation(models.Model):
    """A D'Hondt allocation of a task committee's seats among the council's groups, with its lot recorded.

    ``groups`` maps each group label to its parties (a valggruppe has several); ``votes`` is each group's number of
    council members; ``seed`` makes the draw repeatable: allocate(votes, seats, random.Random(seed)) gives the
    same result.
    """

    committee = models.ForeignKey("committees.Committee", on_delete=models.CASCADE, related_name="allocations")
    seats_total = models.PositiveSmallIntegerField(_("pladser i alt"))
    groups = models.JSONField(_("valggrupper"))
    votes = models.JSONField(_("medlemmer af kommunalbestyrelsen pr. gruppe"))
    seed = models.CharField(_("seed til lodtrækning"), max_length=40)
    seats = models.JSONField(_("pladser pr. gruppe efter D'Hondt"))
    quotients = models.JSONField(_("kvotienter"))
    lots = models.JSONField(_("lodtrækninger"), default=list)
    transfers = models.JSONField(_("overdragne pladser"), default=list, blank=True)
    final_seats = models.JSONField(_("pladser pr. gruppe efter overdragelser"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    # The draw whose seed ``seed`` is derived from (services.lots); empty for allocations made before draws were kept.
    lot_draw = models.ForeignKey(LotDraw, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations")
    appointed_at = models.DateTimeField(_("udpeget"), null=True, blank=True)

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("fordeling af pladser")
        verbose_name_plural = _("fordelinger af pladser")

    def __str__(self):
        return f"{self.committee}: {self.final_seats}"


class SelectionTarget(models.Model):
    """Staff's target for the call's citizen seats: at least ``minimum`` and at most ``maximum`` of the panel in one
    category of a feature the application asks (services.selection; README, "Fair selection")."""

    class Feature(models.TextChoices):
        AGE = "alder", _("Alder")
        GENDER = "koen", _("Køn")
        DISTRICT = "bydel", _("Bydel")
        COMPETENCE = "kompetence", _("Kompetence")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_targets")
    feature = models.CharField(_("egenskab"), max_length=20, choices=Feature.choices)
    category = models.CharField(_("kategori"), max_length=200)
    minimum = models.PositiveSmallIntegerField(_("mindst"))
    maximum = models.PositiveSmallIntegerField(_("højst"))

    class Meta:
        ordering = ["call", "feature", "category"]
        verbose_name = _("mål for udvælgelse")
        verbose_name_plural = _("mål for udvælgelse")
        constraints = [
            models.UniqueConstraint(fields=["call", "feature", "category"], name="selection_target_once"),
            models.CheckConstraint(condition=models.Q(minimum__lte=models.F("maximum")), name="selection_target_range"),
        ]

    def __str__(self):
        return f"{self.call}: {self.feature} {self.category} {self.minimum}–{self.maximum}"


class SelectionDraw(models.Model):
    """The draw of a call's citizen panel from the fair lottery, kept like the D'Hondt lot: once, with its seed, its
    SHA-256 (``commitment``), the exact inputs (targets, the pool's keys and categories, the seats), each applicant's
    chance and the lottery, who drew it and when. ``recruitment.sortition`` replays it: the same inputs and seed
    give the same panel. A new draw needs a written reason; the one it replaces stays, superseded."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_draws")
    number = models.PositiveSmallIntegerField(_("lodtrækning nr."))
    seed = models.CharField(_("seed"), max_length=64)
    commitment = models.CharField(_("kontrolværdi (SHA-256 af seed)"), max_length=64)
    inputs = models.JSONField(_("grundlag"))
    chances = models.JSONField(_("chancer"), default=dict)
    lottery = models.JSONField(_("lotteri"), default=dict)
    panel = models.JSONField(_("udtrukket panel"), default=list)
    reason = models.TextField(_("begrundelse for ny lodtrækning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(_("erstattet"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["call", "number"]
        verbose_name = _("udtrækning af borgere")
        verbose_name_plural = _("udtrækninger af borgere")
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="selection_draw_number_once"),
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(superseded_at__isnull=True), name="selection_draw_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.call}: udtrækning {self.number}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
