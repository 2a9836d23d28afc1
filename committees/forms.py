"""Forms for the staff workspace (crispy-forms, Bootstrap 5). Labels, help and errors in Danish."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gentofte_portal.common.validators import no_control_characters

from .models import Committee, Mandate, MandateComment
from .models.mandate import COMMENT_SECTIONS, TEXT_SECTIONS

MAX_SECTION = 20_000
MARKDOWN_HELP = _(
    "Du kan bruge let formatering: # overskrift, - punktliste, 1. nummereret liste, **fed**, [tekst](https://…)."
)


class CleanTextMixin:
    """Every text field: strip, refuse control characters; also in fields cleaned to a list of texts (one
    competence per line)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            texts = [value] if isinstance(value, str) else value if isinstance(value, list | tuple) else []
            try:
                for text in texts:
                    if isinstance(text, str):
                        no_control_characters(text)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return cleaned


class CommitteesField(forms.ModelMultipleChoiceField):
    """Refuses a number no primary key can be, as Django refuses any other unknown value; Django itself let
    "9"*400 through to the query, where SQLite raised OverflowError (a 500)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                out_of_range = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # Django refuses it as usual
            if out_of_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class TaskCommitteeProposalForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Opgaveudvalgets navn"),
        max_length=200,
        help_text=_("Fx «Opgaveudvalg for Ungepolitik»."),
    )
    proposed_by = CommitteesField(
        label=_("Foreslået af"),
        queryset=Committee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Det eller de stående udvalg, der foreslår opgaveudvalget."),
        error_messages={"required": _("Vælg mindst ét stående udvalg.")},
    )
    purpose = forms.CharField(label=_("Formål i én sætning"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, standing_committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_by"].queryset = standing_committees
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        committees = self.fields["proposed_by"].queryset
        term_ids = set(committees.values_list("term_id", flat=True))
        if Committee.objects.filter(term_id__in=term_ids, name__iexact=name).exists():
            raise forms.ValidationError(_("Der findes allerede et udvalg med det navn i valgperioden."))
        return name


class MandateForm(CleanTextMixin, forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    competences = forms.CharField(
        label=_("Ønskede kompetencer og baggrunde"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Én pr. linje. Listen bruges igen i rekrutteringen, når borgere søger."),
    )

    class Meta:
        model = Mandate
        fields = [key for key, _title in TEXT_SECTIONS] + [
            "politician_count",
            "citizen_count",
            "age_min",
            "age_max",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{key: forms.Textarea(attrs={"rows": 5}) for key, _title in TEXT_SECTIONS},
        }
        labels = {key: title for key, title in TEXT_SECTIONS}
        help_texts = {key: MARKDOWN_HELP for key, _title in TEXT_SECTIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        typed = kwargs.get("initial") or {}  # the text as typed, when a row was added without saving
        if self.instance.pk and not self.is_bound:
            if "competences" not in typed:
                self.initial["competences"] = "\n".join(self.instance.competences)
            if "lock_version" not in typed:
                self.initial["lock_version"] = self.instance.lock_version
        for key, _title in TEXT_SECTIONS:
            self.fields[key].validators.append(MaxLengthValidator(MAX_SECTION))
            self.fields[key].widget.attrs["maxlength"] = MAX_SECTION
        for name in ("politician_count", "citizen_count"):
            self.fields[name].max_value = 50
            self.fields[name].widget.attrs.update({"min": 0, "max": 50})
        for name in ("age_min", "age_max"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 120})
        self.fields["age_min"].help_text = _("Valgfri aldersgrænse, fx 13–25 for et ungeudvalg.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "lock_version",
            Fieldset(_("Baggrund, formål og opgave"), "background", "purpose", "task"),
            Fieldset(
                _("Sammensætning"),
                Field("politician_count"),
                Field("citizen_count"),
                "competences",
                "age_min",
                "age_max",
                "composition_note",
            ),
            Fieldset(_("Tidsplan"), "starts_on", "ends_on"),
            Fieldset(_("Arbejdsform"), "meeting_cadence", "working_method"),
            Fieldset(_("Økonomi og sekretariat"), "economy", "secretariat"),
        )

    def clean_competences(self):
        lines = [line.strip(" -•\t") for line in self.cleaned_data["competences"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > 30:
            raise forms.ValidationError(_("Højst 30 kompetencer."))
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(_("Hver kompetence må højst være 200 tegn."))
        return lines

    def clean(self):
        cleaned = super().clean()
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min is not None and age_min > 120:
            self.add_error("age_min", _("Alderen skal være mellem 0 og 120."))
        if age_max is not None and age_max > 120:
            self.add_error("age_max", _("Alderen skal være mellem 0 og 120."))
        if age_min is not None and age_max is not None and age_min > age_max:
            self.add_error("age_max", _("Højeste alder skal være mindst lige så høj som mindstealderen."))
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Slutdatoen skal ligge efter startdatoen."))
        politicians, citizens = cleaned.get("politician_count"), cleaned.get("citizen_count")
        if politicians is not None and citizens is not None and politicians + citizens == 0:
            self.add_error("citizen_count", _("Udvalget skal have mindst ét medlem."))
        if politicians is not None and politicians < 2:
            self.add_error("politician_count", _("Formand og næstformand er politikere, så der skal være mindst to."))
        return cleaned


class DeliverableForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(
        label=_("Beskrivelse"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(
        label=_("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class MilestoneForm(CleanTextMixin, forms.Form):
    date = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    title = forms.CharField(label=_("Milepæl"), max_length=300)


def typed_values(form) -> dict:
    """What was typed into a bound form, field by field, as the widgets read it; nothing is validated."""
    return {name: form[name].data for name in form.fields}


def _row_text(template, n) -> str:
    """``template`` ("Leverance %(n)s") with the number in a span that the editor's script renumbers."""
    return mark_safe(conditional_escape(template) % {"n": format_html("<span data-row-n>{}</span>", n)})


class RowFormSet(forms.BaseFormSet):
    """The rows of a list in the mandate (deliverables, milestones), each labelled with its number.

    Every label names its row ("Titel (Leverance 2)", "Slet leverance 2"), so a screen reader's list of fields and
    voice control tell the rows apart. Without script, "Tilføj en leverance" submits the form and gets it back as
    typed with one more empty row (``with_rows_added``): unbound, so nothing is validated, saved or flagged.
    """

    row_label = ""
    delete_label = ""
    remove_label = ""
    added_message = ""
    removed_message = ""
    max_message = ""
    typed_initial_count = None
    added = None
    status_message = ""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        n = "" if index is None else index + 1  # the empty form's number is filled in by the script
        form.row_label = _row_text(self.row_label, n)
        form.remove_label = _row_text(self.remove_label, n)
        for name, field in form.fields.items():
            if name == "DELETE":
                field.label = _row_text(self.delete_label, n)
            elif field.label:
                field.label = format_html('{}<span class="visually-hidden"> ({})</span>', field.label, form.row_label)

    def initial_form_count(self):
        if not self.is_bound and self.typed_initial_count is not None:
            return self.typed_initial_count
        return super().initial_form_count()

    def with_rows_added(self, count: int = 0):
        """This bound formset shown again as typed, unbound, with ``count`` more empty rows (up to max_num).

        The rows keep their places: rows that were stored stay initial forms and new rows stay extra forms, so the
        next save treats an untouched new row as empty, as before. ``added`` is the new row, if one was added."""
        rows = [typed_values(form) for form in self.forms]
        again = type(self)(initial=rows, prefix=self.prefix)
        again.typed_initial_count = min(self.initial_form_count(), len(rows))
        again.extra = len(rows) - again.typed_initial_count + count
        forms_shown = again.forms
        again.added = forms_shown[-1] if count and len(forms_shown) > len(rows) else None
        if again.added is not None:
            first = next(iter(again.added.fields.values()))
            first.widget.attrs["autofocus"] = True  # without script, the cursor lands in the new row
            again.status_message = self.added_message % {"n": len(forms_shown)}
        elif count:
            again.status_message = self.max_message % {"num": self.max_num}
        return again


class DeliverableRows(RowFormSet):
    row_label = _("Leverance %(n)s")
    delete_label = _("Slet leverance %(n)s")
    remove_label = _("Fjern leverance %(n)s")
    added_message = _("Leverance %(n)s er tilføjet.")
    removed_message = _("Leverance %(n)s er fjernet.")
    max_message = _("Der kan højst være %(num)d leverancer.")
    default_error_messages = {"too_many_forms": max_message}


class MilestoneRows(RowFormSet):
    row_label = _("Milepæl %(n)s")
    delete_label = _("Slet milepæl %(n)s")
    remove_label = _("Fjern milepæl %(n)s")
    added_message = _("Milepæl %(n)s er tilføjet.")
    removed_message = _("Milepæl %(n)s er fjernet.")
    max_message = _("Der kan højst være %(num)d milepæle.")
    default_error_messages = {"too_many_forms": max_message}


# absolute_max: a posted TOTAL_FORMS of, say, "9"*400 builds (and re-renders) at most 30 forms, not Django's 1,030.
DeliverableFormSet = forms.formset_factory(
    DeliverableForm,
    formset=DeliverableRows,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=30,
    validate_max=True,
    absolute_max=30,
)
MilestoneFormSet = forms.formset_factory(
    MilestoneForm, formset=MilestoneRows, extra=1, can_delete=True, max_num=30, validate_max=True, absolute_max=30
)


def deliverables_from_formset(formset) -> list[dict]:
    """Ordered deliverables as stored in the mandate: position gives the number."""
    rows = []
    for form in formset.ordered_forms if formset.can_order else formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append(
            {
                "title": data["title"],
                "description": data.get("description", ""),
                "due_on": data["due_on"].isoformat() if data.get("due_on") else "",
            }
        )
    return rows


def milestones_from_formset(formset) -> list[dict]:
    rows = [
        {"date": f.cleaned_data["date"].isoformat(), "title": f.cleaned_data["title"]}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    return sorted(rows, key=lambda r: r["date"])


class ApprovalForm(CleanTextMixin, forms.Form):
    approved_on = forms.DateField(
        label=_("Godkendt af Kommunalbestyrelsen den"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    approval_reference = forms.CharField(
        label=_("Møde og punkt"), max_length=200, help_text=_("Fx «Kommunalbestyrelsen 29.01.2018, punkt 5».")
    )

    def clean_approved_on(self):
        value = self.cleaned_data["approved_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Godkendelsesdatoen kan ikke ligge i fremtiden."))
        return value


class CommentForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = MandateComment
        fields = ["section", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": 3000})}
        labels = {"section": _("Afsnit"), "text": _("Kommentar")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = COMMENT_SECTIONS
        self.helper = FormHelper()
        self.helper.form_tag = False
