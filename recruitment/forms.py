"""Forms for citizens (the application) and staff (calls, shortlist, allocation, appointment, vacancies)."""

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from committees.forms import CleanTextMixin

from .models import DISTRICTS, Gender


class ApplicationForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Vi sender en kvittering med et personligt link til din ansøgning."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.RegexField(
        label=_("Telefon (valgfrit)"),
        required=False,
        regex=r"^\+?[0-9 ]{8,16}$",
        strip=True,
        error_messages={"invalid": _("Skriv et telefonnummer med 8 cifre, fx 39 98 00 00.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    postcode = forms.RegexField(
        label=_("Postnummer"),
        regex=r"^[0-9]{4}$",
        strip=True,
        error_messages={"invalid": _("Et postnummer har fire cifre, fx 2820.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": 4}),
    )
    district = forms.ChoiceField(label=_("Bydel"), choices=[("", _("Vælg bydel"))] + DISTRICTS)
    birth_year = forms.IntegerField(
        label=_("Fødselsår"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Skriv dit fødselsår med fire cifre, fx 1985.")},
    )
    gender = forms.ChoiceField(
        label=_("Køn (valgfrit)"), required=False, choices=Gender.choices, widget=forms.RadioSelect
    )
    competences = forms.MultipleChoiceField(
        label=_("Hvilke af de ønskede kompetencer og baggrunde har du?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    motivation = forms.CharField(
        label=_("Hvorfor vil du være med?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 3000}),
        help_text=_("Højst 3.000 tegn."),
    )
    consent = forms.BooleanField(
        label=_("Jeg giver samtykke til, at kommunen behandler mine oplysninger i forbindelse med denne rekruttering."),
        error_messages={"required": _("Vi kan kun behandle din ansøgning, hvis du giver samtykke.")},
    )
    # Honeypot: hidden from people (and screen readers); a bot that fills it is refused without storing anything.
    website = forms.CharField(required=False, label=_("Lad dette felt være tomt"))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["competences"].choices = [(c, c) for c in call.competences]
        if not call.competences:
            del self.fields["competences"]
        self.fields["consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse_lazy("recruitment:privacy"), _("Læs hvad vi gemmer, hvorfor og hvor længe")
        )
        if call.age_range_text:
            self.fields["birth_year"].help_text = call.age_range_text
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not 1900 <= year <= this_year:
            # Four digits it has; the year itself is not possible (1800, or next year).
            raise forms.ValidationError(
                _("Fødselsåret skal ligge mellem 1900 og %(year)s. Tjek, at det er skrevet rigtigt.")
                % {"year": this_year}
            )
        from .services import age_problem

        problem = age_problem(self.call, year)
        if problem:
            raise forms.ValidationError(problem)
        return year

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CallForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Overskrift"), max_length=300)
    text = forms.CharField(
        label=_("Tekst"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Hvad udvalget skal, hvem I søger, og hvor meget tid det kræver. Let formatering er muligt."),
    )
    deadline = forms.DateTimeField(
        label=_("Ansøgningsfrist"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Ansøgningsfristen skal ligge i fremtiden."))
        return deadline


class ShortlistForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvorfor indstiller I ansøgeren? Begrundelsen kan ses af ansøgeren."),
    )


AGE_BANDS = [
    ("", _("Alle aldre")),
    ("0-17", "under 18"),
    ("18-29", "18–29"),
    ("30-49", "30–49"),
    ("50-64", "50–64"),
    ("65-150", "65+"),
]


class ReviewFilterForm(forms.Form):
    competence = forms.ChoiceField(label=_("Kompetence"), required=False)
    district = forms.ChoiceField(label=_("Bydel"), required=False, choices=[("", _("Alle bydele"))] + DISTRICTS)
    age = forms.ChoiceField(label=_("Alder"), required=False, choices=AGE_BANDS)
    gender = forms.ChoiceField(label=_("Køn"), required=False, choices=[("", _("Alle"))] + list(Gender.choices))
    status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.ChoiceField(
        label=_("Sortér efter"),
        required=False,
        choices=[
            ("created_at", _("Modtaget")),
            ("name", _("Navn")),
            ("-birth_year", _("Alder, yngst først")),
            ("birth_year", _("Alder, ældst først")),
            ("district", _("Bydel")),
        ],
    )

    def __init__(self, *args, call, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].choices = [("", _("Alle kompetencer"))] + [(c, c) for c in call.competences]
        self.fields["status"].choices = [("", _("Alle"))] + list(statuses)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class VacancyForm(CleanTextMixin, forms.Form):
    ends_on = forms.DateField(label=_("Udtræder den"), widget=forms.DateInput(attrs={"type": "date"}))
    replacement = forms.TypedChoiceField(label=_("Afløser"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, replacements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].choices = [("", _("Ingen afløser endnu"))] + replacements
        self.fields["ends_on"].initial = dt.date.today()
        self.helper = FormHelper()
        self.helper.form_tag = False


def before_deadline_field() -> forms.BooleanField:
    """The tick that lets staff allocate or appoint while the call is still open (the service asks for it)."""
    return forms.BooleanField(required=False, label=_("Ja, fortsæt før ansøgningsfristen"))


class AppointmentForm(forms.Form):
    """The appointment: each eligible politician once, with the role they get (or none), and each shortlisted
    citizen once, with the group whose seat they take (or none). Chair and vice-chair are roles of the politicians
    being appointed, so they can only be chosen among them; seat counts are the service's to check, so an empty
    submit flags every group's missing seats at once."""

    ROLE_CHOICES = [
        ("", _("Udpeges ikke")),
        ("medlem", _("Medlem")),
        ("formand", _("Formand")),
        ("naestformand", _("Næstformand")),
    ]

    def __init__(self, *args, seats: dict[str, int], eligible: dict[str, list], shortlisted: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = {group: n for group, n in seats.items() if n}
        self.politician_rows: list[tuple[str, list]] = []
        for group in self.seats:
            rows = []
            for cm in eligible.get(group, []):
                name = f"politiker-{cm.person_id}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{cm.person.name} ({cm.party.letter})", choices=self.ROLE_CHOICES, required=False
                )
                rows.append((name, cm))
            self.politician_rows.append((group, rows))
        group_choices = [("", _("Udpeges ikke"))] + [
            (group, _("Plads for %(g)s") % {"g": group}) for group in self.seats
        ]
        self.citizen_rows = []
        for application in shortlisted:
            name = f"borger-{application.pk}"
            self.fields[name] = forms.ChoiceField(label=application.choice_label, choices=group_choices, required=False)
            self.citizen_rows.append((name, application))
        self.fields["before_deadline"] = before_deadline_field()

    def clean(self):
        cleaned = super().clean()
        picks = {group: {"politicians": [], "citizens": []} for group in self.seats}
        chairs, vice_chairs = [], []
        for group, rows in self.politician_rows:
            for name, cm in rows:
                role = cleaned.get(name)
                if not role:
                    continue
                picks[group]["politicians"].append(cm.person_id)
                if role == "formand":
                    chairs.append((name, cm.person_id))
                elif role == "naestformand":
                    vice_chairs.append((name, cm.person_id))
        for name, application in self.citizen_rows:
            group = cleaned.get(name)
            if group:
                picks[group]["citizens"].append(application.pk)
        for chosen, message in (
            (chairs, _("Vælg kun én formand.")),
            (vice_chairs, _("Vælg kun én næstformand.")),
        ):
            if len(chosen) > 1:
                for name, _person_id in chosen:
                    self.add_error(name, message)
        self.picks = picks
        self.chair = chairs[0][1] if len(chairs) == 1 else None
        self.vice_chair = vice_chairs[0][1] if len(vice_chairs) == 1 else None
        return cleaned

    def politician_groups(self):
        """Each group with its politicians' role fields, for the template."""
        return [(group, [(self[name], cm) for name, cm in rows]) for group, rows in self.politician_rows]

    def citizen_fields(self):
        return [(self[name], application) for name, application in self.citizen_rows]

    def seat_counts(self) -> list[tuple[str, int, int | None, str]]:
        """Each group's seats and, once posted, how many were chosen and what is missing or too many."""
        picks = getattr(self, "picks", None)
        counts = []
        for group, seats in self.seats.items():
            chosen, note = None, ""
            if picks is not None:
                chosen = len(picks[group]["politicians"]) + len(picks[group]["citizens"])
                if chosen < seats:
                    note = ngettext("mangler %(n)s", "mangler %(n)s", seats - chosen) % {"n": seats - chosen}
                elif chosen > seats:
                    note = ngettext("%(n)s for mange", "%(n)s for mange", chosen - seats) % {"n": chosen - seats}
            counts.append((group, seats, chosen, note))
        return counts


class SelectionTargetsForm(forms.Form):
    """Staff's targets for the citizen seats: a minimum and a maximum per category of each feature (blank: no
    target). A category with only one of them set gets 0 as its minimum or the seats as its maximum."""

    NUMBER_ERRORS = {
        "invalid": _("Skriv et helt tal, fx 2."),
        "min_value": _("Skriv 0 eller mere."),
        "max_value": _("Skriv højst %(limit_value)s."),
    }

    def __init__(self, *args, categories, targets, seats: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        existing = {(t.feature, t.category): t for t in targets}
        self.feature_rows = []
        for feature, label, options in categories:
            rows = []
            for i, (category, category_label) in enumerate(options):
                target = existing.get((feature, category))
                names = (f"{feature}-{i}-min", f"{feature}-{i}-max")
                for name, word, value in zip(
                    names,
                    (_("mindst"), _("højst")),
                    (target and target.minimum, target and target.maximum),
                    strict=True,
                ):
                    self.fields[name] = forms.IntegerField(
                        label=f"{category_label}: {word}",
                        required=False,
                        min_value=0,
                        max_value=999,
                        initial=value,
                        error_messages=self.NUMBER_ERRORS,
                        widget=forms.NumberInput(
                            attrs={"inputmode": "numeric", "class": "form-control form-control-sm"}
                        ),
                    )
                rows.append((feature, category, category_label, names))
            if rows:
                self.feature_rows.append((feature, label, rows))

    def clean(self):
        cleaned = super().clean()
        self.targets = []
        for feature, _label, rows in self.feature_rows:
            for _feature, category, _category_label, (low_name, high_name) in rows:
                low, high = cleaned.get(low_name), cleaned.get(high_name)
                if low_name in self.errors or high_name in self.errors or (low is None and high is None):
                    continue
                low = 0 if low is None else low
                high = max(self.seats, low) if high is None else high
                if low > high:
                    self.add_error(
                        low_name,
                        _("Mindst (%(low)s) kan ikke være større end højst (%(high)s).") % {"low": low, "high": high},
                    )
                    continue
                self.targets.append((feature, category, low, high))
        return cleaned

    def table(self, counts: dict[tuple[str, str], int]):
        """Per feature: its label and rows of (category label, how many in the pool, (the min field, the max field))."""
        return [
            (feature, label, [(cl, counts.get((feature, c), 0), (self[lo], self[hi])) for _f, c, cl, (lo, hi) in rows])
            for feature, label, rows in self.feature_rows
        ]
