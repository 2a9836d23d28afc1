"""The members' evaluation in Chromium: staff read the drafted statements through, reword one and send; a member
answers on a phone (375×812) from the link in the email, first leaving a statement out; the link then says it was
used; with five answers staff publish the summary, and the committee page shows it as a chart. axe-core checks each
page. The committee and its closing are set up with the ORM (closing a committee is the admin's, not this
journey's); everything after that is clicks and typing, except the four other members' answers (services)."""

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LINK = re.compile(r"https?://[^/\s]+(/evaluering/[^/\s]+/)")


def _no_violations(page) -> None:
    """axe-core, evaluated through DevTools so the portal's Content-Security-Policy stays on (as in the journeys)."""
    from tests.browser.test_accessibility import _report
    from tests.browser.test_journeys import AXE_JS, AXE_RUN

    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations = page.evaluate(AXE_RUN)["violations"]
    assert violations == [], _report(page.url, violations)


def _closed_committee():
    from committees.models import Committee
    from committees.services import task_committee_set_status
    from tests.evaluation.conftest import make_committee

    committee = make_committee(politicians=2, citizens=3, without_email=0, name="Opgaveudvalg om Stier")
    task_committee_set_status(committee=committee, status=Committee.Status.CLOSED)
    return committee


def _log_in(page, base_url: str) -> None:
    from gentofte_portal.devdata.mandates import DEMO_PASSWORD

    page.goto(base_url + "/log-ind/")
    page.get_by_label("Brugernavn").fill("sekretariat")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(r"/arbejde/"))


def test_a_member_answers_the_evaluation_on_a_phone(journey, mailbox, settings):
    from playwright.sync_api import expect

    settings.PORTAL_BASE_URL = journey.base_url
    committee = _closed_committee()

    # Staff: the draft, one statement reworded, sent.
    staff = journey.new_page()
    _log_in(staff, journey.base_url)
    staff.goto(journey.base_url + "/arbejde/evaluering/")
    staff.get_by_role("link", name="Opgaveudvalg om Stier").click()
    _no_violations(staff)
    staff.get_by_label("Udsagn 4").fill("Det var svært at følge med i diskussionerne")
    staff.get_by_role("button", name="Gem udsagnene").click()
    expect(staff.get_by_text("Udsagnene er gemt.")).to_be_visible()
    staff.get_by_role("link", name="Send evalueringen til medlemmerne").click()
    staff.get_by_role("button", name="Send evalueringen").click()
    expect(staff.get_by_text("Evalueringen er sendt til 5 medlemmer.")).to_be_visible()
    journey.snap(staff, "sendt")

    # The member, on a phone, from the email.
    email = f"borger{committee.pk}-0@example.org"
    subject, body = mailbox.wait_for(email, "/evaluering/")
    assert subject == "Evaluering af Opgaveudvalg om Stier"
    path = LINK.search(body).group(1)
    phone = journey.new_page(viewport=PHONE, mobile=True)
    phone.goto(journey.base_url + path)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Evaluering af Opgaveudvalg om Stier")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _no_violations(phone)
    journey.snap(phone, "skema")

    groups = phone.get_by_role("main").get_by_role("group")
    expect(groups).to_have_count(7)
    for i in range(7):
        if i != 2:  # the third is left out: refused, with the reason next to it
            groups.nth(i).get_by_label("Delvis enig").check()
    phone.get_by_role("button", name="Send mit svar").click()
    expect(phone.get_by_role("alert")).to_contain_text("Vælg et svar (eller «Ved ikke»).")
    _no_violations(phone)
    groups = phone.get_by_role("main").get_by_role("group")
    expect(groups.nth(0).get_by_label("Delvis enig")).to_be_checked()  # what was chosen is kept
    groups.nth(2).get_by_label("Ved ikke").check()
    phone.get_by_label("Har du andre kommentarer til arbejdet i opgaveudvalget?").fill("Gode møder.")
    phone.get_by_role("button", name="Send mit svar").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tak for dit svar")
    journey.snap(phone, "tak")

    phone.goto(journey.base_url + path)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Du har allerede svaret")
    _no_violations(phone)

    # Four more answer; staff see the results, publish them, and the committee page shows the chart.
    from gentofte_portal.evaluation import services
    from gentofte_portal.evaluation.models import Invitation, Survey

    survey = Survey.objects.get(committee_id=committee.pk)
    statements = list(survey.statements.values_list("pk", flat=True))
    for invitation in Invitation.objects.filter(survey=survey, answered=False):
        services.answer_submit(invitation=invitation, choices=dict.fromkeys(statements, "helt_enig"))
    staff.reload()
    expect(staff.get_by_text("Resultaterne er kun synlige her.")).to_be_visible()
    staff.get_by_role("button", name="Offentliggør resultaterne").click()
    expect(staff.get_by_text("Resultaterne vises nu på udvalgets side.")).to_be_visible()
    _no_violations(staff)
    public = journey.new_page(viewport=PHONE, mobile=True)
    public.goto(journey.base_url + f"/udvalg/{committee.slug}/")
    expect(public.get_by_role("heading", name="Medlemmernes evaluering")).to_be_visible()
    expect(public.get_by_role("img", name=re.compile("gode og brugbare løsninger"))).to_be_visible()
    expect(
        public.get_by_role("listitem").filter(has_text="80 % af medlemmerne er helt eller delvis enige")
    ).to_be_visible()
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _no_violations(public)
    journey.snap(public, "offentlig")
    journey.assert_no_csp_violations()
