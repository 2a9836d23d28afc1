"""A real OpenID Connect provider for the sign-in tests: tests/sso/provider.mjs (the npm package `oidc-provider`)
run by node on a free loopback port, and a browser-like walk through its login form with `requests`. Used by
tests/sso/conftest.py and the browser journey (tests/browser/test_oidc_sign_in.py).

Locally the tests are skipped when node or node_modules/oidc-provider is missing; with CI=true they run and fail
(a skip would hide a missing provider), as the browser tests do.
"""

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from gentofte_portal.sso import discovery

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "sso" / "provider.mjs"
CALLBACK = "http://testserver/log-ind/kommune/retur/"
AFTER_LOGOUT = "http://testserver/"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    """One node process running provider.mjs, and the switches its /__test__/ routes offer."""

    def __init__(self, *, redirect_uris: list[str], post_logout_uris: list[str]):
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
            if _in_ci():
                pytest.fail("the OIDC tests need node and node_modules/oidc-provider (npm ci)")
            pytest.skip("the OIDC tests need node and node_modules/oidc-provider (npm ci)")
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [node, str(SCRIPT), str(self.port), ",".join(redirect_uris), ",".join(post_logout_uris)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"oidc-provider did not start: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def control(self, path: str, payload: dict | None = None) -> None:
        requests.post(f"{self.issuer}/__test__/{path}", json=payload or {}, timeout=5).raise_for_status()

    def set_groups(self, account: str, groups: list[str], *, email: str | None = None) -> None:
        self.control(
            f"accounts/{account}",
            {"email": email or f"{account}@gentofte.test", "name": account.title(), "groups": groups},
        )


def configure(settings, provider: Provider) -> None:
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "portal-test-secret"
    settings.OIDC_TIMEOUT = 5
    settings.OIDC_ROLE_SECRETARIAT = ["grp-sekretariat"]
    settings.OIDC_ROLE_POLITICIAN = ["grp-politiker"]
    settings.OIDC_ROLE_ADMIN = ["grp-admin"]
    settings.PORTAL_STAFF_CONTACT = "Sekretariatet for opgaveudvalg, opgaveudvalg@gentofte.test"
    backend = "gentofte_portal.sso.backend.PortalOIDCBackend"
    if backend not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
    discovery.forget()


class Browser:
    """The provider's side of a browser: follows the provider's redirects and fills its login form, and stops
    where the provider sends the browser back to the portal."""

    def __init__(self):
        self.session = requests.Session()

    def follow(self, url: str) -> requests.Response | str:
        """Follows redirects; the portal's URL (a str) once the provider sends the browser back, else the page."""
        for _ in range(10):
            if url.startswith("http://testserver"):
                return url
            response = self.session.get(url, allow_redirects=False, timeout=10)
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("too many redirects")

    def log_in(self, page: requests.Response, account: str) -> str:
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
        response = self.session.post(
            urljoin(page.url, action),
            data={"prompt": "login", "login": account, "password": "any"},
            allow_redirects=False,
            timeout=10,
        )
        return self.follow(urljoin(page.url, response.headers["Location"]))


def callback_url(client, account: str, *, browser: Browser | None = None, next_url: str = "") -> str:
    """Starts the portal's sign-in in the Django test client and signs ``account`` in at the provider; the URL
    the provider sends the browser back to (code and state), not yet opened."""
    start = client.get("/log-ind/kommune/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content
    browser = browser or Browser()
    page = browser.follow(start["Location"])
    if isinstance(page, str):  # already signed in at the provider
        return page
    assert page.status_code == 200 and 'name="login"' in page.text, page.text[:500]
    return browser.log_in(page, account)
