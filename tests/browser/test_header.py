"""The header fits the screen (issue 13): at 1024 px the most loaded staff header (every link, search, language
and "Log ud") lies without sideways scrolling or a wrapped link, in Danish and in English; on a 375 px phone the
menu is folded behind a "Menu" toggler that opens by keyboard, and the page's heading starts near the top.

Screenshots go to /tmp/shots/header-<width>-<language>.png (or SHOTS_DIR) to be looked at.
"""

import os
from pathlib import Path

import pytest

from tests.browser.test_accessibility import _report

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))
LABELS = {
    "da": {"links": ["Forside", "Udvalg", "Møder", "Opslag", "Mine udvalg", "Arbejdsrum", "Administration"],
           "log_out": "Log ud", "language": "Sprog", "search": "Søg"},
    "en": {"links": ["Home", "Committees", "Meetings", "Calls", "My committees", "Workspace", "Administration"],
           "log_out": "Log out", "language": "Language", "search": "Search"},
}  # fmt: skip


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


@pytest.fixture
def window(browser):
    """Opens a window of the given width and language; collects console errors and uncaught exceptions."""
    contexts, errors = [], []

    def open_window(width: int, language: str):
        # bypass_csp only so that axe-core can be injected; the header itself needs no script at all. Reduced
        # motion switches Bootstrap's colour transitions off, so axe measures a focused button's final colours.
        context = browser.new_context(
            reduced_motion="reduce",
            locale=language,
            extra_http_headers={"Accept-Language": language},
            viewport={"width": width, "height": 800},
            bypass_csp=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        return page

    open_window.errors = errors
    yield open_window
    for context in contexts:
        context.close()


def _log_in_as_secretariat(page, site: str) -> None:
    """The secretariat's staff user sees every link the header has (Administration included)."""
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD

    page.goto(site + "/log-ind/")
    page.locator("input[name=username]").fill("sekretariat")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/arbejde/")


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_most_loaded_staff_header_fits_on_one_line_at_1024px(site, window, axe, language):
    page = window(1024, language)
    _log_in_as_secretariat(page, site)
    if language == "en":  # the English labels are the longer ones
        page.goto(site + "/udvalg/")
    labels = LABELS[language]
    banner = page.get_by_role("banner")
    expect(page.locator("html")).to_have_attribute("lang", language)

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    expect(banner.get_by_role("button", name=labels["log_out"])).to_be_visible()
    expect(banner.get_by_role("combobox", name=labels["language"])).to_be_visible()
    expect(banner.get_by_role("link", name=labels["search"])).to_be_visible()
    expect(banner.locator("summary")).to_be_hidden()  # no toggler: the menu lies open

    menu = page.get_by_role("navigation", name="Hovedmenu" if language == "da" else "Main menu")
    boxes = [menu.get_by_role("link", name=name, exact=True).bounding_box() for name in labels["links"]]
    assert all(boxes), labels["links"]
    assert len({round(b["y"]) for b in boxes}) == 1, f"the links do not lie on one line: {boxes}"
    assert all(b["height"] < 45 for b in boxes), f"a link is wrapped onto two lines: {boxes}"
    assert all(b["x"] + b["width"] <= 1024 for b in boxes)
    tools = [
        banner.get_by_role("link", name=labels["search"]),
        banner.get_by_role("combobox", name=labels["language"]),
        banner.get_by_role("button", name=labels["log_out"]),
    ]
    assert len({round(t.bounding_box()["y"]) for t in tools}) == 1, "search, language and log out are not on one line"
    header = banner.bounding_box()
    assert header["height"] < 100, f"the header is {header['height']} px tall"

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"header-1024-{language}.png")
    violations = axe(page)
    assert not violations, _report(f"{page.url} at 1024 px ({language})", violations)
    assert not window.errors, window.errors


@pytest.mark.parametrize("language", ["da", "en"])
def test_on_a_phone_the_menu_is_folded_and_opens_by_keyboard(site, window, axe, language):
    page = window(375, language)
    _log_in_as_secretariat(page, site)
    labels = LABELS[language]
    banner = page.get_by_role("banner")
    toggler = banner.locator("summary")
    log_out = banner.get_by_role("button", name=labels["log_out"])

    # Folded: only the brand and the toggler show, and the page's heading starts near the top.
    expect(toggler).to_be_visible()
    expect(toggler).to_have_accessible_name("Menu")
    expect(log_out).to_be_hidden()
    expect(banner.get_by_role("link", name=labels["links"][5], exact=True)).to_be_hidden()
    assert page.locator("h1").bounding_box()["y"] < 200
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"header-375-{language}-folded.png")
    violations = axe(page)
    assert not violations, _report(f"{page.url} at 375 px, menu folded ({language})", violations)

    # By keyboard: Tab past the skip link and the brand to the toggler, Enter opens it, Tab reaches "Log ud".
    page.locator("body").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(toggler).to_be_focused()
    page.keyboard.press("Enter")
    expect(banner.locator("details")).to_have_attribute("open", "")
    expect(log_out).to_be_visible()
    for _ in range(20):
        page.keyboard.press("Tab")
        if log_out.evaluate("el => el === document.activeElement"):
            break
    expect(log_out).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the open menu is too wide"
    page.screenshot(path=SHOTS / f"header-375-{language}-open.png")
    violations = axe(page)
    assert not violations, _report(f"{page.url} at 375 px, menu open ({language})", violations)

    # Space on the toggler folds it again.
    toggler.focus()
    page.keyboard.press(" ")
    expect(log_out).to_be_hidden()
    assert not window.errors, window.errors


def test_anonymous_visitors_on_a_phone_find_log_ind_in_the_menu(site, window):
    page = window(375, "da")
    page.goto(site + "/")
    log_in = page.get_by_role("banner").get_by_role("link", name="Log ind")
    expect(log_in).to_be_hidden()
    page.get_by_role("banner").locator("summary").click()
    log_in.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/log-ind/" in page.url
