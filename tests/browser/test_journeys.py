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


def _no_sideways_scrolling(page) -> None:
    """The page is no wider than the screen; else names the elements that stick out."""
    wider = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .slice(0, 8)
                .map(el => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)}px)`);
        }"""
    )
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
    staff.get_by_label("Sags ID").fill("26/1101")
    staff.get_by_label("Resumé").fill("Forvaltningen fremlægger budgettet for fritidsområdet.")
    staff.get_by_role("button", name="Gem punkt").click()
    _message(staff, "Punktet er gemt.")
    staff.get_by_role("link", name="Tilføj punkt").click()
    _field(staff, "Titel").fill(closed_title)
    staff.get_by_label("Sags ID").fill("26/1102")
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
