"""The provider's endpoints, read from its discovery document (OpenID Connect Discovery 1.0) the first time they are
needed and kept for an hour, so the portal starts even while the provider is down and follows a moved endpoint."""

import threading
import time

import requests
from django.conf import settings


class ProviderUnavailable(Exception):
    """The provider did not answer, answered with an error, or answered with something that is not its own
    configuration."""


_TTL_SECONDS = 3600
_lock = threading.Lock()
_cache: dict[str, tuple[float, dict]] = {}


def provider_config() -> dict:
    issuer = settings.OIDC_ISSUER.rstrip("/")
    with _lock:
        cached = _cache.get(issuer)
        if cached and time.monotonic() - cached[0] < _TTL_SECONDS:
            return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"discovery at {url} failed: {exc.__class__.__name__}") from exc
    # Discovery §4.3: the issuer in the document must be the one configured, or its tokens would be checked
    # against the wrong issuer.
    if config.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"discovery at {url} names another issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not config.get(key):
            raise ProviderUnavailable(f"discovery at {url} has no {key}")
    with _lock:
        _cache[issuer] = (time.monotonic(), config)
    return config


def forget() -> None:
    """Drop the cached documents (tests, and a provider that moved)."""
    with _lock:
        _cache.clear()
