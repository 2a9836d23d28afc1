"""The pages work by keyboard alone, in Danish (WCAG 2.1 AA, required by webtilgængelighedsloven), checked in Chromium.

- 2.4.1 Bypass Blocks: the first Tab reaches the skip link, which moves focus to the main content;
- 2.4.7 Focus Visible: every control shows that it has focus (its outline or box-shadow changes);
- 3.3.1 and 3.3.3: form errors are announced in a summary, and each invalid field is marked invalid and described
  by its Danish error message; the summary links to the fields;
- 2.1.1 Keyboard: a citizen can fill in and send an application with the keyboard alone;
- 3.1.1 Language of Page: <html lang="da">.
"""

import re

import pytest

pytestmark = pytest.mark.browser

OPEN_CALL = "Det internationale Gentofte"
# Focusable elements, each tagged with its index and its look while it does not have focus.
UNFOCUSED_LOOKS = """() => {
    const look = el => { const s = getComputedStyle(el); return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`; };
    const all = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')];
    all.forEach((el, i) => { el.dataset.kb = i; });
    return all.map(look);
}"""
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const s = getComputedStyle(el);
    const label = (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent || el.name || '').trim();
    return {index: el.dataset.kb ?? null, look: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`,
            name: `<${el.tagName.toLowerCase()}${el.id ? ' #' + el.id : ''}> ${label.replace(/\\s+/g, ' ').slice(0, 50)}`};
}"""
# For each link in the error summary: the field it points to, whether it is marked invalid, and the texts of the
# elements that describe it (aria-describedby on the field, or on its fieldset for radio buttons and checkboxes).
ERROR_LINKS = """() => [...document.querySelectorAll('#fejl a[href^="#"]')].map(a => {
    const field = document.getElementById(a.getAttribute('href').slice(1));
    if (!field) return {link: a.textContent.trim(), field: null};
    const ids = (field.getAttribute('aria-describedby') || field.closest('fieldset')?.getAttribute('aria-describedby') || '')
        .split(/\\s+/).filter(Boolean);
    return {
        link: a.textContent.trim(),
        field: field.id,
        invalid: field.getAttribute('aria-invalid'),
        described: ids.map(id => document.getElementById(id)?.textContent.replace(/\\s+/g, ' ').trim() ?? `(#${id} missing)`),
    };
})"""


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


@pytest.fixture(autouse=True)
def _room_for_many_applications(settings):
    settings.RECRUITMENT_RATE_LIMIT = "1000/h"


@pytest.fixture
def apply_path(site) -> str:
    from recruitment.models import Call

    return f"/opslag/{Call.objects.get(title__contains=OPEN_CALL).pk}/ansoeg/"


def _open(page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Presses Tab until the element matching `selector` has focus, as a keyboard user moves through a form."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


@pytest.mark.parametrize("path", ["/", "/opslag/", "/udvalg/", "/moeder/", "apply", "/log-ind/"])
def test_danish_page_first_tab_reaches_the_skip_link_which_moves_focus_to_main(site, page, apply_path, path):
    _open(page, site + (apply_path if path == "apply" else path))
    assert page.get_attribute("html", "lang") == "da"
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Gå til indhold")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#indhold")).to_be_focused()
    page.keyboard.press("Tab")  # and the next Tab continues inside the content, past the header
    assert page.evaluate("() => document.activeElement.closest('main') !== null"), page.evaluate(FOCUSED)


@pytest.mark.parametrize("path", ["/", "apply", "/log-ind/"])
def test_every_control_shows_visibly_that_it_has_focus(site, page, apply_path, path):
    _open(page, site + (apply_path if path == "apply" else path))
    unfocused = page.evaluate(UNFOCUSED_LOOKS)
    seen, invisible, outside = [], [], 0
    for _ in range(200):  # round the whole page once: from wherever focus starts, past the end, back to it
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:  # between the end of the page and its start
            outside += 1
            assert outside < 5, f"Tab does not come back into the page after {len(seen)} elements"
            continue
        key = focused["index"] if focused["index"] is not None else focused["name"]
        if key in seen:
            break
        seen.append(key)
        if focused["index"] is not None and focused["look"] == unfocused[int(focused["index"])]:
            invisible.append(f"{focused['name']}: {focused['look']}")
    assert len(seen) >= 8, f"only {len(seen)} elements could be reached with Tab"
    assert not invisible, "no visible focus indicator on:\n" + "\n".join(invisible)


def test_application_errors_are_announced_and_each_is_linked_to_its_field_and_message(site, page, apply_path):
    _open(page, site + apply_path)
    page.get_by_role("button", name="Send ansøgning").focus()
    page.keyboard.press("Enter")  # sent empty, from the keyboard
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("Ansøgningen er ikke sendt. Ret venligst:")
    assert page.get_attribute("html", "lang") == "da"

    links = page.evaluate(ERROR_LINKS)
    assert {link["field"] for link in links} == {
        "id_name",
        "id_email",
        "id_postcode",
        "id_district",
        "id_birth_year",
        "id_motivation",
        "id_consent",
    }, links
    for link in links:
        # "Label: message", or "Question? message" (the summary does not double punctuation).
        message = re.split(r"(?<=[:?]) ", link["link"], maxsplit=1)[1]
        assert link["invalid"] == "true", link
        assert any(message in text for text in link["described"]), link
    assert "Dette felt er påkrævet." in summary.inner_text()  # Danish, as the rest of the page
    assert "Vi kan kun behandle din ansøgning, hvis du giver samtykke." in summary.inner_text()
    # Every field marked invalid is in the summary.
    invalid = page.evaluate("() => [...document.querySelectorAll('[aria-invalid=true]')].map(el => el.id)")
    assert set(invalid) <= {link["field"] for link in links}, invalid

    # Following a link in the summary with the keyboard puts the cursor in the field.
    summary.get_by_role("link", name="Fødselsår: Dette felt er påkrævet.").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_birth_year")).to_be_focused()


def test_a_citizen_can_fill_in_and_send_an_application_with_the_keyboard_alone(site, page, apply_path):
    _open(page, site + apply_path)
    _tab_to(page, "#id_name")
    page.keyboard.type("Karl Tastatur")
    _tab_to(page, "#id_email")
    page.keyboard.type("karl.tastatur@example.org")
    _tab_to(page, "#id_postcode")
    page.keyboard.type("2900")
    _tab_to(page, "#id_district")
    page.keyboard.type("Hellerup")  # typing in a focused <select> picks the option
    _tab_to(page, "#id_birth_year")
    page.keyboard.type("1979")
    _tab_to(page, "#id_gender_0")
    page.keyboard.press("Space")
    _tab_to(page, "#id_competences_0")
    page.keyboard.press("Space")
    _tab_to(page, "#id_motivation")
    page.keyboard.type("Jeg har arbejdet i Tyskland og Japan.")
    _tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    expect(page.locator("#id_district")).to_have_value("hellerup")
    expect(page.locator("#id_gender_0")).to_be_checked()
    expect(page.locator("#id_consent")).to_be_checked()
    _tab_to(page, "main button[type=submit]")
    expect(page.get_by_role("button", name="Send ansøgning")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din ansøgning")
