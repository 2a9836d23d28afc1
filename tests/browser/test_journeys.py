"""End-to-end journeys through the real UI, in Debian's Chromium, against the live server with the demo data.

Unit and view tests check each rule on its own; these check that the pages connect into the three journeys people
actually make, with nothing but clicks and typing (the ORM is never used to set anything up or to peek):

1. a citizen finds an open call from the home page, applies (first with errors), gets the receipt by email, opens
   the private link, downloads their data and withdraws. Also on a phone (375×812), with no sideways scrolling;
2. staff draft a kommissorium and move it through its statuses to published, open a call, shortlist applicants,
   allocate the seats by D'Hondt (with a lot) and appoint the members;
3. staff build an agenda with an open and a closed item and a bilag, publish it, write and publish the minutes; the
   PDF is rendered; a politician of the committee reads the closed item, an anonymous visitor sees only "Lukket".

With DATABASE_URL and REDIS_URL (CI) the mail and the PDFs come from a real Celery worker in another process;
without them, from eager tasks in the live server's thread. Each journey keeps screenshots of its key pages, written
to var/e2e-artifacts/<test>/ when it fails (the `journey` fixture in conftest.py).
"""

import datetime as dt
import io
import json
import os
import re
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
OPEN_CALL = "Bliv medlem af opgaveudvalget Det internationale Gentofte"  # the demo's open call
STATUS_LINK = re.compile(r"https?://[^/\s]+(/ansoegning/[^/\s]+/)")
SLOW = 60_000  # ms: the machine may be busy, and PDFs are rendered by a worker


@pytest.fixture(autouse=True)
def _room_for_many_applications(settings):
    """The journeys apply several times from 127.0.0.1; the per-IP limit (and Redis, in CI) must not refuse them."""
    settings.RECRUITMENT_RATE_LIMIT = "1000/h"


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


# Steps shared by the journeys ---------------------------------------------------------------------------------


def _field(scope, label: str):
    """The form field labelled exactly `label` (crispy-forms appends "*" to the label of a required field)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _open(page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"


def _wider_elements(page) -> list[str]:
    """The elements that stick out to the right of the screen, if the page is wider than it."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .slice(0, 8)
                .map(el => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)}px)`);
        }"""
    )


def _no_sideways_scrolling(page) -> None:
    """The page is no wider than the screen; else names the elements that stick out."""
    wider = _wider_elements(page)
    assert not wider, f"{page.url} scrolls sideways on a {page.viewport_size['width']}px screen: {wider}"


def _message(page, text: str) -> None:
    """The confirmation the portal shows after a POST (Django messages, role="status")."""
    expect(page.locator("main [role=status]").first).to_contain_text(text, timeout=SLOW)


def _log_in(page, username: str) -> None:
    """Logs in from the header's "Log ind" link, as a person would; comes back to the page they were on."""
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD

    came_from = page.url
    page.get_by_role("banner").get_by_role("link", name="Log ind").click()
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url(came_from)
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()


def _fill_application(page, *, name: str, email: str) -> None:
    _field(page, "Navn").fill(name)
    _field(page, "E-mail").fill(email)
    page.get_by_label("Postnummer").fill("2820")
    page.get_by_label("Bydel").select_option(label="Gentofte")
    page.get_by_label("Fødselsår").fill("1985")
    page.get_by_label("Kvinde").check()
    competences = page.get_by_role("group", name=re.compile("Hvilke af de ønskede kompetencer"))
    competences.get_by_role("checkbox").first.check()
    page.get_by_label("Hvorfor vil du være med?").fill("Jeg vil gerne bruge min erfaring til gavn for kommunen.")
    page.get_by_label(re.compile("Jeg giver samtykke")).check()


def _apply(page, base_url: str, *, call_title: str, name: str, email: str) -> None:
    """A citizen applies from the call list in the top menu; ends on the receipt."""
    _open(page, base_url + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Opslag", exact=True).click()
    page.get_by_role("link", name=call_title).click()
    page.get_by_role("link", name="Søg om at blive medlem").click()
    _fill_application(page, name=name, email=email)
    page.get_by_role("button", name="Send ansøgning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din ansøgning")


def _status_path(mailbox, email: str) -> str:
    """The path of the private link in the receipt mailed to `email` (its host is PORTAL_BASE_URL's, not ours)."""
    _subject, body = mailbox.wait_for(email, containing="/ansoegning/")
    match = STATUS_LINK.search(body)
    assert match, body
    return match.group(1)


# 1. The citizen ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_citizen_finds_a_call_applies_gets_the_receipt_downloads_their_data_and_withdraws(journey, mailbox, device):
    phone = device == "phone"
    page = journey.new_page(viewport=PHONE if phone else DESKTOP, mobile=phone)
    name, email = "Signe Eksempel", f"signe.{uuid.uuid4().hex[:10]}@example.org"

    def key_page(step: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "da")
        _no_sideways_scrolling(page)
        journey.snap(page, step)

    _open(page, journey.base_url + "/")
    key_page("forside")
    page.get_by_role("region", name="Åbne opslag").get_by_role("link", name=OPEN_CALL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OPEN_CALL)
    key_page("opslag")
    page.get_by_role("link", name="Søg om at blive medlem").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Søg om plads i")
    key_page("ansoegningsskema")

    # First with mistakes: a broken email address and postcode, no district, birth year or consent.
    _field(page, "Navn").fill(name)
    _field(page, "E-mail").fill("signe.example.org")
    page.get_by_label("Postnummer").fill("28")
    page.get_by_label("Hvorfor vil du være med?").fill("Jeg har boet i udlandet i ti år.")
    page.get_by_role("button", name="Send ansøgning").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Ansøgningen er ikke sendt")
    expect(summary).to_contain_text("Postnummer: Et postnummer har fire cifre, fx 2820.")
    expect(summary).to_contain_text("Vi kan kun behandle din ansøgning, hvis du giver samtykke.")
    expect(_field(page, "E-mail")).to_have_attribute("aria-invalid", "true")
    expect(_field(page, "Navn")).to_have_value(name)  # what was typed is kept
    key_page("ansoegning-med-fejl")
    summary.get_by_role("link", name=re.compile("^Postnummer")).click()
    expect(page.get_by_label("Postnummer")).to_be_focused()

    # Then correctly.
    _fill_application(page, name=name, email=email)
    page.get_by_role("button", name="Send ansøgning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din ansøgning")
    key_page("kvittering")

    # The receipt's private link: the application, a copy of the data, and withdrawal.
    status_path = _status_path(mailbox, email)
    _open(page, journey.base_url + status_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Din ansøgning")
    expect(page.get_by_role("main")).to_contain_text(name)
    expect(page.get_by_role("main")).to_contain_text(email)
    key_page("min-ansoegning")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent en kopi af dine oplysninger (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert (data["navn"], data["e-mail"], data["opslag"]) == (name, email, OPEN_CALL)
    assert data["postnummer"] == "2820" and data["bydel"] == "Gentofte"

    # Withdrawing asks once, on a page that says what will happen (issue 13).
    page.get_by_role("link", name="Træk ansøgningen tilbage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Træk ansøgningen tilbage")
    expect(page.get_by_role("main")).to_contain_text("slettes med det samme")
    key_page("bekraeft-traek-tilbage")
    page.locator("form [name=bekraeft]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Din ansøgning er slettet")
    key_page("traekt-tilbage")
    _open(page, journey.base_url + status_path, status=404)  # deleted: the link leads nowhere now
    journey.assert_no_csp_violations()


# 2. Staff: from kommissorium to appointed members ---------------------------------------------------------------


def _set_mandate_status(page, button: str, status: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    _message(page, f"Kommissoriet har nu status «{status}».")


def _appoint(page, citizens: int) -> None:
    """Fills in the appointment as the allocation (and its lot) came out: the largest group takes the citizens'
    seats, every other seat goes to a council member of its group; chair and vice-chair from the largest group."""
    seats = {}
    for row in page.locator("main table tbody tr").all():
        seats[row.locator("th").inner_text().strip()] = int(row.locator("td").first.inner_text())
    assert seats and sum(seats.values()) == 15, seats
    largest = max(seats, key=seats.get)
    for group, n in seats.items():
        roles = page.get_by_role("group", name=f"Valggruppe {group}", exact=True).get_by_role("combobox")
        n_politicians = n - (citizens if group == largest else 0)
        for i in range(n_politicians):
            role = {0: "Formand", 1: "Næstformand"}.get(i, "Medlem") if group == largest else "Medlem"
            roles.nth(i).select_option(label=role)
    residents = page.get_by_role("group", name="Borgere", exact=True).get_by_role("combobox")
    for i in range(citizens):
        residents.nth(i).select_option(label=f"Plads for {largest}")


def test_staff_draft_a_kommissorium_open_a_call_shortlist_and_appoint_by_dhondt_with_a_lot(journey, mailbox):
    committee = "Opgaveudvalg for Grønne Byrum"
    call_title = f"Bliv medlem af {committee}"
    applicants = [
        ("Ingrid Prøvesen", f"ingrid.{uuid.uuid4().hex[:8]}@example.org"),
        ("Bjarke Testrup", f"bjarke.{uuid.uuid4().hex[:8]}@example.org"),
        ("Mette Eksempelsen", f"mette.{uuid.uuid4().hex[:8]}@example.org"),
    ]
    staff = journey.new_page(viewport=DESKTOP)
    _open(staff, journey.base_url + "/")
    _log_in(staff, "sekretariat")
    staff.get_by_role("banner").get_by_role("link", name="Arbejdsrum").click()

    # Propose the committee and draft its kommissorium.
    staff.get_by_role("link", name="Foreslå et nyt opgaveudvalg").click()
    staff.get_by_label("Opgaveudvalgets navn").fill(committee)
    _field(staff, "Kultur-, Unge- og Fritidsudvalget").check()
    staff.get_by_label("Formål i én sætning").fill("At give forslag til grønnere byrum sammen med borgerne.")
    staff.get_by_role("button", name="Opret forslag").click()
    _message(staff, "Opgaveudvalget er foreslået")
    _field(staff, "Baggrund").fill("Byens pladser og gader skal kunne mere end at lede trafik.")
    _field(staff, "Opgave").fill("- Kortlæg byrummene\n- Foreslå tre forsøg")
    # 13 politicians and 2 citizens: 15 seats, so D'Hondt over the council (C 13, A 2, V, B, F, Ø 1) ties.
    staff.get_by_label("Antal politikere").fill("13")
    staff.get_by_label("Antal borgere").fill("2")
    staff.get_by_label("Ønskede kompetencer og baggrunde").fill("Arkitektur og byplanlægning\nBørnefamilie")
    _field(staff, "Titel (Leverance 1)").fill("Forslag til tre byrumsforsøg")
    journey.snap(staff, "kommissorium-kladde")
    staff.get_by_role("button", name="Gem ny version").click()
    _message(staff, "Kommissoriet er gemt som en ny version.")
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"Kommissorium for {committee}")

    # Through the statuses to published.
    _set_mandate_status(staff, "Send til drøftelse i stående udvalg", "Til drøftelse i stående udvalg")
    _set_mandate_status(staff, "Indstil til Økonomiudvalget", "Indstillet til Økonomiudvalget")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    staff.get_by_label("Godkendt af Kommunalbestyrelsen den").fill(yesterday.isoformat())
    staff.get_by_label("Møde og punkt").fill(f"Kommunalbestyrelsen {yesterday:%d.%m.%Y}, punkt 7")
    staff.get_by_role("button", name="Registrér godkendelse").click()
    _message(staff, "Kommissoriet har nu status «Godkendt af Kommunalbestyrelsen».")
    _set_mandate_status(staff, "Offentliggør", "Offentliggjort")
    journey.snap(staff, "kommissorium-offentliggjort")
    staff.get_by_role("link", name="Se den offentlige side").click()
    expect(staff.get_by_role("main")).to_contain_text("Forslag til tre byrumsforsøg")
    staff.go_back()

    # Open the call.
    staff.get_by_role("link", name="Rekruttering og udpegning").click()
    staff.get_by_role("link", name="Åbn et opslag").click()
    expect(staff.get_by_label("Overskrift")).to_have_value(call_title)
    deadline = dt.datetime.now() + dt.timedelta(days=30)
    staff.get_by_label("Ansøgningsfrist").fill(deadline.strftime("%Y-%m-%dT12:00"))
    staff.get_by_role("button", name="Offentliggør opslaget").click()
    _message(staff, "Opslaget er offentliggjort.")
    journey.snap(staff, "opslag-aabnet")

    # Three citizens apply.
    citizen = journey.new_page(viewport=DESKTOP)
    for name, email in applicants:
        _apply(citizen, journey.base_url, call_title=call_title, name=name, email=email)
        mailbox.wait_for(email, containing="/ansoegning/")
    journey.snap(citizen, "borger-kvittering")

    # Shortlist two of them.
    staff.reload()
    expect(staff.get_by_role("main")).to_contain_text("3 ansøgninger vises.")
    for name, _email in applicants[:2]:
        staff.get_by_role("link", name=name).click()
        staff.get_by_label("Begrundelse").fill("Relevant erfaring med byrum.")
        staff.get_by_role("button", name="Indstil", exact=True).click()
        _message(staff, "Indstillingen er gemt.")
    expect(staff.get_by_role("row", name=re.compile(applicants[0][0]))).to_contain_text("Indstillet")
    journey.snap(staff, "indstillede")

    # Allocate all 15 seats by D'Hondt: the last two are settled by lot.
    staff.get_by_role("navigation", name="Brødkrumme").get_by_role("link", name=committee).click()
    staff.get_by_role("link", name="Fordel pladserne").click()
    staff.get_by_role("button", name="Beregn").click()
    expect(staff.get_by_role("heading", name="Resultat")).to_be_visible()
    lot = staff.get_by_role("main").get_by_role("status").filter(has_text="Lodtrækning")
    expect(lot).to_contain_text("har lige store kvotienter om de sidste 2 pladser")
    journey.snap(staff, "fordeling-med-lodtraekning")
    # The call is still open: confirming needs the box that says so ticked.
    expect(staff.get_by_role("main")).to_contain_text("Opslaget er stadig åbent")
    staff.get_by_label("Ja, fortsæt før ansøgningsfristen").check()
    staff.get_by_role("button", name="Bekræft fordelingen").click()
    _message(staff, "Fordelingen er gemt.")

    # Appoint the members.
    expect(staff.get_by_role("heading", level=1)).to_have_text("Udpegning af medlemmer")
    _appoint(staff, citizens=2)
    journey.snap(staff, "udpegning")
    staff.get_by_label("Ja, fortsæt før ansøgningsfristen").check()
    staff.get_by_role("button", name="Udpeg og nedsæt udvalget").click()
    _message(staff, "Medlemmerne er udpeget, og udvalget er nedsat.")
    main = staff.get_by_role("main")
    expect(main).to_contain_text("Status: Nedsat")
    lot_record = staff.get_by_role("region", name="Lodtrækning")
    expect(lot_record).to_contain_text("Vundet ved lodtrækning")
    expect(lot_record).to_contain_text("Lodtrækningens seed og kontrolværdi står på udvalgets offentlige side")
    members = staff.get_by_role("region", name="Medlemmer")
    expect(members.get_by_role("row")).to_have_count(1 + 15)
    expect(members).to_contain_text("Formand, politiker")
    for name, _email in applicants[:2]:
        expect(members.get_by_role("row", name=re.compile(name))).to_contain_text("borger")
    journey.snap(staff, "udvalget-nedsat")

    # The public committee page shows the allocation with its lot, the seed and the kontrolværdi published before.
    public = journey.new_page(viewport=DESKTOP)
    from gentofte_portal.common.slugs import danish_slugify

    _open(public, journey.base_url + f"/udvalg/{danish_slugify(committee)}/")
    allocation = public.get_by_role("region", name="Fordeling af pladser og lodtrækning")
    expect(allocation).to_contain_text("afgjort ved lodtrækning")
    expect(allocation).to_contain_text("Lodtrækningens seed")
    expect(allocation).to_contain_text("offentliggjort før lodtrækningen")
    journey.snap(public, "offentlig-lodtraekning")

    # Everyone who applied is told.
    assert "Du er udpeget" in mailbox.wait_for(applicants[0][1], containing="udpeget som medlem")[1]
    assert "ikke udpeget" in mailbox.wait_for(applicants[2][1], containing="ikke udpeget")[1]
    journey.assert_no_csp_violations()


# 3. Staff: agenda, minutes and PDF; a member and the public read them ------------------------------------------


def _pdf_text(page, url: str, timeout: float = 60) -> str:
    """Waits until the PDF is rendered (the portal answers 202 "PDF'en dannes" meanwhile) and returns its text."""
    from pypdf import PdfReader

    deadline = time.monotonic() + timeout
    while True:
        response = page.request.get(url)
        if response.status == 200 and response.headers["content-type"] == "application/pdf":
            return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
        assert response.status == 202, f"{url}: HTTP {response.status}"
        assert time.monotonic() < deadline, f"{url} was not rendered within {timeout:.0f} s"
        time.sleep(0.5)


def test_staff_publish_agenda_and_minutes_a_member_reads_the_closed_item_the_public_sees_lukket(journey):
    from gentofte_portal.devdata.meetings import minimal_pdf

    committee = "Kultur-, Unge- og Fritidsudvalget"
    open_title, open_decision = "Budget for fritidsområdet 2027", "Udvalget godkendte budgettet."
    closed_title, closed_summary = "Personalesag om ny kulturchef", "Indstilling om ansættelse af kulturchef Nielsen."
    staff = journey.new_page(viewport=DESKTOP)
    _open(staff, journey.base_url + "/")
    _log_in(staff, "sekretariat")
    staff.get_by_role("banner").get_by_role("link", name="Arbejdsrum").click()

    # Plan the meeting and build its agenda: an open item with a bilag, and a closed item.
    staff.get_by_role("link", name="Møder og dagsordener").click()
    staff.get_by_role("link", name="Planlæg et møde").click()
    _field(staff, "Udvalg").select_option(label=committee)  # the sitting term's committees, grouped by term
    held = dt.datetime.now() - dt.timedelta(days=1)
    staff.get_by_label("Dato og klokkeslæt").fill(held.strftime("%Y-%m-%dT16:00"))
    staff.get_by_label("Mødested").fill("Udvalgsværelse B")
    staff.get_by_role("button", name="Opret møde").click()
    _message(staff, "Mødet er oprettet.")
    meeting_path = re.search(r"/arbejde/moeder/(\d+)/", staff.url)
    assert meeting_path, staff.url
    meeting_url = f"{journey.base_url}/moeder/{meeting_path.group(1)}/"

    staff.get_by_role("link", name="Tilføj punkt").click()
    _field(staff, "Titel").fill(open_title)
    staff.get_by_label("Sags ID", exact=True).fill("26/1101")
    staff.get_by_label("Resumé").fill("Forvaltningen fremlægger budgettet for fritidsområdet.")
    staff.get_by_role("button", name="Gem punkt").click()
    _message(staff, "Punktet er gemt.")
    staff.get_by_role("link", name="Tilføj punkt").click()
    _field(staff, "Titel").fill(closed_title)
    staff.get_by_label("Sags ID", exact=True).fill("26/1102")
    staff.get_by_label(re.compile(r"^\s*Lukket punkt")).check()
    staff.get_by_label("Resumé").fill(closed_summary)
    staff.get_by_role("button", name="Gem punkt").click()
    _message(staff, "Punktet er gemt.")

    first_item = staff.get_by_role("region", name=re.compile(rf"^1\. {open_title}"))
    first_item.get_by_label("Bilagets titel").fill("Budgetoversigt")
    first_item.get_by_label(re.compile(r"^\s*Fil")).set_input_files(
        {"name": "budgetoversigt.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf("Budgetoversigt 2027")}
    )
    first_item.get_by_role("button", name="Tilføj bilag").click()
    _message(staff, "Bilaget er tilføjet.")
    expect(staff.get_by_role("region", name=re.compile(rf"^2\. {closed_title}"))).to_contain_text("Lukket")
    journey.snap(staff, "dagsorden-kladde")
    staff.get_by_role("link", name="Offentliggør dagsordenen").click()
    expect(staff.get_by_role("main")).to_contain_text("vises kun med nummer, sags-ID og «Lukket»")
    journey.snap(staff, "bekraeft-dagsorden")
    staff.locator("form [name=bekraeft]").click()
    _message(staff, "Dagsordenen er offentliggjort.")

    # The minutes: decisions, approved, published.
    staff.get_by_role("link", name="Referat", exact=True).click()
    staff.get_by_label(f"Beslutning, punkt 1: {open_title}").fill(open_decision)
    staff.get_by_label(f"Beslutning, punkt 2: {closed_title}").fill("Udvalget tiltrådte indstillingen.")
    staff.get_by_label("Mødet hævet kl.").fill("18:15")
    journey.snap(staff, "referat-kladde")
    staff.get_by_role("button", name="Gem referat").click()
    _message(staff, "Referatet er gemt.")
    staff.get_by_role("button", name="Godkend referatet").click()
    _message(staff, "Godkendelsen er gemt.")
    staff.get_by_role("link", name="Offentliggør referatet").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Offentliggør referatet")
    staff.locator("form [name=bekraeft]").click()
    _message(staff, "Referatet er offentliggjort.")
    journey.snap(staff, "referat-offentliggjort")

    # An anonymous visitor: the open item in full, the closed one only as "Lukket", in the page and the PDF.
    public = journey.new_page(viewport=DESKTOP)
    _open(public, meeting_url)
    main = public.get_by_role("main")
    expect(public.get_by_role("heading", level=1)).to_have_text(f"Referat af møde i {committee}")
    expect(main).to_contain_text(open_decision)
    expect(main).to_contain_text("Protokollen blev læst og mødet hævet kl. 18:15")
    expect(public.get_by_role("heading", name="Punkt 2: Lukket")).to_be_visible()
    expect(main).not_to_contain_text(closed_title)
    expect(main).not_to_contain_text(closed_summary)
    menu = public.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("link", name="Udvalg", exact=True)).not_to_have_attribute("aria-current", "page")
    bilag = public.get_by_role("link", name="Budgetoversigt")
    response = public.request.get(journey.base_url + bilag.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    public_pdf = _pdf_text(public, meeting_url + "referat.pdf")
    assert "Budget for fritidsomr" in public_pdf and "Lukket" in public_pdf
    assert "kulturchef" not in public_pdf
    _open(public, meeting_url)
    expect(public.get_by_role("link", name="Hent referatet som PDF")).to_be_visible()
    journey.snap(public, "offentlig-mødeside")

    # A politician of the committee logs in from the same page and reads the closed item, in the page and the PDF.
    member = journey.new_page(viewport=DESKTOP)
    _open(member, meeting_url)
    _log_in(member, "politiker")
    main = member.get_by_role("main")
    expect(member.get_by_role("heading", name=re.compile(f"Punkt 2: {closed_title}"))).to_be_visible()
    expect(main).to_contain_text(closed_summary)
    member_pdf = _pdf_text(member, meeting_url + "referat.pdf")
    assert "kulturchef" in member_pdf
    journey.snap(member, "medlemmets-mødeside")
    journey.assert_no_csp_violations()


# 4. The whole term, at 1024 px and on a 375 px phone -----------------------------------------------------------

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"


def _confirm(page) -> None:
    """Irreversible steps (publishing an agenda or a referat, withdrawing, deleting) ask once, on a page of their
    own with a form holding `bekraeft`; this checks the page asks and sends that form."""
    form = page.locator("main form").filter(has=page.locator("[name=bekraeft]"))
    expect(form).to_have_count(1)
    form.locator("[name=bekraeft]").click()


def _menu(page):
    """The header's menu; on a narrow screen it is folded behind its "Menu" toggler, which is opened first."""
    toggler = page.get_by_role("banner").locator("summary")
    if toggler.is_visible() and page.get_by_role("banner").locator("details[open]").count() == 0:
        toggler.click()
    return page.get_by_role("navigation", name="Hovedmenu")


class Term:
    """The steps of one journey through the term at one width: a screenshot of each step to /tmp/shots/, axe-core on
    each kind of page (injected through DevTools, so the portal's CSP stays on), and no sideways scrolling."""

    def __init__(self, journey, width: int):
        self.journey, self.width = journey, width
        self.step = 0
        self.violations: list[str] = []
        self.wide: list[str] = []
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob(f"journey-{width}-*.png"):
            old.unlink()

    def page(self, *, phone: bool = False):
        if phone:
            return self.journey.new_page(viewport=PHONE, mobile=True)
        return self.journey.new_page(viewport={"width": self.width, "height": 900})

    def shot(self, page, name: str, *, axe: bool = True) -> None:
        from tests.browser.test_accessibility import _report

        self.step += 1
        page.screenshot(path=SHOTS / f"journey-{self.width}-{self.step:02d}-{name}.png", full_page=True)
        wider = _wider_elements(page)
        if wider:
            self.wide.append(f"{name} ({page.url}): {wider}")
        if axe:
            if not page.evaluate("typeof axe !== 'undefined'"):
                page.evaluate(AXE_JS.read_text(encoding="utf-8"))
            violations = page.evaluate(AXE_RUN)["violations"]
            if violations:
                self.violations.append(_report(f"{name} ({page.url})", violations))

    def assert_clean(self) -> None:
        assert not self.journey.console, "console errors:\n" + "\n".join(self.journey.console)
        assert not self.violations, "\n".join(self.violations)
        assert not self.wide, f"pages wider than {self.width} px: {self.wide}"


def _appoint_with(page, politician: str, citizens: int) -> None:
    """`_appoint`, with `politician` (of the largest group) among the members and as chair."""
    _appoint(page, citizens=citizens)
    chosen = page.get_by_role("combobox", name=re.compile(re.escape(politician)))
    group = page.get_by_role("group", name=re.compile(r"^Valggruppe ")).filter(has=chosen)
    role = chosen.input_value()
    if role == "formand":
        return
    chair = next(box for box in group.get_by_role("combobox").all() if box.input_value() == "formand")
    # The old chair takes the chosen politician's place: not appointed, a member or the vice-chair.
    chair.select_option(value=role)
    chosen.select_option(value="formand")


@pytest.mark.parametrize("width", [1024, 375])
def test_the_whole_term_from_kommissorium_to_the_politicians_referat(journey, mailbox, width):
    """Kommissorium → call → applications on a phone → allocation with a lot → appointment → meeting → referat →
    a politician's /mine/, as staff, citizens and a politician would click through it, at 1024 px and at 375 px."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from gentofte_portal.common.slugs import danish_slugify
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD
    from recruitment.models import Call

    started = time.monotonic()
    term = Term(journey, width)
    committee = "Opgaveudvalg for Stier og Spor"
    call_title = f"Bliv medlem af {committee}"
    member = get_user_model().objects.get(username="politiker").person.name  # a C politician, the largest group
    applicants = [(n, f"{n.split()[0].lower()}.{uuid.uuid4().hex[:8]}@example.org") for n in ("Anna Sti", "Bo Spor")]
    applicants.append(("Carla Vej", f"carla.{uuid.uuid4().hex[:8]}@example.org"))

    # Staff log in and land in the workspace.
    staff = term.page()
    _open(staff, journey.base_url + "/")
    term.shot(staff, "forside")
    _menu(staff).get_by_role("link", name="Log ind").click()
    staff.get_by_label("Brugernavn").fill("sekretariat")
    staff.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    staff.get_by_role("main").get_by_role("button", name="Log ind").click()
    staff.wait_for_url("**/")
    _menu(staff).get_by_role("link", name="Arbejdsrum").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Arbejdsrum")
    term.shot(staff, "arbejdsrum")

    # Propose the committee and draft its kommissorium: 13 politicians and 2 citizens, so D'Hondt over the council
    # (C 13, A 2, V, B, F, Ø 1) ties for the last seats and a lot settles them.
    staff.get_by_role("link", name="Foreslå et nyt opgaveudvalg").click()
    staff.get_by_label("Opgaveudvalgets navn").fill(committee)
    _field(staff, "Kultur-, Unge- og Fritidsudvalget").check()
    staff.get_by_label("Formål i én sætning").fill("At give forslag til bedre stier og spor i hele kommunen.")
    term.shot(staff, "foreslaa-udvalg")
    staff.get_by_role("button", name="Opret forslag").click()
    _message(staff, "Opgaveudvalget er foreslået")
    _field(staff, "Baggrund").fill("Stierne binder byen sammen, men mange af dem er smalle og mørke.")
    _field(staff, "Opgave").fill("- Kortlæg stierne\n- Foreslå forbedringer")
    staff.get_by_label("Antal politikere").fill("13")
    staff.get_by_label("Antal borgere").fill("2")
    staff.get_by_label("Ønskede kompetencer og baggrunde").fill("Cyklist\nGangbesværet")
    _field(staff, "Titel (Leverance 1)").fill("Forslag til bedre stier")
    term.shot(staff, "kommissorium-kladde")
    staff.get_by_role("button", name="Gem ny version").click()
    _message(staff, "Kommissoriet er gemt som en ny version.")
    _set_mandate_status(staff, "Send til drøftelse i stående udvalg", "Til drøftelse i stående udvalg")
    _set_mandate_status(staff, "Indstil til Økonomiudvalget", "Indstillet til Økonomiudvalget")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    staff.get_by_label("Godkendt af Kommunalbestyrelsen den").fill(yesterday.isoformat())
    staff.get_by_label("Møde og punkt").fill(f"Kommunalbestyrelsen {yesterday:%d.%m.%Y}, punkt 9")
    staff.get_by_role("button", name="Registrér godkendelse").click()
    _message(staff, "Kommissoriet har nu status «Godkendt af Kommunalbestyrelsen».")
    _set_mandate_status(staff, "Offentliggør", "Offentliggjort")
    term.shot(staff, "kommissorium-offentliggjort")

    # Open the call.
    staff.get_by_role("link", name="Rekruttering og udpegning").click()
    staff.get_by_role("link", name="Åbn et opslag").click()
    expect(staff.get_by_label("Overskrift")).to_have_value(call_title)
    deadline = dt.datetime.now() + dt.timedelta(days=30)
    staff.get_by_label("Ansøgningsfrist").fill(deadline.strftime("%Y-%m-%dT12:00"))
    term.shot(staff, "opslag-formular")
    staff.get_by_role("button", name="Offentliggør opslaget").click()
    _message(staff, "Opslaget er offentliggjort.")
    term.shot(staff, "opslag-aabnet")
    review_url = staff.url

    # Three citizens apply, each on their own phone, from the menu.
    for i, (name, email) in enumerate(applicants):
        phone = term.page(phone=True)
        _open(phone, journey.base_url + "/")
        _menu(phone).get_by_role("link", name="Opslag", exact=True).click()
        phone.get_by_role("link", name=call_title).click()
        if i == 0:
            term.shot(phone, "borger-opslag")
        phone.get_by_role("link", name="Søg om at blive medlem").click()
        _fill_application(phone, name=name, email=email)
        if i == 0:
            term.shot(phone, "borger-ansoegning")
        phone.get_by_role("button", name="Send ansøgning").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Tak for din ansøgning")
        if i == 0:
            term.shot(phone, "borger-kvittering")
        mailbox.wait_for(email, containing="/ansoegning/")

    # The deadline passes (set in the database: the journey cannot wait a month).
    Call.objects.filter(title=call_title).update(deadline=timezone.now() - dt.timedelta(minutes=1))

    # Shortlist two of them.
    _open(staff, review_url)
    expect(staff.get_by_role("main")).to_contain_text("3 ansøgninger vises.")
    term.shot(staff, "ansoegninger")
    for name, _email in applicants[:2]:
        staff.get_by_role("link", name=name).click()
        staff.get_by_label("Begrundelse").fill("Bruger stierne hver dag.")
        if name == applicants[0][0]:
            term.shot(staff, "ansoegning")
        staff.get_by_role("button", name="Indstil", exact=True).click()
        _message(staff, "Indstillingen er gemt.")
    expect(staff.get_by_role("row", name=re.compile(applicants[1][0]))).to_contain_text("Indstillet")

    # Allocate all 15 seats by D'Hondt: the last two are settled by lot, whose kontrolværdi was public before.
    staff.get_by_role("navigation", name="Brødkrumme").get_by_role("link", name=committee).click()
    staff.get_by_role("link", name="Fordel pladserne").click()
    staff.get_by_role("button", name="Beregn").click()
    expect(staff.get_by_role("heading", name="Resultat")).to_be_visible()
    lot = staff.get_by_role("main").get_by_role("status").filter(has_text="Lodtrækning")
    expect(lot).to_contain_text("har lige store kvotienter om de sidste 2 pladser")
    expect(staff.get_by_role("region", name="Lodtrækning")).to_contain_text("Kontrolværdi (SHA-256)")
    expect(staff.get_by_role("main")).not_to_contain_text("Opslaget er stadig åbent")  # the deadline has passed
    term.shot(staff, "fordeling-med-lodtraekning")
    staff.get_by_role("button", name="Bekræft fordelingen").click()
    _message(staff, "Fordelingen er gemt.")

    # Appoint the members, the politician among them.
    expect(staff.get_by_role("heading", level=1)).to_have_text("Udpegning af medlemmer")
    _appoint_with(staff, member, citizens=2)
    term.shot(staff, "udpegning")
    staff.get_by_role("button", name="Udpeg og nedsæt udvalget").click()
    _message(staff, "Medlemmerne er udpeget, og udvalget er nedsat.")
    expect(staff.get_by_role("main")).to_contain_text("Status: Nedsat")
    expect(staff.get_by_role("region", name="Medlemmer").get_by_role("row")).to_have_count(1 + 15)
    term.shot(staff, "udvalget-nedsat")

    # The public committee page: the allocation with its lot, seed and kontrolværdi.
    public = term.page()
    _open(public, journey.base_url + f"/udvalg/{danish_slugify(committee)}/")
    allocation = public.get_by_role("region", name="Fordeling af pladser og lodtrækning")
    expect(allocation).to_contain_text("afgjort ved lodtrækning")
    expect(allocation).to_contain_text("offentliggjort før lodtrækningen")
    term.shot(public, "offentlig-udvalgsside")

    # A meeting of the new committee, started ten minutes ago, with an open and a closed item; agenda published.
    _menu(staff).get_by_role("link", name="Arbejdsrum").click()
    staff.get_by_role("link", name="Møder og dagsordener").click()
    staff.get_by_role("link", name="Planlæg et møde").click()
    option = _field(staff, "Udvalg").locator("option", has_text=committee).first
    _field(staff, "Udvalg").select_option(value=option.get_attribute("value"))
    now = timezone.localtime()
    starts = max(now - dt.timedelta(minutes=10), now.replace(hour=0, minute=0, second=0, microsecond=0))
    staff.get_by_label("Dato og klokkeslæt").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("Mødested").fill("Mødelokale 1")
    term.shot(staff, "nyt-moede")
    staff.get_by_role("button", name="Opret møde").click()
    _message(staff, "Mødet er oprettet.")
    meeting_id = re.search(r"/arbejde/moeder/(\d+)/", staff.url)
    assert meeting_id, staff.url
    open_title, closed_title = "Kortlægning af stierne", "Erstatningssag om en stiulykke"
    for title, case, closed in ((open_title, "26/2201", False), (closed_title, "26/2202", True)):
        staff.get_by_role("link", name="Tilføj punkt").click()
        _field(staff, "Titel").fill(title)
        staff.get_by_label("Sags ID", exact=True).fill(case)
        if closed:
            staff.get_by_label(re.compile(r"^\s*Lukket punkt")).check()
        staff.get_by_label("Resumé").fill(f"Forvaltningen fremlægger sagen: {title.lower()}.")
        if closed:
            term.shot(staff, "nyt-punkt")
        staff.get_by_role("button", name="Gem punkt").click()
        _message(staff, "Punktet er gemt.")
    term.shot(staff, "dagsorden-kladde")
    staff.get_by_role("link", name="Offentliggør dagsordenen").click()
    _confirm(staff)
    _message(staff, "Dagsordenen er offentliggjort.")

    # The referat: written, approved, published.
    staff.get_by_role("link", name="Referat", exact=True).click()
    staff.get_by_label(f"Beslutning, punkt 1: {open_title}").fill("Udvalget tog kortlægningen til efterretning.")
    staff.get_by_label(f"Beslutning, punkt 2: {closed_title}").fill("Udvalget tiltrådte indstillingen.")
    staff.get_by_label("Mødet hævet kl.").fill("23:59")
    term.shot(staff, "referat-kladde")
    staff.get_by_role("button", name="Gem referat").click()
    _message(staff, "Referatet er gemt.")
    staff.get_by_role("button", name="Godkend referatet").click()
    _message(staff, "Godkendelsen er gemt.")
    staff.get_by_role("link", name="Offentliggør referatet").click()
    _confirm(staff)
    _message(staff, "Referatet er offentliggjort.")
    term.shot(staff, "referat-offentliggjort")

    # The politician logs in, lands on /mine/, finds the new referat and reads the closed item.
    politician = term.page()
    _open(politician, journey.base_url + "/log-ind/")
    politician.get_by_label("Brugernavn").fill("politiker")
    politician.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    politician.get_by_role("main").get_by_role("button", name="Log ind").click()
    politician.wait_for_url("**/mine/")
    expect(politician.get_by_role("heading", level=1)).to_have_text("Mine udvalg")
    expect(politician.get_by_role("main").get_by_role("link", name=committee, exact=True)).to_be_visible()
    referater = politician.get_by_role("region", name="Nye referater")
    expect(referater.get_by_role("link", name=re.compile(re.escape(committee)))).to_be_visible()
    term.shot(politician, "politiker-mine")
    referater.get_by_role("link", name=re.compile(re.escape(committee))).click()
    expect(politician.get_by_role("heading", level=1)).to_have_text(f"Referat af møde i {committee}")
    expect(politician.get_by_role("heading", name=re.compile(f"Punkt 2: {closed_title}"))).to_be_visible()
    term.shot(politician, "politiker-referat")

    term.assert_clean()
    journey.assert_no_csp_violations()
    assert time.monotonic() - started < 120, f"the journey took {time.monotonic() - started:.0f} s"
