"""mozilla-django-oidc's backend with the portal's rules: endpoints from discovery, the ID token's signature,
issuer, audience, expiry and nonce checked, accounts found by the provider's subject, roles from its groups."""

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .discovery import ProviderUnavailable, provider_config
from .services import account_sign_in


class TokenRejected(Exception):
    """The ID token is not one the portal may trust: bad signature, another issuer or audience, expired, wrong
    nonce or algorithm."""


class ProviderRefused(Exception):
    """The provider's token endpoint answered with an OAuth error (an expired or used code, a bad verifier)."""


class PortalOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The library reads the endpoints here; Django makes a backend for every request that has a session, so
        # they are read from discovery only when a sign-in needs them (properties below).
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 (the library's attribute names)
        return provider_config()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return provider_config().get("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return provider_config()["jwks_uri"]

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            status = getattr(exc.response, "status_code", 0)
            if 400 <= status < 500:
                raise ProviderRefused(f"token endpoint answered {status}") from exc
            raise ProviderUnavailable(f"provider answered {status}") from exc
        except requests.RequestException as exc:
            raise ProviderUnavailable(exc.__class__.__name__) from exc

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except (jwt.PyJWTError, SuspiciousOperation, KeyError) as exc:  # no key in the JWKS has the kid and alg
            raise TokenRejected(exc.__class__.__name__) from exc

    def _verify_jws(self, payload, key):
        """The library checks signature and expiry only; OpenID Connect Core §3.1.3.7 also wants the issuer and
        this client as audience (and as authorised party when there are several audiences)."""
        try:
            header = jwt.get_unverified_header(payload)
            if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise TokenRejected(f"algorithm {header.get('alg')!r}")
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_config()["issuer"],
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise TokenRejected(exc.__class__.__name__) from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise TokenRejected("azp")
        return claims

    def verify_token(self, token, **kwargs):
        if not token:
            raise TokenRejected("no ID token")
        claims = super().verify_token(token, **kwargs)
        if settings.OIDC_USE_NONCE and "nonce" in kwargs and claims.get("nonce") != kwargs["nonce"]:
            raise TokenRejected("nonce")
        return claims

    def get_user(self, user_id):
        """As Django's own backend: an account made inactive ends its sessions (the library's does not check)."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_or_create_user(self, access_token, id_token, payload):
        """The ID token's claims (signed) win over userinfo's, which fills in what the ID token lacks; userinfo's
        subject must be the token's (Core §5.3.2)."""
        claims = dict(payload)
        if settings.OIDC_USE_USERINFO and self.OIDC_OP_USER_ENDPOINT and access_token:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise TokenRejected("userinfo subject")
            claims = {**userinfo, **payload}
        # The token's lifetime, counted on the portal's clock (a provider whose clock is off by less than the
        # allowed skew still gives a session as long as its token).
        self.request.oidc_id_token_lifetime = max(1, int(payload["exp"]) - int(payload["iat"]))
        return account_sign_in(issuer=provider_config()["issuer"], claims=claims)
