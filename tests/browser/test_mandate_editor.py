"""The kommissorium editor's rows of deliverables and milestones in Chromium: added and removed in place by
static/js/formset.js under the portal's own Content-Security-Policy, by mouse and keyboard, and without JavaScript
through the "Tilføj" button that gets the form back with one more row."""

import pytest

pytestmark = pytest.mark.browser

DRAFT = "opgaveudvalg-en-times-motion-dagligt"


def _draft():
    from committees.models import Mandate

    return Mandate.objects.get(committee__slug=DRAFT)


def _log_in(page, site: str) -> None:
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD

    page.goto(site + "/log-ind/")
    page.get_by_label("Brugernavn").fill("sekretariat")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/arbejde/")


def _open_editor(page, site: str, mandate) -> None:
    _log_in(page, site)
    response = page.goto(site + f"/arbejde/kommissorier/{mandate.pk}/rediger/")
    assert response is not None and response.status == 200


def _status(page, prefix: str):
    return page.locator(f'[data-formset="{prefix}"] [data-formset-status]')


def _total(page, prefix: str) -> str:
    return page.locator(f'input[name="{prefix}-TOTAL_FORMS"]').input_value()


@pytest.fixture
def csp_page(browser, site):
    """A Danish window under the portal's real Content-Security-Policy (no bypass), collecting console errors."""
    context = browser.new_context(locale="da", extra_http_headers={"Accept-Language": "da"})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    yield page
    context.close()


def test_rows_are_added_and_removed_in_place_and_saved(site, csp_page):
    from playwright.sync_api import expect

    page = csp_page
    mandate = _draft()
    stored = [d["title"] for d in mandate.deliverables]
    d, m = len(stored), len(mandate.milestones)
    assert d >= 2
    _open_editor(page, site, mandate)
    script_loaded = page.locator('script[src$="js/formset.js"]')
    expect(script_loaded).to_have_count(1)

    # With the script each row has a "Fjern" button instead of its "Slet" checkbox.
    expect(page.get_by_role("button", name="Fjern leverance 1", exact=True)).to_be_visible()
    expect(page.get_by_label("Slet leverance 1", exact=True)).to_be_hidden()

    # The empty row the page brings, then two more from "Tilføj en leverance": the cursor goes to each new row.
    page.get_by_label(f"Titel (Leverance {d + 1})").fill("Ny leverance A")
    page.get_by_role("button", name="Tilføj en leverance").click()
    new_title = page.get_by_label(f"Titel (Leverance {d + 2})")
    expect(new_title).to_be_focused()
    expect(_status(page, "leverancer")).to_have_text(f"Leverance {d + 2} er tilføjet.")
    page.keyboard.type("Ny leverance B")
    add = page.get_by_role("button", name="Tilføj en leverance")
    add.focus()
    page.keyboard.press("Enter")  # by keyboard: the same button, no save
    expect(page.get_by_label(f"Titel (Leverance {d + 3})")).to_be_focused()
    page.keyboard.type("Ny leverance C")
    page.get_by_label(f"Frist (Leverance {d + 3})").fill("2027-03-31")
    assert _total(page, "leverancer") == str(d + 3)

    # B, not saved yet, is taken out: C moves up to its number and its place in the form.
    page.get_by_role("button", name=f"Fjern leverance {d + 2}", exact=True).click()
    expect(_status(page, "leverancer")).to_have_text(f"Leverance {d + 2} er fjernet.")
    expect(page.get_by_label(f"Titel (Leverance {d + 2})")).to_have_value("Ny leverance C")
    expect(page.get_by_role("button", name=f"Fjern leverance {d + 2}", exact=True)).to_be_focused()
    assert _total(page, "leverancer") == str(d + 2)
    assert page.locator(f'input[name="leverancer-{d + 1}-title"]').input_value() == "Ny leverance C"
    assert page.locator(f'input[name="leverancer-{d + 1}-due_on"]').input_value() == "2027-03-31"

    # The first stored deliverable is marked for deletion and hidden; the others move up a number.
    page.get_by_role("button", name="Fjern leverance 1", exact=True).click()
    expect(_status(page, "leverancer")).to_have_text("Leverance 1 er fjernet.")
    assert page.locator('input[name="leverancer-0-DELETE"]').is_checked()
    expect(page.get_by_label("Titel (Leverance 1)").filter(visible=True)).to_have_value(stored[1])
    expect(page.get_by_role("button", name="Fjern leverance 1", exact=True)).to_be_focused()

    # One milestone from "Tilføj en milepæl" (the page's own empty row stays empty and is ignored).
    page.get_by_role("button", name="Tilføj en milepæl").click()
    date = page.get_by_label(f"Dato (Milepæl {m + 2})")
    expect(date).to_be_focused()
    expect(_status(page, "milepaele")).to_have_text(f"Milepæl {m + 2} er tilføjet.")
    date.fill("2027-01-15")
    page.get_by_label(f"Milepæl (Milepæl {m + 2})").fill("Midtvejsmøde")

    page.get_by_role("button", name="Gem ny version", exact=True).click()
    page.wait_for_url(f"**/arbejde/kommissorier/{mandate.pk}/")
    expect(page.get_by_text("Kommissoriet er gemt som en ny version.")).to_be_visible()
    mandate.refresh_from_db()
    assert [d["title"] for d in mandate.deliverables] == [*stored[1:], "Ny leverance A", "Ny leverance C"]
    assert mandate.deliverables[-1]["due_on"] == "2027-03-31"
    assert [(m["date"], m["title"]) for m in mandate.milestones][-1] == ("2027-01-15", "Midtvejsmøde")
    main = page.locator("main")
    expect(main).to_contain_text("Ny leverance C")
    expect(main).to_contain_text("Midtvejsmøde")
    expect(main).not_to_contain_text("Ny leverance B")
    assert stored[0] not in main.inner_text()
    assert page.console_errors == []


def test_editor_with_rows_added_and_removed_has_no_axe_violations(site, page, axe):
    from playwright.sync_api import expect

    from tests.browser.test_accessibility import _report

    _open_editor(page, site, _draft())
    page.get_by_role("button", name="Tilføj en leverance").click()
    page.get_by_role("button", name="Tilføj en leverance").click()
    page.get_by_role("button", name="Fjern leverance 1", exact=True).click()
    page.get_by_role("button", name="Tilføj en milepæl").click()
    expect(_status(page, "milepaele")).not_to_be_empty()
    violations = axe(page)
    assert not violations, _report("mandate editor after adding and removing rows", violations)


def test_without_javascript_the_add_button_brings_a_row_and_keeps_what_was_typed(browser, site):
    from playwright.sync_api import expect

    mandate = _draft()
    stored = [d["title"] for d in mandate.deliverables]
    versions = mandate.history.count()
    d = len(stored)
    context = browser.new_context(locale="da", extra_http_headers={"Accept-Language": "da"}, java_script_enabled=False)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        _open_editor(page, site, mandate)
        expect(page.get_by_role("button", name="Fjern leverance 1", exact=True)).to_have_count(0)  # hidden
        page.get_by_label("Baggrund", exact=True).fill("Skrevet før der blev tilføjet en række.")
        page.get_by_label(f"Titel (Leverance {d + 1})").fill("Ny leverance uden script")

        page.get_by_role("button", name="Tilføj en leverance").click()

        page.wait_for_load_state()
        expect(page.get_by_text(f"Leverance {d + 2} er tilføjet. Intet er gemt endnu")).to_be_visible()
        expect(page.get_by_label(f"Titel (Leverance {d + 2})")).to_be_focused()  # autofocus, no script
        expect(page.get_by_label("Baggrund", exact=True)).to_have_value("Skrevet før der blev tilføjet en række.")
        expect(page.get_by_label(f"Titel (Leverance {d + 1})")).to_have_value("Ny leverance uden script")
        expect(page.locator(".is-invalid")).to_have_count(0)
        assert mandate.history.count() == versions
        page.keyboard.type("Endnu en uden script")
        page.get_by_label("Slet leverance 1", exact=True).check()

        page.get_by_role("button", name="Gem ny version", exact=True).click()

        page.wait_for_url(f"**/arbejde/kommissorier/{mandate.pk}/")
        mandate.refresh_from_db()
        assert [d["title"] for d in mandate.deliverables] == [
            *stored[1:],
            "Ny leverance uden script",
            "Endnu en uden script",
        ]
        assert mandate.background == "Skrevet før der blev tilføjet en række."
        assert mandate.history.count() == versions + 1
    finally:
        context.close()
