"""The public pages meet WCAG 2.1 AA (required of Danish public bodies by webtilgængelighedsloven), checked in Chromium."""

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/udvalg/",
    "/udvalg/?valgperiode=2014-2017",
    "/udvalg/opgaveudvalg-om-innovation/",
    "/udvalg/oekonomiudvalget/",
    "/tilgaengelighed/",
    "/aabne-data/",
    "/moeder/",
    "/abonnement/?udvalg=opgaveudvalg-om-innovation",
    "/abonnement/privatliv/",
]


def _report(path: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {path}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:3]:
            checks = node["any"] + node["all"] + node["none"]
            why = f": {checks[0]['message']}" if checks else ""
            lines.append(f"    at {', '.join(map(str, node['target']))}{why}")
        if len(v["nodes"]) > 3:
            lines.append(f"    and {len(v['nodes']) - 3} more")
    return "\n".join(lines)


def _open(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"


@pytest.mark.parametrize("path", PAGES)
def test_danish_page_has_no_axe_violations(site, page, axe, path):
    _open(page, site + path)
    assert page.get_attribute("html", "lang") == "da"
    assert page.locator("h1").count() == 1
    violations = axe(page)
    assert not violations, _report(path, violations)


def test_english_committee_list_has_no_axe_violations(site, page_en, axe):
    _open(page_en, site + "/udvalg/")
    assert page_en.get_attribute("html", "lang") == "en"  # the English version, not Danish again
    assert page_en.locator("h1").count() == 1
    violations = axe(page_en)
    assert not violations, _report("/udvalg/ (en)", violations)


def test_skip_link_is_first_and_moves_focus_to_main(site, page):
    from playwright.sync_api import expect

    _open(page, site + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Gå til indhold")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visually-hidden-focusable: it must show while it has focus
    page.keyboard.press("Enter")
    expect(page.locator("main#indhold")).to_be_focused()


def _log_in(page, site: str, username: str) -> None:
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD

    _open(page, site + "/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Log ind").click()
    # Each role lands where its work is: the secretariat on /arbejde/, a politician on /mine/.
    page.wait_for_url("**/arbejde/" if username.startswith("sekretariat") else "**/mine/")


def test_login_page_has_no_axe_violations(site, page, axe):
    _open(page, site + "/log-ind/")
    violations = axe(page)
    assert not violations, _report("/log-ind/", violations)


def test_staff_mandate_pages_have_no_axe_violations(site, page, axe):
    """The workspace, a draft, its edit form, history and comparison, as staff see them."""
    from committees.models import Mandate

    draft = Mandate.objects.get(committee__slug="opgaveudvalg-en-times-motion-dagligt")
    published = Mandate.objects.get(committee__slug="opgaveudvalg-om-innovation")
    _log_in(page, site, "sekretariat")
    for path in [
        "/arbejde/",
        "/arbejde/nyt-opgaveudvalg/",
        f"/arbejde/kommissorier/{draft.pk}/",
        f"/arbejde/kommissorier/{draft.pk}/rediger/",
        f"/arbejde/kommissorier/{draft.pk}/historik/",
        f"/arbejde/kommissorier/{draft.pk}/historik/sammenlign/",
        f"/arbejde/kommissorier/{published.pk}/",
        "/udvalg/opgaveudvalg-om-innovation/kommissorium/",
    ]:
        _open(page, site + path)
        assert page.locator("h1").count() == 1, path
        violations = axe(page)
        assert not violations, _report(path, violations)


def test_politician_comment_page_has_no_axe_violations(site, page, axe):
    from committees.models import Mandate

    discussed = Mandate.objects.get(status="til_droeftelse")
    _log_in(page, site, "politiker")
    _open(page, site + f"/arbejde/kommissorier/{discussed.pk}/")
    assert page.get_by_role("button", name="Gem kommentar").is_visible()
    violations = axe(page)
    assert not violations, _report("comment page", violations)


def test_citizen_recruitment_pages_have_no_axe_violations(site, page, axe):
    """The call list, a call, the application form (also with errors), the privacy note and the status page."""
    from recruitment.models import Application, Call
    from recruitment.tokens import application_token

    call = Call.objects.get(title__contains="Det internationale Gentofte")
    token = application_token(Application.objects.filter(call=call).first())
    for path in [
        "/opslag/",
        f"/opslag/{call.pk}/",
        f"/opslag/{call.pk}/ansoeg/",
        "/opslag/privatliv/",
        f"/opslag/{call.pk}/kvittering/",
        f"/ansoegning/{token}/",
    ]:
        _open(page, site + path)
        assert page.locator("h1").count() == 1, path
        violations = axe(page)
        assert not violations, _report(path, violations)
    # The form sent empty: the errors are listed, linked to their fields, and the page still passes.
    _open(page, site + f"/opslag/{call.pk}/ansoeg/")
    page.get_by_role("button", name="Send ansøgning").click()
    assert page.get_by_role("alert").is_visible()
    assert page.locator('#fejl a[href="#id_name"]').count() == 1
    violations = axe(page)
    assert not violations, _report("application form with errors", violations)


def test_staff_recruitment_pages_have_no_axe_violations(site, page, axe):
    from recruitment.models import Call

    call = Call.objects.get(title__contains="Det internationale Gentofte")
    slug = call.committee.slug
    application = call.applications.first()
    _log_in(page, site, "sekretariat")
    for path in [
        f"/arbejde/udvalg/{slug}/rekruttering/",
        f"/arbejde/opslag/{call.pk}/",
        f"/arbejde/opslag/{call.pk}/ansoegninger/{application.pk}/",
        f"/arbejde/udvalg/{slug}/fordeling/",
    ]:
        _open(page, site + path)
        assert page.locator("h1").count() == 1, path
        violations = axe(page)
        assert not violations, _report(path, violations)
    _open(page, site + f"/arbejde/udvalg/{slug}/fordeling/")
    page.get_by_role("button", name="Beregn").click()
    assert page.get_by_role("heading", name="Resultat").is_visible()
    violations = axe(page)
    assert not violations, _report("allocation preview", violations)


def test_meeting_pages_have_no_axe_violations(site, page, axe):
    """The meeting list, a referat with a closed item, search, and the secretariat's agenda and minutes pages."""
    from meetings.models import Meeting

    finance = Meeting.objects.filter(committee__slug="oekonomiudvalget", agenda_published_at__isnull=False).first()
    innovation = Meeting.objects.get(committee__slug="opgaveudvalg-om-innovation")
    for path in ["/moeder/", f"/moeder/{finance.pk}/", f"/moeder/{innovation.pk}/", "/soeg/?q=budget"]:
        _open(page, site + path)
        assert page.locator("h1").count() == 1, path
        violations = axe(page)
        assert not violations, _report(path, violations)
    assert page.goto(site + f"/moeder/{finance.pk}/") and "Punkt 4: Lukket" in page.content()
    _log_in(page, site, "sekretariat")
    for path in [
        "/arbejde/moeder/",
        "/arbejde/moeder/nyt/",
        f"/arbejde/moeder/{finance.pk}/",
        f"/arbejde/moeder/{finance.pk}/referat/",
        f"/arbejde/moeder/{finance.pk}/punkter/nyt/",
    ]:
        _open(page, site + path)
        assert page.locator("h1").count() == 1, path
        violations = axe(page)
        assert not violations, _report(path, violations)


def test_politician_page_has_no_axe_violations(site, page, axe):
    _log_in(page, site, "politiker")
    _open(page, site + "/mine/")
    violations = axe(page)
    assert not violations, _report("/mine/", violations)


def test_staff_two_factor_setup_works_by_keyboard_and_has_no_axe_violations(site, page, axe, settings):
    """With two-factor login required (as in production), staff set up their app and reach the workspace."""
    import time
    from base64 import b32decode

    from django_otp.oath import TOTP

    settings.PORTAL_STAFF_OTP_REQUIRED = True  # the live server runs in this process and reads it per request
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD

    _open(page, site + "/log-ind/")
    page.get_by_label("Brugernavn").fill("sekretariat")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/log-ind/kode/**")
    assert page.get_by_role("heading", name="Opsæt totrinsbekræftelse").is_visible()
    violations = axe(page)
    assert not violations, _report("/log-ind/kode/ (set-up)", violations)

    secret = page.locator("code.otp-secret").inner_text().replace(" ", "")
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    code = page.get_by_label("Engangskode")
    from playwright.sync_api import expect

    expect(code).to_be_focused()  # autofocus: the code can be typed at once
    code.fill(f"{totp.token():06d}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/arbejde/")
    assert page.locator("h1").count() == 1


def test_the_publish_levels_of_a_closed_item_show_once_it_is_closed(site, page, axe):
    """static/js/closed-item.js: the publish level, anonymised title and personal data mark show only for a closed
    item; ticking "Lukket punkt" by keyboard shows them, and the form stays axe-clean either way."""
    from meetings.models import Meeting

    finance = Meeting.objects.filter(committee__slug="oekonomiudvalget", agenda_published_at__isnull=False).first()
    _log_in(page, site, "sekretariat")
    _open(page, site + f"/arbejde/moeder/{finance.pk}/punkter/nyt/")
    group = page.locator("#lukket-offentliggoerelse")
    assert group.is_hidden()
    page.get_by_label("Lukket punkt (behandles for lukkede døre)").focus()
    page.keyboard.press("Space")
    assert group.is_visible()
    assert page.get_by_role("group", name="Hvad må offentligheden se af det lukkede punkt?").is_visible()
    page.get_by_label("En anonymiseret titel", exact=False).check()
    violations = axe(page)
    assert not violations, _report("item form, closed", violations)


def test_network_pages_have_no_axe_violations(site, page, axe):
    """The citizens' network: the signup (also with errors), the privacy note, a member's own page with an
    invitation, and the Sekretariat's search with results."""
    from django.utils import timezone

    from gentofte_portal.network.models import Competence, Invitation, Member
    from gentofte_portal.network.tokens import manage_token

    member = Member.objects.create(
        name="Alma Netværk", email="alma.netvaerk@example.org", district="hellerup", consent_at=timezone.now()
    )
    member.competences.set(Competence.objects.filter(name__in=["Data", "Ledelse"]))
    Invitation.objects.create(member=member, kind="sparring", task="Sparring om en ny legeplads")
    for path in ["/netvaerk/tilmeld/", "/netvaerk/privatliv/", f"/netvaerk/medlem/{manage_token(member)}/"]:
        _open(page, site + path)
        assert page.locator("h1").count() == 1, path
        violations = axe(page)
        assert not violations, _report(path, violations)
    _open(page, site + "/netvaerk/tilmeld/")
    page.get_by_role("button", name="Tilmeld mig").click()
    assert page.get_by_role("alert").is_visible()
    violations = axe(page)
    assert not violations, _report("network signup with errors", violations)

    _log_in(page, site, "sekretariat")
    _open(page, site + "/arbejde/netvaerk/?soeg=1")
    assert page.get_by_label("Alma Netværk").count() == 1
    violations = axe(page)
    assert not violations, _report("/arbejde/netvaerk/", violations)
