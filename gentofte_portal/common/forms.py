"""Form helpers shared by the apps."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from .two_factor import is_staff_account
from .validators import no_control_characters


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


class BoundedUsernameMixin:
    """Refuse a username no account can have before trying it: Django only sets the field's max_length, so a
    10,000-character name reached the login throttling's record (255 characters) and PostgreSQL answered with an
    error (a 500). Control characters are refused as in every other form. Used by every login form, the admin's
    included: a field that fails here never reaches authenticate(), so nothing is stored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators += [MaxLengthValidator(username.max_length), no_control_characters]
        # No autofocus: the page starts at the top like every other, so the first Tab reaches the skip link and a
        # screen reader reads the page from its heading.
        username.widget.attrs.pop("autofocus", None)


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    """/log-ind/. With OIDC_DISABLE_LOCAL_STAFF_LOGIN staff sign in only through the municipality's provider (so
    leaving the municipality ends their access); politicians may still use a local password."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if settings.OIDC_ENABLED and settings.OIDC_DISABLE_LOCAL_STAFF_LOGIN and is_staff_account(user):
            raise ValidationError(
                _("Medarbejdere logger ind med kommunens login (knappen ovenfor)."), code="staff_use_provider"
            )


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """/admin/login/ (admin.site.login_form, in urls.py)."""
