"""Sign-in through a real OpenID Connect provider (tests/sso/provider.mjs, started by conftest.py): the portal's own
views over HTTP, the provider's login form, its tokens and JWKS."""

import json
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from gentofte_portal.sso import backend, discovery
from gentofte_portal.sso.models import Identity
from tests.factories import PersonFactory, StaffUserFactory

from .oidc_provider import Browser, Provider, callback_url, configure

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_in(client, account: str):
    return client.get(callback_url(client, account))


def events(subject: str) -> list[dict]:
    return [
        entry.additional_data
        for entry in LogEntry.objects.filter(additional_data__subject=subject).order_by("timestamp", "pk")
    ]


def test_a_secretariat_member_signs_in_the_first_time_and_gets_an_account_with_the_role(client, oidc, settings):
    settings.PORTAL_STAFF_OTP_REQUIRED = True  # the provider does the second factor: no code asked for
    response = sign_in(client, "sekretaer")

    assert response.status_code == 302 and response["Location"] == "/arbejde/"
    user = Identity.objects.get(issuer=oidc.issuer, subject="sekretaer").user
    assert user.groups.filter(name="Sekretariat").exists() and user.is_staff and not user.is_superuser
    assert (user.email, user.first_name, user.last_name) == ("sekretaer@gentofte.test", "Sara", "Sekretær")
    assert not user.has_usable_password()
    assert client.get("/arbejde/").status_code == 200
    logged = events("sekretaer")
    assert [e["event"] for e in logged] == ["roles_changed", "signed_in"]
    assert logged[-1]["roles"] == ["secretariat"]
    assert "eyJ" not in json.dumps(list(LogEntry.objects.values_list("additional_data", flat=True)))


def test_a_politician_is_linked_to_their_person_by_the_email_claim(client, oidc):
    person = PersonFactory(name="Poul Politiker", email="Politiker@Gentofte.test")

    response = sign_in(client, "politiker")

    assert response.status_code == 302 and response["Location"] == "/mine/"
    person.refresh_from_db()
    assert person.user == Identity.objects.get(subject="politiker").user
    assert not person.user.is_staff


def test_a_politician_is_never_linked_by_display_name_alone(client, oidc):
    person = PersonFactory(name="Poul Politiker", email="someone-else@gentofte.test")

    response = sign_in(client, "politiker")

    assert response.status_code == 403
    assert "Du har ikke adgang" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None and not Identity.objects.exists()


def test_an_administrator_becomes_superuser(client, oidc):
    response = sign_in(client, "admin")

    assert response.status_code == 302
    user = Identity.objects.get(subject="admin").user
    assert user.is_superuser and user.is_staff
    assert client.get("/admin/").status_code == 200


def test_a_role_the_provider_takes_away_is_gone_at_the_next_sign_in(client, oidc, django_user_model):
    assert sign_in(client, "sekretaer").status_code == 302
    user = Identity.objects.get(subject="sekretaer").user
    oidc.set_groups("sekretaer", ["grp-admin"])
    client.logout()

    assert sign_in(client, "sekretaer").status_code == 302
    user.refresh_from_db()
    assert user.is_superuser and not user.groups.filter(name="Sekretariat").exists()
    assert events("sekretaer")[-2] == {
        "issuer": oidc.issuer,
        "subject": "sekretaer",
        "event": "roles_changed",
        "before": ["secretariat"],
        "after": ["admin"],
    }

    oidc.set_groups("sekretaer", [])
    client.logout()
    response = sign_in(client, "sekretaer")

    assert response.status_code == 403 and "Du har ikke adgang" in response.content.decode()
    user.refresh_from_db()
    assert not (user.is_superuser or user.is_staff or user.groups.exists())
    assert [e["event"] for e in events("sekretaer")][-2:] == ["roles_changed", "refused"]
    assert client.get("/arbejde/").status_code == 302  # not signed in


def test_an_account_made_inactive_in_the_portal_loses_its_session(client, oidc):
    assert sign_in(client, "sekretaer").status_code == 302
    User.objects.filter(username__startswith="oidc-").update(is_active=False)
    assert client.get("/arbejde/").status_code == 302

    client.logout()
    response = sign_in(client, "sekretaer")
    assert response.status_code == 403 and "Du har ikke adgang" in response.content.decode()
    assert events("sekretaer")[-1]["reason"] == "account deactivated"


def test_a_refused_sign_in_leaves_no_one_signed_in_in_that_browser(client, oidc):
    assert sign_in(client, "sekretaer").status_code == 302
    assert sign_in(client, "borger").status_code == 403  # at the provider, a colleague signs in on the same PC
    assert client.get("/arbejde/").status_code == 302


def test_a_person_without_a_mapped_role_gets_no_account_and_the_staff_contact(client, oidc):
    users = User.objects.count()

    response = sign_in(client, "borger")

    page = response.content.decode()
    assert response.status_code == 403
    assert "Du har ikke adgang" in page and "opgaveudvalg@gentofte.test" in page and 'href="/log-ind/"' in page
    assert User.objects.count() == users and not Identity.objects.exists()
    assert events("borger") == [{"issuer": oidc.issuer, "subject": "borger", "event": "refused", "reason": "no role"}]


@pytest.mark.parametrize("mode", ["tamperIdToken", "wrongJwks"])
def test_an_id_token_whose_signature_does_not_hold_signs_no_one_in(client, oidc, mode):
    oidc.control("modes", {mode: True})

    response = sign_in(client, "borger" if mode == "tamperIdToken" else "sekretaer")

    assert response.status_code == 400
    assert "Du blev ikke logget ind" in response.content.decode()
    assert not Identity.objects.exists() and not User.objects.filter(username__startswith="oidc-").exists()
    assert client.get("/arbejde/").status_code == 302


def test_an_id_token_for_another_client_is_refused(client, oidc, monkeypatch):
    """The audience check the library leaves out: the provider's real token, read by a portal registered under
    another client id, is not for it."""
    url = callback_url(client, "sekretaer")
    original = backend.PortalOIDCBackend._verify_jws

    def as_another_client(self, payload, key):
        self.OIDC_RP_CLIENT_ID = "another-client"
        return original(self, payload, key)

    monkeypatch.setattr(backend.PortalOIDCBackend, "_verify_jws", as_another_client)
    response = client.get(url)

    assert response.status_code == 400 and not Identity.objects.exists()


def test_a_replayed_state_is_refused(client, oidc, django_user_model):
    url = callback_url(client, "sekretaer")
    assert client.get(url).status_code == 302

    again = client.get(url)
    assert again.status_code == 400 and "Du blev ikke logget ind" in again.content.decode()

    assert Client().get(url).status_code == 400  # a browser that never started this sign-in
    assert django_user_model.objects.filter(username__startswith="oidc-").count() == 1


def test_a_used_code_is_refused_by_the_provider(client, oidc):
    url = callback_url(client, "sekretaer")
    states = client.session["oidc_states"]
    assert client.get(url).status_code == 302
    client.logout()
    session = client.session
    session["oidc_states"] = states  # as if the state had not been spent: the provider itself must refuse
    session.save()

    response = client.get(url)

    assert response.status_code == 400
    assert client.get("/arbejde/").status_code == 302


def test_an_expired_code_is_refused(client, oidc):
    oidc.control("modes", {"codeTtl": 1})
    url = callback_url(client, "sekretaer")
    time.sleep(2.2)

    response = client.get(url)

    assert response.status_code == 400 and not Identity.objects.exists()


@pytest.mark.parametrize(("behind", "status"), [(3600 + 30, 302), (3600 + 300, 400)])
def test_an_expired_id_token_is_refused_beyond_the_allowed_clock_skew(client, oidc, settings, behind, status):
    """A provider whose clock runs behind issues ID tokens (an hour's lifetime) that look expired: within
    OIDC_CLOCK_SKEW_SECONDS they are accepted, beyond it refused."""
    settings.OIDC_CLOCK_SKEW_SECONDS = 60
    oidc.control("modes", {"clockOffset": -behind})

    response = sign_in(client, "sekretaer")

    assert response.status_code == status
    assert Identity.objects.exists() == (status == 302)
    assert client.get("/arbejde/").status_code == (200 if status == 302 else 302)


def test_the_no_access_page_in_english(client, oidc):
    response = client.get(callback_url(client, "borger"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and "You do not have access" in response.content.decode()


def test_a_person_who_cancels_at_the_provider_gets_a_danish_page(client, oidc):
    start = client.get("/log-ind/kommune/")
    browser = Browser()
    page = browser.follow(start["Location"])
    uid = urlparse(page.url).path.rstrip("/").split("/")[-1]
    back = browser.follow(f"{oidc.issuer}/interaction/{uid}/abort")

    assert parse_qs(urlparse(back).query)["error"] == ["access_denied"]
    response = client.get(back)
    assert response.status_code == 403
    assert "Du blev ikke logget ind" in response.content.decode() and 'href="/log-ind/"' in response.content.decode()
    assert not Identity.objects.exists()


def test_logout_ends_the_portal_session_and_the_providers(client, oidc):
    browser = Browser()
    assert client.get(callback_url(client, "sekretaer", browser=browser)).status_code == 302

    response = client.post("/log-ud/")

    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{oidc.issuer}/session/end"
    assert parse_qs(target.query) == {"client_id": ["portal"], "post_logout_redirect_uri": ["http://testserver/"]}
    assert client.get("/arbejde/").status_code == 302
    # At the provider: confirm the sign-out, and it sends the browser back to the portal.
    page = browser.follow(response["Location"])
    assert page.status_code == 200
    form = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text).group(1)
    done = browser.session.post(
        f"{oidc.issuer}{form}" if form.startswith("/") else form,
        data={"xsrf": xsrf, "logout": "yes"},
        allow_redirects=False,
    )
    assert browser.follow(done.headers["Location"]) == "http://testserver/"
    # Signed out at the provider too: the next sign-in asks for the login again.
    again = browser.follow(client.get("/log-ind/kommune/")["Location"])
    assert not isinstance(again, str) and 'name="login"' in again.text


def test_a_local_account_logs_out_as_before(client, oidc):
    user = StaffUserFactory()
    client.force_login(user)
    response = client.post("/log-ud/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_session_ends_with_the_id_token(client, oidc, settings):
    before = time.time()
    sign_in(client, "sekretaer")
    expiry = client.session.get_expiry_date().timestamp()
    # The provider's ID tokens live an hour (provider.mjs); the portal's own sessions two weeks.
    assert before + 3500 < expiry < before + 3700 < before + settings.SESSION_COOKIE_AGE


def test_the_provider_being_down_gives_a_danish_page_not_an_error(client, oidc, settings):
    dead = Provider(redirect_uris=["http://testserver/log-ind/kommune/retur/"], post_logout_uris=["http://testserver/"])
    configure(settings, dead)
    url = callback_url(client, "sekretaer")
    dead.stop()

    response = client.get(url)
    assert response.status_code == 502
    assert "Kommunens login svarer ikke" in response.content.decode()
    assert not Identity.objects.exists()

    # The discovery document is kept for an hour, so the start still sends the browser on; once it must be read
    # again, the portal says the provider is down.
    assert client.get("/log-ind/kommune/").status_code == 302
    discovery.forget()
    response = client.get("/log-ind/kommune/")
    assert response.status_code == 502 and 'href="/log-ind/"' in response.content.decode()


def test_the_login_page_offers_the_municipalitys_login_first(client, oidc):
    page = client.get("/log-ind/").content.decode()
    assert page.index("Log ind med Gentofte Kommunes login") < page.index('name="username"')
    assert 'href="/log-ind/kommune/"' in page


def test_local_passwords_can_be_switched_off_for_staff(client, oidc, settings):
    settings.OIDC_DISABLE_LOCAL_STAFF_LOGIN = True
    staff = StaffUserFactory()
    staff.set_password("pw-123456-x")
    staff.save()

    response = client.post("/log-ind/", {"username": staff.username, "password": "pw-123456-x"})

    assert response.status_code == 200
    assert "Medarbejdere logger ind med kommunens login" in response.content.decode()
    assert client.get("/arbejde/").status_code == 302


def test_without_an_issuer_there_is_no_sign_in_with_the_provider(client, settings):
    settings.OIDC_ENABLED = False
    assert client.get("/log-ind/kommune/").status_code == 404
    assert client.get("/log-ind/kommune/retur/?code=x&state=y").status_code == 404
    assert "kommune/" not in client.get("/log-ind/").content.decode()


def test_the_secretariat_group_exists_for_the_role(client, oidc):
    Group.objects.filter(name="Sekretariat").delete()
    assert sign_in(client, "sekretaer").status_code == 302
    assert Group.objects.get(name="Sekretariat").user_set.count() == 1
