"""Pages that wait for a PDF update themselves when the worker has rendered it (static/js/document-status.js): the
"PDF'en dannes …" page, the meeting page's notes and the secretariat's /arbejde/dokumenter/, each announced in a
polite live region, under the portal's own Content-Security-Policy and with no console error."""

import pytest

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _goto(page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"


def _log_in_as_secretariat(page, site: str) -> None:
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD

    _goto(page, site + "/log-ind/")
    page.get_by_label("Brugernavn").fill("sekretariat")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/arbejde/")


def test_waiting_pages_turn_into_the_pdf_link_when_it_is_rendered(journey, page, axe):
    from playwright.sync_api import expect

    from gentofte_portal.documents.models import Document
    from gentofte_portal.documents.services import documents_stale
    from gentofte_portal.documents.tasks import render_document
    from meetings.models import Meeting
    from tests.browser.test_accessibility import _report

    # The finance committee's held meeting, its dagsorden and referat owed but not rendered (as when the worker is
    # busy): the test renders them itself, in this process, while the pages wait.
    meeting = Meeting.objects.get(committee__slug="oekonomiudvalget", agenda_published_at__isnull=False)
    documents_stale(kind="referat", object_id=meeting.pk)
    documents_stale(kind="dagsorden", object_id=meeting.pk)
    referat = Document.objects.get(kind="referat", object_id=meeting.pk, variant="offentlig")
    detail_url = f"{journey.base_url}/moeder/{meeting.pk}/"
    pdf_url = f"{journey.base_url}/moeder/{meeting.pk}/referat.pdf"

    # A visitor on the meeting page, another on the "PDF'en dannes …" page; the secretariat on its PDF list.
    detail = journey.new_page(viewport=DESKTOP)
    _goto(detail, detail_url)
    expect(detail.get_by_role("status").filter(has_text="Referat som PDF: PDF'en dannes …")).to_be_visible()
    expect(detail.get_by_role("link", name="Hent referatet som PDF")).to_have_count(0)
    pending = journey.new_page(viewport=DESKTOP)
    _goto(pending, pdf_url, status=202)
    expect(pending.get_by_text("PDF'en dannes … Det tager normalt få sekunder.")).to_be_visible()
    expect(pending.get_by_role("link", name="Prøv at hente PDF'en igen")).to_be_visible()
    staff = journey.new_page(viewport=DESKTOP)
    _log_in_as_secretariat(staff, journey.base_url)
    _goto(staff, journey.base_url + "/arbejde/dokumenter/")
    staff_row = staff.get_by_role("row").filter(has_text=f"Referat {meeting.pk} (offentlig udgave)")
    expect(staff_row.get_by_role("cell").nth(1)).to_have_text("Venter")
    # axe on the waiting pages (a window that lets axe's injected script through the CSP; it runs the poller too).
    _goto(page, pdf_url, status=202)
    violations = axe(page)
    assert not violations, _report("the PDF'en dannes page", violations)

    render_document.apply(args=[referat.pk])
    referat.refresh_from_db()
    assert referat.status == "klar"

    live = detail.locator("[aria-live=polite]")
    expect(detail.get_by_role("link", name="Hent referatet som PDF")).to_be_visible()
    expect(detail.get_by_text("Referat som PDF: PDF'en dannes …")).to_have_count(0)
    expect(live).to_have_text("Referatet som PDF er klar.")
    # The dagsorden is still waiting: its note stays.
    expect(detail.get_by_text("Dagsorden som PDF: PDF'en dannes …")).to_be_visible()

    link = pending.get_by_role("link", name="Åbn PDF'en")
    expect(link).to_be_visible()
    expect(pending.locator("[aria-live=polite]")).to_have_text("PDF'en er klar.")
    expect(pending.get_by_text("PDF'en dannes … Det tager normalt få sekunder.")).to_have_count(0)
    response = pending.request.get(journey.base_url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

    expect(staff_row.get_by_role("cell").nth(1)).to_have_text("Klar")
    expect(staff_row.get_by_role("button")).to_have_count(0)  # nothing left to send again
    expect(staff.locator("[aria-live=polite]")).to_contain_text(
        f"Referat {meeting.pk} (offentlig udgave): PDF'en er klar."
    )

    # A render that fails is said as well.
    Document.objects.filter(kind="dagsorden", object_id=meeting.pk, variant="offentlig").update(status="fejlet")
    expect(detail.get_by_text("Dagsorden som PDF: PDF'en kunne ikke dannes.").first).to_be_visible()
    expect(live).to_contain_text("Dagsorden som PDF: PDF'en kunne ikke dannes.")

    expect(page.get_by_role("link", name="Åbn PDF'en")).to_be_visible()
    violations = axe(page)
    assert not violations, _report("the PDF'en dannes page, once ready", violations)
    assert journey.console == [], journey.console
    journey.assert_no_csp_violations()


def test_without_script_the_waiting_page_keeps_the_link_to_try_again(site, browser):
    """JavaScript off: the page stays as it was, and its link fetches the PDF once it is rendered."""
    from playwright.sync_api import expect

    from gentofte_portal.documents.models import Document
    from gentofte_portal.documents.services import documents_stale
    from gentofte_portal.documents.tasks import render_document
    from meetings.models import Meeting

    meeting = Meeting.objects.get(committee__slug="oekonomiudvalget", agenda_published_at__isnull=False)
    documents_stale(kind="referat", object_id=meeting.pk)
    context = browser.new_context(locale="da", java_script_enabled=False)
    try:
        page = context.new_page()
        _goto(page, f"{site}/moeder/{meeting.pk}/referat.pdf", status=202)
        render_document.apply(args=[Document.objects.get(kind="referat", object_id=meeting.pk, variant="offentlig").pk])
        page.wait_for_timeout(3000)  # a script would have replaced the note by now; none runs
        expect(page.get_by_text("PDF'en dannes … Det tager normalt få sekunder.")).to_be_visible()
        with page.expect_response(lambda r: r.url.endswith("/referat.pdf")) as answer:
            page.get_by_role("link", name="Prøv at hente PDF'en igen").click()
        assert answer.value.status == 200 and answer.value.headers["content-type"] == "application/pdf"
    finally:
        context.close()
