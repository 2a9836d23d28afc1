"""The subscription form (anyone) and the subscriber's own form behind their private link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.forms import CleanTextMixin, CommitteesField
from committees.models import Committee

from .models import Subscriber


class PreferencesForm(CleanTextMixin, forms.Form):
    committees = CommitteesField(
        label=_("Udvalg"),
        queryset=Committee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Vælg mindst ét udvalg."),
            "invalid_choice": _("Vælg blandt udvalgene på listen."),
            "invalid_pk_value": _("Vælg blandt udvalgene på listen."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("Hvor ofte?"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg hvor ofte du vil have e-mails."),
            "invalid_choice": _("Vælg hvor ofte du vil have e-mails."),
        },
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committees"].queryset = committees
        self.fields["committees"].label_from_instance = lambda c: f"{c.name} ({c.term})"


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(
        label=_("Din e-mailadresse"),
        max_length=254,
        help_text=_("Vi sender en e-mail med et link, som du skal klikke på, før du får andre e-mails fra os."),
        error_messages={
            "required": _("Skriv din e-mailadresse."),
            "invalid": _("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Honeypot: hidden from people (and screen readers); a bot that fills it is answered as usual, nothing stored.
    website = forms.CharField(required=False, label=_("Lad dette felt være tomt"))

    field_order = ["email", "committees", "frequency", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
