"""Actions that cannot be undone ask once, on a page that works without script and by keyboard (issue 13).

A citizen on a phone withdraws an application with Tab and Enter only; the confirmation pages pass axe-core."""

import datetime as dt

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
OPEN_CALL = "Det internationale Gentofte"


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def _open(page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Presses Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def _report(path: str, violations: list[dict]) -> str:
    return f"axe on {path}: " + "; ".join(f"{v['id']} ({v['help']}) at {v['nodes'][0]['target']}" for v in violations)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="da",
        extra_http_headers={"Accept-Language": "da"},
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,  # for axe-core's injected script only
    )
    yield context.new_page()
    context.close()


def test_a_citizen_withdraws_on_a_phone_by_keyboard_alone(site, phone, axe):
    from recruitment.models import Application
    from recruitment.tokens import application_token

    application = Application.objects.filter(call__title__contains=OPEN_CALL, status="modtaget").first()
    status_path = f"/ansoegning/{application_token(application)}/"
    page = phone
    _open(page, site + status_path)

    # From the status page to the confirmation page: Tab to the link, Enter.
    _tab_to(page, 'main a[href$="/traek-tilbage/"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Træk ansøgningen tilbage")
    main = page.get_by_role("main")
    expect(main).to_contain_text("slettes med det samme")
    expect(main).to_contain_text("Den kan ikke gendannes")
    assert Application.objects.filter(pk=application.pk).exists()  # following the link changed nothing

    # The page fits the phone, its buttons are large enough to hit, and axe finds nothing.
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    button = page.locator("form [name=bekraeft]")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 0.8 * PHONE["width"], box
    assert page.locator("h1").count() == 1
    violations = axe(page)
    assert not violations, _report("withdraw confirmation", violations)

    # Confirm: Tab to the button, Enter.
    _tab_to(page, "form [name=bekraeft]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Din ansøgning er slettet")
    assert not Application.objects.filter(pk=application.pk).exists()
    _open(page, site + status_path, status=404)


def test_cancelling_keeps_the_application(site, phone):
    from recruitment.models import Application
    from recruitment.tokens import application_token

    application = Application.objects.filter(call__title__contains=OPEN_CALL, status="modtaget").first()
    status_path = f"/ansoegning/{application_token(application)}/"
    _open(phone, site + status_path + "slet/")
    phone.get_by_role("link", name="Fortryd").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Din ansøgning")
    assert Application.objects.filter(pk=application.pk).exists()


def test_staff_confirmation_page_for_publishing_an_agenda_has_no_axe_violations(site, page, axe):
    from django.contrib.auth.models import User
    from django.utils import timezone

    from committees.models import Committee
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD
    from meetings import services

    staff = User.objects.get(username="sekretariat")
    committee = Committee.objects.get(slug="opgaveudvalg-om-innovation")
    meeting = services.meeting_create(
        committee=committee,
        starts_at=timezone.now() + dt.timedelta(days=10),
        location="Udvalgsværelse A",
        kind="ordinaert",
        by=staff,
    )
    services.agenda_item_add(meeting=meeting, data={"title": "Budget"}, by=staff)
    services.agenda_item_add(meeting=meeting, data={"title": "Personsag", "is_closed": True}, by=staff)

    _open(page, site + "/log-ind/")
    page.get_by_label("Brugernavn").fill("sekretariat")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/arbejde/")
    _open(page, site + f"/arbejde/moeder/{meeting.pk}/")
    page.get_by_role("link", name="Offentliggør dagsordenen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offentliggør dagsordenen")
    expect(page.get_by_role("main")).to_contain_text("1 lukket punkt vises kun med nummer, sags-ID og «Lukket»")
    violations = axe(page)
    assert not violations, _report("publish agenda confirmation", violations)
    page.locator("form [name=bekraeft]").click()
    expect(page.locator("main [role=status]")).to_contain_text("Dagsordenen er offentliggjort.")
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None
