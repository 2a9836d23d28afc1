"""Fixtures for the sign-in tests: one provider for the session (tests/sso/oidc_provider.py), reset for each test."""

import pytest

from gentofte_portal.sso import discovery

from .oidc_provider import AFTER_LOGOUT, CALLBACK, Provider, configure


@pytest.fixture(scope="session")
def oidc_provider():
    provider = Provider(redirect_uris=[CALLBACK], post_logout_uris=[AFTER_LOGOUT])
    yield provider
    provider.stop()


@pytest.fixture
def oidc(settings, oidc_provider):
    """The portal configured for the provider, whose accounts and switches start afresh for every test."""
    oidc_provider.control("reset")
    configure(settings, oidc_provider)
    yield oidc_provider
    discovery.forget()
