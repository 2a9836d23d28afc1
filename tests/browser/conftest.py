"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server with the demo data.

Locally they are skipped when /usr/bin/chromium, axe-core (node_modules) or Playwright is missing. With CI=true a
skip would hide a missing browser, so they run and fail instead (as the integration tests do in tests/conftest.py).
"""

import importlib.util
import os
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing() -> list[str]:
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("Playwright for Python (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE_JS.exists():
        missing.append(f"{AXE_JS.relative_to(ROOT)} (npm ci)")
    return missing


def pytest_collection_modifyitems(config, items):
    """This hook sees every item of the session, so it only touches the tests marked `browser`."""
    missing = _missing()
    if not missing or _in_ci():
        return
    skip = pytest.mark.skip(reason="browser tests need " + ", ".join(missing) + "; `make test` runs npm ci")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module.

    While Playwright's sync API is active, this thread has a running asyncio loop, and Django refuses ORM calls here
    (SynchronousOnlyOperation): loading the demo data, and the flush after each transactional test. So the check is
    switched off for exactly as long as the browser lives, and the browser lives only as long as its module, so
    neither the loop nor the switch reaches the tests that run after the browser tests. (The live server answers in
    its own thread and is not affected.)
    """
    missing = _missing()
    if missing:  # only reached with CI=true; locally the tests were skipped at collection
        pytest.fail("CI=true and the browser tests cannot run: missing " + ", ".join(missing))
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp, sync_playwright() as pw:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo_data(browser, transactional_db):
    """The demo data, committed, so the live server's thread sees it; transactional_db removes it afterwards.

    Depends on `browser` so it runs while the ORM check is switched off (see there)."""
    call_command("load_demo", verbosity=0, demo_users=True)


@pytest.fixture
def site(demo_data, live_server) -> str:
    """Base URL of the live server, with the demo data loaded."""
    return live_server.url


def _context(browser, locale: str):
    # bypass_csp: axe-core is injected as a script, which the portal's Content-Security-Policy rightly refuses.
    return browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale}, bypass_csp=True)


@pytest.fixture
def page(browser):
    """A fresh page in a Danish browser (a new context: no cookies or language choice carried over)."""
    context = _context(browser, "da")
    yield context.new_page()
    context.close()


@pytest.fixture
def page_en(browser):
    """A fresh page in a browser that asks for English."""
    context = _context(browser, "en")
    yield context.new_page()
    context.close()


@pytest.fixture
def axe():
    """Runs axe-core's WCAG 2.0/2.1 A and AA rules on a loaded page and returns its list of violations."""

    def run(page) -> list[dict]:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return result["violations"]

    return run
