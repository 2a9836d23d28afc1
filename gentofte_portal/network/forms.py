"""The member's forms (signup, join from a link, their own page) and the Sekretariat's search and invitation."""

from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from committees.forms import CleanTextMixin, CommitteesField
from recruitment.models import DISTRICTS
from recruitment.selectors import calls_open

from .models import Competence, Interest, Invitation, Member

CHOOSE = {
    "invalid_choice": _("Vælg blandt punkterne på listen."),
    "invalid_pk_value": _("Vælg blandt punkterne på listen."),
}


class ListField(CommitteesField):
    """A choice of a staff-maintained list (refusing a number no key can be, as CommitteesField does)."""

    def __init__(self, *, model, label, **kwargs):
        super().__init__(
            queryset=model.objects.order_by("position", "name"),
            label=label,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages=CHOOSE,
            **kwargs,
        )


class MemberForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        error_messages={"required": _("Skriv dit navn.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    district = forms.ChoiceField(
        label=_("Bydel"),
        choices=[("", _("Vælg bydel"))] + DISTRICTS,
        error_messages={"required": _("Vælg din bydel."), "invalid_choice": _("Vælg din bydel.")},
    )
    competences = ListField(model=Competence, label=_("Kompetencer"))
    interests = ListField(model=Interest, label=_("Interesser"))


class JoinForm(MemberForm):
    consent = forms.BooleanField(
        label=_(
            "Jeg giver samtykke til, at kommunen gemmer mine oplysninger i Sparringsnetværket i 2 år og kontakter "
            "mig om opgaveudvalg og sparringsopgaver."
        ),
        error_messages={"required": _("Du skal give dit samtykke for at blive en del af netværket.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse_lazy("network:privacy"), _("Læs hvad vi gemmer, og hvor længe")
        )


class SignupForm(JoinForm):
    email = forms.EmailField(
        label=_("Din e-mailadresse"),
        max_length=254,
        help_text=_("Vi sender en e-mail med et link, som du skal klikke på, før du er med i netværket."),
        error_messages={
            "required": _("Skriv din e-mailadresse."),
            "invalid": _("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Honeypot: hidden from people (and screen readers); a bot that fills it is answered as usual, nothing stored.
    website = forms.CharField(required=False, label=_("Lad dette felt være tomt"))

    field_order = ["name", "email", "district", "competences", "interests", "consent", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class CallField(forms.ModelChoiceField):
    """Refuses a number no primary key can be (as CommitteesField does for several): "9"*400 reached the query,
    where SQLite raised OverflowError (a 500)."""

    def to_python(self, value):
        try:
            if value not in self.empty_values and abs(int(value)) >= 2**63:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        except (TypeError, ValueError):
            pass  # Django refuses it as usual
        return super().to_python(value)


class SearchForm(forms.Form):
    competences = ListField(model=Competence, label=_("Kompetencer (mindst én af)"))
    interests = ListField(model=Interest, label=_("Interesser (mindst én af)"))
    districts = forms.MultipleChoiceField(
        label=_("Bydele"),
        choices=DISTRICTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Vælg blandt bydelene på listen.")},
    )


class InviteForm(CleanTextMixin, forms.Form):
    members = CommitteesField(
        label=_("Medlemmer"),
        queryset=Member.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Vælg mindst ét medlem."), **CHOOSE},
    )
    kind = forms.ChoiceField(
        label=_("Inviter til"),
        choices=Invitation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg hvad du inviterer til."),
            "invalid_choice": _("Vælg hvad du inviterer til."),
        },
    )
    call = CallField(
        label=_("Opslag"),
        queryset=None,
        required=False,
        empty_label=_("Vælg et åbent opslag"),
        error_messages={"invalid_choice": _("Vælg blandt de åbne opslag.")},
    )
    task = forms.CharField(
        label=_("Sparringsopgaven"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("Hvad handler opgaven om, hvornår og hvordan? Teksten sendes til medlemmerne."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Member.objects.filter(consent_at__isnull=False)
        self.fields["call"].queryset = calls_open()
