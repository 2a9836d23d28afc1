"""Forms for the secretariat's meeting pages (crispy-forms, Bootstrap 5), with Danish labels and messages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committees.forms import CleanTextMixin
from committees.models import Committee
from committees.selectors import committee_choices

from .models import AgendaItem, Attendance, Meeting
from .services import ITEM_FIELDS

MAX_TEXT = 20_000
FIRST_YEAR, LAST_YEAR = 1900, 2200  # as the meeting list's year filter


class MeetingForm(CleanTextMixin, forms.Form):
    committee = forms.ModelChoiceField(
        label=pgettext_lazy("ét udvalg", "Udvalg"),
        queryset=Committee.objects.select_related("term").order_by("kind", "name"),
    )
    starts_at = forms.DateTimeField(
        label=_("Dato og klokkeslæt"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Dansk tid (Europe/Copenhagen)."),
    )
    location = forms.CharField(label=_("Mødested"), max_length=200, help_text=_("Fx «Udvalgsværelse G»."))
    kind = forms.ChoiceField(label=_("Mødetype"), choices=Meeting.Kind.choices, initial=Meeting.Kind.ORDINARY)

    def __init__(self, *args, include_ended: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Each term has its own standing committees with the same names: the terms group them, the sitting term
        # first, and ended committees only when asked for (any committee stays valid: the queryset decides).
        keep = self.data.get("committee") if self.is_bound else self.initial.get("committee")
        self.fields["committee"].choices = [("", "---------")] + committee_choices(
            include_ended=include_ended, keep=keep
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_starts_at(self):
        # Year 1 or 9999 parse as dates but overflow on the way to UTC and in the calendar feed (a 500).
        starts_at = self.cleaned_data["starts_at"]
        if not FIRST_YEAR <= starts_at.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Mødetidspunktet skal ligge mellem år %(first)s og %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return starts_at


# The publish levels as the item form explains them (AgendaItem.PublishLevel; what each shows: public_view).
PUBLISH_LEVEL_CHOICES = [
    (
        AgendaItem.PublishLevel.CLOSED,
        _("Kun «Lukket» (standard): offentligheden ser punktets nummer, Sags ID og ordet «Lukket»."),
    ),
    (AgendaItem.PublishLevel.TITLE, _("Titlen: offentligheden ser også punktets titel.")),
    (
        AgendaItem.PublishLevel.ANONYMISED,
        _("En anonymiseret titel: offentligheden ser den titel, du skriver nedenfor, i stedet for punktets titel."),
    ),
    (
        AgendaItem.PublishLevel.TITLE_AND_DECISION,
        _("Titlen og beslutningen: offentligheden ser titlen og, når referatet er offentliggjort, beslutningen."),
    ),
]


class AgendaItemForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ITEM_FIELDS  # what the service applies to an item, in the form's order
        widgets = {
            "publish_level": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 6}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "earlier_decisions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "is_closed": _("Lukket punkt (behandles for lukkede døre)"),
            "publish_level": _("Hvad må offentligheden se af det lukkede punkt?"),
            "public_title": _("Anonymiseret titel"),
            "has_personal_data": _("Indeholder personoplysninger"),
        }
        help_texts = {
            "is_closed": _(
                "Offentligheden ser punktets nummer, Sags ID og ordet «Lukket», og kun det, du vælger nedenfor."
            ),
            "publish_level": _(
                "Gælder kun, når «Lukket punkt» er valgt, og gælder ens overalt: på mødesiden, i PDF'erne, i søgningen "
                "og i alle andre offentlige visninger. Resumé, indstilling, tidligere beslutninger og bilag forbliver "
                "altid lukkede."
            ),
            "public_title": _(
                "Kræves, når «En anonymiseret titel» er valgt. Skriv den uden navne eller andet, der kan afsløre, "
                "hvem sagen handler om."
            ),
            "has_personal_data": _(
                "Sæt kryds, hvis punktets titel eller beslutning kan afsløre en person. Så ser offentligheden kun "
                "«Lukket», uanset hvad der er valgt ovenfor."
            ),
            "summary": _("Let formatering er muligt: - punktliste, **fed**."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("summary", "earlier_decisions", "recommendation"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
        level = self.fields["publish_level"]
        level.choices = PUBLISH_LEVEL_CHOICES
        level.required = False  # not chosen (an open item, an older form): "Lukket" only
        self.helper = FormHelper()
        self.helper.form_tag = False
        # static/js/closed-item.js hides the group while "Lukket punkt" is not ticked; without JS it always shows.
        self.helper.layout = Layout(
            "title",
            "case_number",
            "is_closed",
            Div("publish_level", "public_title", "has_personal_data", css_id="lukket-offentliggoerelse"),
            "summary",
            "recommendation",
            "earlier_decisions",
        )

    def clean_publish_level(self):
        return self.cleaned_data.get("publish_level") or AgendaItem.PublishLevel.CLOSED


class AttachmentForm(CleanTextMixin, forms.Form):
    title = forms.CharField(
        label=_("Bilagets titel"), max_length=300, required=False, help_text=_("Tom: filnavnet bruges.")
    )
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("PDF, DOCX, XLSX, PNG eller JPEG, højst 25 MB."),
        error_messages={"empty": _("Filen er tom."), "required": _("Vælg en fil.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"


class MinutesForm(CleanTextMixin, forms.Form):
    remarks = forms.CharField(
        label=_("Bemærkninger"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    ended_at = forms.TimeField(
        label=_("Mødet hævet kl."), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    correction_note = forms.CharField(
        label=_("Note om rettelsen"),
        required=False,
        max_length=500,
        help_text=_("Kræves, når et offentliggjort referat rettes. Noten vises på referatet."),
    )

    def __init__(self, *args, members, items, minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.members, self.items = members, items
        attendance = {a.person_id: a for a in minutes.attendance.all()} if minutes else {}
        for m in members:
            current = attendance.get(m.person_id)
            self.fields[f"presence_{m.person_id}"] = forms.ChoiceField(
                label=m.person.name,
                choices=Attendance.Presence.choices,
                widget=forms.RadioSelect,
                initial=current.presence if current else Attendance.Presence.PRESENT,
            )
            self.fields[f"apologies_{m.person_id}"] = forms.BooleanField(
                label=_("Afbud"), required=False, initial=bool(current and current.sent_apologies)
            )
        for item in items:
            self.fields[f"decision_{item.pk}"] = forms.CharField(
                label=_("Beslutning, punkt %(n)s: %(t)s") % {"n": item.position, "t": item.title},
                required=False,
                max_length=MAX_TEXT,
                initial=item.decision,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if minutes:
            self.fields["remarks"].initial = minutes.remarks
            self.fields["ended_at"].initial = minutes.ended_at
        if not (minutes and minutes.is_published):
            del self.fields["correction_note"]

    def member_fields(self):
        return [(m, self[f"presence_{m.person_id}"], self[f"apologies_{m.person_id}"]) for m in self.members]

    def item_fields(self):
        return [(item, self[f"decision_{item.pk}"]) for item in self.items]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "attendance": {
                m.person_id: (data[f"presence_{m.person_id}"], data[f"apologies_{m.person_id}"]) for m in self.members
            },
            "decisions": {item.pk: data[f"decision_{item.pk}"] for item in self.items},
            "remarks": data["remarks"],
            "ended_at": data["ended_at"],
            "correction_note": data.get("correction_note", ""),
        }


class DeliverableForm(forms.Form):
    file = forms.FileField(label=_("Fil"), required=False, help_text=_("PDF, DOCX, XLSX, PNG eller JPEG, højst 25 MB."))
    approved_item = forms.ModelChoiceField(
        label=_("Godkendt under punkt"), queryset=AgendaItem.objects.none(), required=False
    )
    handed_over_on = forms.DateField(
        label=_("Afleveret til Kommunalbestyrelsen den"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, items, instance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_item"].queryset = items
        self.fields["approved_item"].label_from_instance = lambda i: (
            f"{date_format(timezone.localtime(i.meeting.starts_at), 'SHORT_DATE_FORMAT')}, punkt {i.position}: {i.title}"
        )
        # The view loads the deliverable with select_related("approval"); without an approval this is None.
        approval = getattr(instance, "approval", None)
        self.fields["approved_item"].initial = approval.item_id if approval else None
        self.fields["handed_over_on"].initial = instance.handed_over_on
        self.helper = FormHelper()
        self.helper.form_tag = False
