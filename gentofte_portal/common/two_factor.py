"""Two-factor authentication for staff accounts (django-otp, TOTP from an authenticator app).

Staff see closed agenda items, drafts and citizens' applications, so a stolen password alone must not be enough.
With ``PORTAL_STAFF_OTP_REQUIRED`` (on in production settings) a staff account that has logged in with its password
can do nothing but enter its one-time code, or set up its app the first time. Politicians and citizens are not
asked; their logins see only what any member of their committee sees.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import is_secretariat

DEVICE_NAME = "Autentificeringsapp"


def is_staff_account(user) -> bool:
    """Accounts with staff powers: the secretariat, admin users and superusers."""
    return user.is_authenticated and (user.is_staff or is_secretariat(user))


PROVIDER_SESSION_KEY = "portal_second_factor_by_provider"


def mark_second_factor_by_provider(request) -> None:
    """For a session signed in through the municipality's identity provider (gentofte_portal.sso): the second
    factor is the provider's business, so the portal asks for no code of its own."""
    request.session[PROVIDER_SESSION_KEY] = True


def needs_second_factor(user, session=None) -> bool:
    """True while a staff account has given its password but not yet a valid one-time code in this session."""
    if not settings.PORTAL_STAFF_OTP_REQUIRED or not is_staff_account(user):
        return False
    if session is not None and session.get(PROVIDER_SESSION_KEY):
        return False
    return not (hasattr(user, "is_verified") and user.is_verified())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def setup_device(user) -> TOTPDevice:
    """The unconfirmed device a staff member is setting up: the same one on every reload until it is confirmed,
    so the QR code they scanned stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as inline SVG markup (no image request, no script: allowed by the CSP)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR-kode til autentificeringsappen")


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def verify(request, device: TOTPDevice, token: str) -> bool:
    """Checks the code (django-otp throttles repeated failures and refuses a code used before); on success the
    device is confirmed and the session is marked as verified."""
    if not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


class StaffOTPMiddleware:
    """Sends a staff account that has not given its one-time code to the code page, from every URL but the few
    it needs to get there. Placed after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user, request.session) and not self._exempt(request.path_info):
            target = reverse("two_factor")
            nxt = request.get_full_path() if request.method == "GET" else reverse("committees:workspace")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': nxt})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exact = {reverse("two_factor"), reverse("login"), reverse("logout"), reverse("healthz")}
        return path in exact or path.startswith(("/i18n/", settings.STATIC_URL))
