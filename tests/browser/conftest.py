"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server with the demo data.

Locally they are skipped when /usr/bin/chromium, axe-core (node_modules) or Playwright is missing. With CI=true a
skip would hide a missing browser, so they run and fail instead (as the integration tests do in tests/conftest.py).

The journeys (test_journeys.py) open their windows through the `journey` fixture, which keeps a screenshot of each
key page and, when the test fails, writes them to var/e2e-artifacts/<test>/ together with the last state of every
window. They read the portal's mail through `mailbox`: mail.outbox with eager tasks, the real worker's mail files
with PostgreSQL and Redis.
"""

import email
import email.header
import importlib.util
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "var" / "e2e-artifacts"
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


def pytest_configure(config):
    """The live server listens on 127.0.0.1 (pytest-django's default is "localhost"), unless told otherwise."""
    if not config.getoption("liveserver", None) and not os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS"):
        config.option.liveserver = "127.0.0.1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item (item.rep_setup, rep_call), so fixtures can see a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


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
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # Playwright's default of 5 s is short on a busy two-core CI machine
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
def site(demo_data, live_server, settings) -> str:
    """Base URL of the live server, with the demo data loaded and the public page cache on, as in production (the
    journeys then also show that a published change reaches anonymous visitors at once)."""
    from django.core.cache import cache

    settings.PORTAL_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
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


class Journey:
    """The browser windows of one journey, with a screenshot of each of its key pages.

    Windows are real browser contexts under the portal's own Content-Security-Policy (no bypass), so a blocked
    inline script or style shows up as a console error, which `assert_no_csp_violations` reports.
    """

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.shots: list[tuple[str, bytes]] = []
        self.console: list[str] = []

    def new_page(self, *, viewport: dict | None = None, mobile: bool = False):
        """A fresh window (no cookies), in Danish; `viewport` and `mobile` emulate a phone."""
        options = {"locale": "da", "extra_http_headers": {"Accept-Language": "da"}, "accept_downloads": True}
        if viewport:
            options["viewport"] = viewport
        if mobile:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        context = self.browser.new_context(**options)
        context.set_default_timeout(30_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        return page

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console.append(message.text)

    def snap(self, page, name: str) -> None:
        """Keeps a full-page screenshot of a key page; written out only if the test fails."""
        self.shots.append((f"{len(self.shots) + 1:02d}-{name}", page.screenshot(full_page=True)))

    def assert_no_csp_violations(self) -> None:
        blocked = [m for m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]
        assert not blocked, "the Content-Security-Policy blocked something:\n" + "\n".join(blocked)

    def save(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, png in self.shots:
            (folder / f"{name}.png").write_bytes(png)
        urls = []
        for c, context in enumerate(self.contexts, start=1):
            for p, page in enumerate(context.pages, start=1):
                if page.is_closed():
                    continue
                urls.append(f"window {c}.{p}: {page.url}")
                try:
                    page.screenshot(path=folder / f"last-window-{c}-{p}.png", full_page=True, timeout=10_000)
                except Exception as exc:  # a crashed page must not hide the test's own failure
                    urls.append(f"  (no screenshot: {exc})")
        (folder / "windows.txt").write_text("\n".join(urls + ["", "console errors:", *self.console]) + "\n")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(request, browser, site):
    """Opens the windows of a journey on the live server (with the demo data); on failure saves its screenshots
    to var/e2e-artifacts/<test name>/ (also when E2E_ARTIFACTS=always)."""
    recorder = Journey(browser, site)
    yield recorder
    reports = [getattr(request.node, f"rep_{when}", None) for when in ("setup", "call")]
    failed = any(report is not None and report.failed for report in reports)
    try:
        if failed or os.environ.get("E2E_ARTIFACTS") == "always":
            recorder.save(ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_"))
    finally:
        recorder.close()


class Mailbox:
    """The mail the portal sent in this test: from mail.outbox (eager tasks, sent in the live server's thread) or
    from the files the real Celery worker writes (tests/conftest.py, celery_worker_process)."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder

    def _messages(self) -> list[tuple[list[str], str, str]]:
        """(recipients, subject, body) of every message sent so far."""
        if self.folder is None:
            from django.core import mail

            return [(list(m.to), str(m.subject), str(m.body)) for m in mail.outbox]
        messages = []
        for path in sorted(self.folder.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk.lstrip(b"\n"))
                payload = message.get_payload(decode=True)
                body = payload.decode(message.get_content_charset() or "utf-8") if payload else ""
                subject = str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
                messages.append(([a.strip() for a in message.get("To", "").split(",")], subject, body))
        return messages

    def wait_for(self, to: str, containing: str = "", timeout: float = 60) -> tuple[str, str]:
        """(subject, body) of the first message to `to` whose body contains `containing`; waits for the worker.

        While it waits it runs the outbox sweep every PORTAL_OUTBOX_SWEEP_SECONDS, as beat does in production (no
        beat runs here): a task the web could not hand to the broker at once is sent by the sweep, not lost."""
        from django.conf import settings

        from gentofte_portal.outbox.services import outbox_sweep

        deadline = time.monotonic() + timeout
        next_sweep = time.monotonic() + settings.PORTAL_OUTBOX_SWEEP_SECONDS
        while True:
            for recipients, subject, body in self._messages():
                if to in recipients and containing in body:
                    return subject, body
            if time.monotonic() > deadline:
                sent = [(r, s) for r, s, _b in self._messages()][-10:]
                raise AssertionError(
                    f"no mail to {to} containing {containing!r} in {timeout:.0f} s; last sent: {sent}\n"
                    + self._diagnosis()
                )
            if self.folder is not None and time.monotonic() > next_sweep:
                outbox_sweep()
                next_sweep = time.monotonic() + settings.PORTAL_OUTBOX_SWEEP_SECONDS
            time.sleep(0.25)

    def _diagnosis(self) -> str:
        """The outbox's rows and the worker log's tail, so a mail that never came says where it stopped."""
        from gentofte_portal.outbox.models import Message

        rows = [
            f"  {m.task} {m.status} sent {m.dispatch_count}x at {m.dispatched_at} {m.error[:200]}"
            for m in Message.objects.order_by("-created_at")[:10]
        ]
        log = Path(__file__).resolve().parents[2] / "var" / "test-worker.log"
        tail = log.read_text(errors="replace").splitlines()[-30:] if log.exists() else []
        return "outbox (newest first):\n" + "\n".join(rows) + "\nworker log:\n" + "\n".join(tail)


@pytest.fixture
def mailbox(request, settings):
    """The portal's outgoing mail; with a broker (REDIS_URL) it starts the real worker and reads what it sends."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Mailbox()
    worker = request.getfixturevalue("celery_worker_process")
    return Mailbox(worker.mail_dir)
