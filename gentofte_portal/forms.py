"""Form helpers shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the field exists, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class OneTimeCodeForm(forms.Form):
    """The six digits from the staff member's authenticator app."""

    token = forms.CharField(
        label=_("Engangskode"),
        help_text=_("De 6 cifre, som din autentificeringsapp viser lige nu."),
        max_length=12,
        validators=[
            RegexValidator(r"^\d{6}$", _("Skriv de 6 cifre fra appen, uden mellemrum og bogstaver.")),
        ],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
