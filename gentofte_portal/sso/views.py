"""The sign-in's two legs and the logout, on mozilla-django-oidc's views. Whatever goes wrong with the provider
ends on a Danish page with a way back to /log-ind/ (HTTP 400, 403 or 502), never on an error page of the server."""

import logging
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from gentofte_portal.common.audit import record_event
from gentofte_portal.common.roles import is_secretariat
from gentofte_portal.common.two_factor import mark_second_factor_by_provider

from .backend import ProviderRefused, TokenRejected
from .discovery import ProviderUnavailable, provider_config
from .services import ClaimsRejected, NoPortalRole

logger = logging.getLogger("gentofte_portal.sso")

SESSION_FLAG = "portal_signed_in_with_provider"


def _failure(request, *, status: int, heading: str, text: str):
    response = render(request, "sso/error.html", {"heading": heading, "text": text}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _provider_down(request):
    return _failure(
        request,
        status=502,
        heading=_("Kommunens login svarer ikke"),
        text=_("Portalen kunne ikke få kontakt til kommunens login. Prøv igen om lidt."),
    )


def _not_completed(request):
    return _failure(
        request,
        status=400,
        heading=_("Du blev ikke logget ind"),
        text=_(
            "Login-forsøget kunne ikke gennemføres: det var udløbet, allerede brugt, eller svaret fra kommunens "
            "login kunne ikke godkendes. Start forfra."
        ),
    )


def _end_earlier_session(request) -> None:
    """Whoever was signed in in this browser before does not stay signed in after a failed sign-in."""
    if request.user.is_authenticated:
        auth.logout(request)


class SignInStartView(OIDCAuthenticationRequestView):
    """/log-ind/kommune/: to the provider's sign-in, with state, nonce and a PKCE challenge kept in the session."""

    def __init__(self, *args, **kwargs):
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802 (the library's attribute name)
        return provider_config()["authorization_endpoint"]

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            response = super().get(request)
        except ProviderUnavailable as exc:
            logger.warning("OpenID Connect provider unavailable at sign-in: %s", exc)
            return _provider_down(request)
        response["Cache-Control"] = "no-store"
        return response


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """/log-ind/kommune/retur/: the provider sends the browser back here with a code (or an error)."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        if request.GET.get("error"):
            super().get(request)  # forgets the state and logs out whoever was signed in
            error = re.sub(r"[^a-z_]", "", request.GET["error"])[:64]  # an OAuth error code, nothing else logged
            logger.info("OpenID Connect provider returned error %s", error)
            record_event(
                description="OpenID Connect: fejl fra kommunens login", data={"event": "provider_error", "error": error}
            )
            return _failure(
                request,
                status=403 if error == "access_denied" else 400,
                heading=_("Du blev ikke logget ind"),
                text=_("Kommunens login afviste at logge dig ind i portalen. Prøv igen, eller kontakt sekretariatet."),
            )
        if not (request.GET.get("code") and request.GET.get("state")):
            return _not_completed(request)
        try:
            return super().get(request)
        except NoPortalRole:
            _end_earlier_session(request)
            return render(
                request,
                "sso/no_access.html",
                {"contact": settings.PORTAL_STAFF_CONTACT},
                status=403,
            )
        except ProviderUnavailable as exc:
            logger.warning("OpenID Connect provider unavailable at callback: %s", exc)
            _end_earlier_session(request)
            return _provider_down(request)
        except (TokenRejected, ProviderRefused, ClaimsRejected, SuspiciousOperation) as exc:
            logger.warning("OpenID Connect sign-in refused: %s: %s", exc.__class__.__name__, exc)
            _end_earlier_session(request)
            record_event(
                description="OpenID Connect: login afvist",
                data={"event": "rejected", "reason": exc.__class__.__name__},
            )
            return _not_completed(request)

    def login_failure(self):
        _end_earlier_session(self.request)
        return _not_completed(self.request)

    def login_success(self):
        auth.login(self.request, self.user)
        mark_second_factor_by_provider(self.request)
        self.request.session[SESSION_FLAG] = True
        # The session ends when the provider's ID token does: a person removed at the provider keeps no access
        # beyond it (and never beyond the portal's own session age).
        lifetime = getattr(self.request, "oidc_id_token_lifetime", None)
        if lifetime is not None:
            self.request.session.set_expiry(min(lifetime, settings.SESSION_COOKIE_AGE))
        response = HttpResponseRedirect(self.success_url)
        response["Cache-Control"] = "no-store"
        return response

    @property
    def success_url(self):
        next_url = self.request.session.get("oidc_login_next")
        if next_url:
            return next_url
        return reverse("committees:workspace") if is_secretariat(self.user) else reverse("meetings:mine")


@never_cache
def sign_out(request):
    """/log-ud/: ends the portal session and, for someone who signed in through the provider and when the provider
    advertises it, the provider's session too (RP-initiated logout 1.0). Everyone else: Django's logout."""
    if not (settings.OIDC_ENABLED and request.session.get(SESSION_FLAG)) or request.method != "POST":
        return auth_views.LogoutView.as_view()(request)
    auth.logout(request)
    target = reverse(settings.LOGOUT_REDIRECT_URL)
    try:
        end_session = provider_config().get("end_session_endpoint")
    except ProviderUnavailable:
        end_session = None
    if end_session:
        query = urlencode(
            {"client_id": settings.OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": request.build_absolute_uri(target)}
        )
        return HttpResponseRedirect(f"{end_session}?{query}")
    return HttpResponseRedirect(target)
