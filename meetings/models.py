"""Meetings of standing and task committees: the agenda (dagsorden) of numbered items, open or closed, with
attachments (bilag), and the minutes (referat) with attendance and a decision per item.

A closed item's case texts are not published (Kommunestyrelsesloven §8 stk. 7): to the public it shows only its
number, its Sags ID and "Lukket", and, where the secretariat chose a publish level, its title (or an anonymised
title) and decision (AgendaItem.public_view). Later changes to a published agenda and corrections to published minutes are
kept as versions (django-simple-history).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gentofte_portal.common.models import Timestamped
from gentofte_portal.common.storage import private_storage

# The API's times are not versions of their own: history keeps the content.
TIMESTAMPS = ["created_at", "modified_at"]


class Meeting(Timestamped):
    class Kind(models.TextChoices):
        ORDINARY = "ordinaert", _("Ordinært møde")
        EXTRAORDINARY = "ekstraordinaert", _("Ekstraordinært møde")

    committee = models.ForeignKey("committees.Committee", on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("mødetidspunkt"))
    location = models.CharField(_("mødested"), max_length=200, blank=True)
    kind = models.CharField(_("mødetype"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    agenda_published_at = models.DateTimeField(_("dagsorden offentliggjort"), null=True, blank=True)
    agenda_changed_at = models.DateTimeField(_("dagsorden ændret"), null=True, blank=True)
    # The last change after publication that the public can see (not one inside a closed item): the public
    # "ændret" mark, the feed's update time and the sitemap's lastmod.
    agenda_public_changed_at = models.DateTimeField(_("dagsorden ændret offentligt"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=TIMESTAMPS)

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["agenda_published_at"])]

    def __str__(self):
        return f"{self.committee} {self.starts_at:%d-%m-%Y %H:%M}"

    @property
    def is_agenda_published(self) -> bool:
        return self.agenda_published_at is not None


class AgendaItem(Timestamped):
    class PublishLevel(models.TextChoices):
        """How much of a closed item the public sees, besides its number and Sags ID. Personal data overrides."""

        CLOSED = "lukket", _("kun «Lukket»")
        TITLE = "titel", _("titlen")
        ANONYMISED = "anonymiseret", _("en anonymiseret titel")
        TITLE_AND_DECISION = "titel_og_beslutning", _("titlen og beslutningen")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=500)
    case_number = models.CharField(
        _("Sags ID"), max_length=50, blank=True, help_text=_("Fx EMN-2018-00651 eller 15/7111.")
    )
    is_closed = models.BooleanField(_("lukket punkt"), default=False)
    summary = models.TextField(_("resumé"), blank=True)
    summary_html = models.TextField(blank=True, editable=False)
    recommendation = models.TextField(
        _("indstilling"), blank=True, help_text=_("Hvem indstiller hvad. Én indstilling pr. linje.")
    )
    earlier_decisions = models.TextField(_("tidligere beslutninger"), blank=True)
    earlier_decisions_html = models.TextField(blank=True, editable=False)
    decision = models.TextField(_("beslutning"), blank=True)
    decision_html = models.TextField(blank=True, editable=False)
    changed_after_publication_at = models.DateTimeField(null=True, blank=True, editable=False)
    publish_level = models.CharField(
        _("offentliggørelse af lukket punkt"),
        max_length=20,
        choices=PublishLevel.choices,
        default=PublishLevel.CLOSED,
    )
    public_title = models.CharField(_("anonymiseret titel"), max_length=300, blank=True)
    has_personal_data = models.BooleanField(_("indeholder personoplysninger"), default=False)

    history = HistoricalRecords(excluded_fields=TIMESTAMPS)

    class Meta:
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsordenspunkter")
        # Positions are kept 1..n by meetings.services (renumbered on every add, move and delete).
        ordering = ["meeting", "position", "pk"]
        indexes = [
            # A member's search reads the closed items of their committees' meetings (meetings.selectors.
            # items_beyond_public): a few in each meeting, without reading the open ones.
            models.Index(fields=["meeting"], condition=models.Q(is_closed=True), name="meetings_item_closed_meeting"),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def clean(self):
        if self.is_closed and self.publish_level == self.PublishLevel.ANONYMISED and not self.public_title.strip():
            raise ValidationError({"public_title": _("Skriv den anonymiserede titel, som offentligheden skal se.")})

    def public_view(self) -> tuple[str | None, str | None]:
        """(title, decision_html) that the public may see of this item when closed; None where it sees nothing.
        The one rule for every public surface: page, PDFs, search, feeds, emails. Personal data forces "Lukket";
        resumé, indstilling, earlier decisions and bilag are never public."""
        level, levels = self.publish_level, self.PublishLevel
        if not self.is_closed:
            return self.title, self.decision_html
        if self.has_personal_data or level == levels.CLOSED:
            return None, None
        if level == levels.ANONYMISED:
            return (self.public_title.strip() or None), None
        if level == levels.TITLE_AND_DECISION:
            return self.title, (self.decision_html or None)
        if level == levels.TITLE:
            return self.title, None
        return None, None

    @property
    def recommendation_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.recommendation.splitlines() if line.strip(" -•\t")]


class DeliverableApproval(Timestamped):
    """The agenda item under which a task committee approved one of its deliverables. It is kept here, not on the
    deliverable, so the core (committees) knows nothing of agendas; deleting the item removes the approval."""

    deliverable = models.OneToOneField(
        "committees.Deliverable", on_delete=models.CASCADE, related_name="approval", verbose_name=_("leverance")
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="approved_deliverables",
        verbose_name=_("godkendt under punkt"),
    )

    class Meta:
        verbose_name = _("godkendelse af leverance")
        verbose_name_plural = _("godkendelser af leverancer")

    def __str__(self):
        return f"{self.deliverable}: {self.item_label}"

    @property
    def item_label(self) -> str:
        """The item by meeting date and number only: a closed item's title must not reach the admin or the audit
        log (Kommunestyrelsesloven §8 stk. 7)."""
        return _("møde %(date)s, punkt %(n)s") % {
            "date": date_format(timezone.localtime(self.item.meeting.starts_at), "SHORT_DATE_FORMAT"),
            "n": self.item.position,
        }


def attachment_path(instance, filename):
    return f"bilag/{instance.item.meeting_id}/{instance.document_number}-{filename}"


class Attachment(Timestamped):
    """A bilag: PDF, DOCX, XLSX, PNG or JPEG, at most 25 MB, checked by content (meetings.uploads)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("titel"), max_length=300)
    document_number = models.PositiveIntegerField(_("dokumentnummer"), unique=True)
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The file's text for the site search (PDF and DOCX), extracted once after upload by meetings.tasks; never
    # for a closed item's bilag.
    text = models.TextField(blank=True, editable=False)
    text_extracted_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["file", "text", "text_extracted_at", *TIMESTAMPS])

    class Meta:
        verbose_name = pgettext_lazy("one", "bilag")
        verbose_name_plural = pgettext_lazy("several", "bilag")
        ordering = ["item", "position", "pk"]

    def __str__(self):
        return f"{self.title} ({self.document_number})"


class Minutes(Timestamped):
    """The referat of a meeting. Published minutes are read-only; a correction is a new version with a note."""

    class Status(models.TextChoices):
        DRAFT = "kladde", _("Kladde")
        APPROVED = "godkendt", _("Godkendt")
        PUBLISHED = "offentliggjort", _("Offentliggjort")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    ended_at = models.TimeField(_("mødet hævet kl."), null=True, blank=True)
    remarks = models.TextField(_("bemærkninger"), blank=True)
    remarks_html = models.TextField(blank=True, editable=False)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    correction_note = models.CharField(_("rettelse"), max_length=500, blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=TIMESTAMPS)

    class Meta:
        verbose_name = _("referat")
        verbose_name_plural = _("referater")

    def __str__(self):
        return f"Referat: {self.meeting}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Attendance(models.Model):
    class Presence(models.TextChoices):
        PRESENT = "tilstede", _("Tilstede")
        ABSENT = "fravaerende", _("Fraværende")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("committees.Person", on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(_("fremmøde"), max_length=20, choices=Presence.choices)
    sent_apologies = models.BooleanField(_("afbud"), default=False)

    class Meta:
        ordering = ["minutes", "person__name"]
        constraints = [models.UniqueConstraint(fields=["minutes", "person"], name="attendance_once")]
        verbose_name = _("fremmøde")
        verbose_name_plural = _("fremmøde")

    def __str__(self):
        return f"{self.person}: {self.get_presence_display()}"


class ReadMark(models.Model):
    """What a politician has opened on /mine/, so new agendas, minutes and deliverables show as unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)  # e.g. "dagsorden:12", "referat:12", "leverance:7"
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="readmark_once")]

    def __str__(self):
        return f"{self.user} {self.key}"
