"""A secretariat member signs in through the municipality's provider's own login page in a real browser
(tests/sso/provider.mjs started on the loopback address for the live server's callback)."""

import pytest

from gentofte_portal.sso.models import Identity
from tests.sso.oidc_provider import Provider, configure

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(live_server, settings):
    started = Provider(
        redirect_uris=[f"{live_server.url}/log-ind/kommune/retur/"], post_logout_uris=[f"{live_server.url}/"]
    )
    configure(settings, started)
    yield started
    started.stop()


def test_a_secretariat_member_signs_in_through_the_providers_login_page(
    browser, transactional_db, live_server, provider, page, axe
):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/log-ind/")
    assert axe(page) == []
    page.get_by_role("link", name="Log ind med Gentofte Kommunes login").click()

    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.fill("input[name=login]", "sekretaer")
    page.fill("input[name=password]", "hemmelig")
    page.get_by_role("button", name="Sign-in").click()

    page.wait_for_url(f"{live_server.url}/arbejde/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert Identity.objects.get(subject="sekretaer").user.groups.filter(name="Sekretariat").exists()

    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(f"{provider.issuer}/session/end**")


def test_a_person_without_a_role_sees_the_danish_no_access_page(
    browser, transactional_db, live_server, provider, page, axe
):
    page.goto(f"{live_server.url}/log-ind/kommune/")
    page.fill("input[name=login]", "borger")
    page.fill("input[name=password]", "hemmelig")
    page.get_by_role("button", name="Sign-in").click()

    page.wait_for_url(f"{live_server.url}/log-ind/kommune/retur/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Du har ikke adgang"
    assert axe(page) == []
    assert not Identity.objects.exists()
