"""Staff set targets for a call's citizen seats, see each applicant's chance under the fair lottery, draw the panel
once (recorded, reproducible, a new draw only with a reason) and find it filled into the appointment form."""

import re

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recruitment import sortition
from recruitment.models import Application, SelectionDraw, SelectionTarget
from recruitment.services import allocation_confirm
from recruitment.services.selection import lottery_problem, selection_replay
from tests.factories import UserFactory
from tests.recruitment.conftest import COUNCIL

pytestmark = pytest.mark.django_db

DISTRICTS = ["hellerup", "gentofte", "vangede", "ordrup"]
GENDERS = ["kvinde", "mand", "kvinde", "mand", "andet", ""]
COMPETENCES = ["Går i skole", "Er i job", "Er aktiv i foreningslivet"]


def add_applications(call, count: int, *, start: int = 0, status=Application.Status.RECEIVED) -> list[Application]:
    """``count`` applicants spread over districts, genders, ages 16–36 and the call's competences."""
    now = timezone.now()
    return Application.objects.bulk_create(
        Application(
            call=call,
            name=f"Ansøger {i:03}",
            email=f"ansoeger{i:03}@example.org",
            postcode="2820",
            district=DISTRICTS[i % len(DISTRICTS)],
            birth_year=call.deadline_year - 16 - (i * 7) % 21,
            gender=GENDERS[i % len(GENDERS)],
            competences=COMPETENCES[: i % 4],
            motivation="Jeg vil gerne være med.",
            consent_at=now,
            status=status,
        )
        for i in range(start, start + count)
    )


def page(call) -> str:
    return reverse("recruitment:selection", args=[call.pk])


def field(form_html_name: str, html: str) -> str:
    return re.search(rf'name="{re.escape(form_html_name)}"[^>]*>', html).group(0)


def targets_post(**values) -> dict:
    """The targets form: ``kvinde=(3, 6)`` sets Køn «Kvinde» 3–6, and so on (blank everywhere else)."""
    index = {
        "kvinde": "koen-0",
        "mand": "koen-1",
        "under18": "alder-0",
        "age18": "alder-1",
        "hellerup": "bydel-3",
        "skole": "kompetence-0",
    }
    data = {}
    for key, (low, high) in values.items():
        data[f"{index[key]}-min"] = low
        data[f"{index[key]}-max"] = high
    return data


FEASIBLE = {"kvinde": (3, 5), "mand": (3, 5), "hellerup": ("2", ""), "skole": (4, "")}


@pytest.fixture
def as_staff(client, staff, council, open_call):
    client.force_login(staff)
    return client


@pytest.fixture
def pool(open_call):
    return add_applications(open_call, 24)


@pytest.fixture
def with_targets(as_staff, open_call, pool):
    response = as_staff.post(page(open_call), targets_post(**FEASIBLE))
    assert response.status_code == 302, response.content.decode()
    return open_call


def test_the_review_page_and_the_overview_link_to_the_selection(as_staff, open_call, task_committee):
    for url in (
        reverse("recruitment:review", args=[open_call.pk]),
        reverse("recruitment:overview", args=["ungepolitik"]),
    ):
        assert page(open_call) in as_staff.get(url).content.decode()


def test_the_page_counts_each_category_in_the_pool_and_says_which_pool(as_staff, open_call, pool):
    html = as_staff.get(page(open_call)).content.decode()

    assert "10 borgerpladser." in html
    assert "Ingen er indstillet endnu, så puljen er alle 24 modtagne ansøgninger." in html
    women = sum(a.gender == "kvinde" for a in pool)
    assert re.search(rf'<th scope="row">Kvinde</th><td class="text-end">{women}</td>', html)
    assert re.search(r'<th scope="row">Hellerup</th><td class="text-end">6</td>', html)
    assert '<label class="visually-hidden" for="id_koen-0-min">Kvinde: mindst</label>' in html


def test_with_applicants_shortlisted_only_they_are_the_pool(as_staff, open_call, pool):
    Application.objects.filter(pk__in=[a.pk for a in pool[:12]]).update(status=Application.Status.SHORTLISTED)

    html = as_staff.get(page(open_call)).content.decode()

    assert "Puljen er de 12 indstillede ansøgere." in html
    assert "Ansøger 011" in html and "Ansøger 020" not in html


def test_staff_set_targets_and_blank_means_none(as_staff, open_call, pool):
    response = as_staff.post(page(open_call), targets_post(**FEASIBLE))

    assert response.status_code == 302
    rows = {(t.feature, t.category): (t.minimum, t.maximum) for t in SelectionTarget.objects.all()}
    assert rows == {
        ("koen", "kvinde"): (3, 5),
        ("koen", "mand"): (3, 5),
        ("bydel", "hellerup"): (2, 10),  # only a minimum: at most the seats
        ("kompetence", "Går i skole"): (4, 10),
    }
    html = as_staff.get(page(open_call)).content.decode()
    assert 'value="3"' in field("koen-0-min", html)


@pytest.mark.parametrize(
    ("values", "name", "message"),
    [
        ({"kvinde": ("tre", 5)}, "koen-0-min", "Skriv et helt tal, fx 2."),
        ({"kvinde": (-1, 5)}, "koen-0-min", "Skriv 0 eller mere."),
        ({"kvinde": (6, 2)}, "koen-0-min", "Mindst (6) kan ikke være større end højst (2)."),
        ({"mand": (1, "2.5")}, "koen-1-max", "Skriv et helt tal, fx 2."),
        ({"mand": (1, "1e3")}, "koen-1-max", "Skriv et helt tal, fx 2."),
        ({"mand": (1, "9" * 40)}, "koen-1-max", "Skriv højst 999."),
        ({"mand": ("\x00", 2)}, "koen-1-min", "Skriv et helt tal, fx 2."),
    ],
)
def test_bad_input_is_answered_400_with_a_danish_message_by_the_field(as_staff, open_call, pool, values, name, message):
    response = as_staff.post(page(open_call), targets_post(**values, hellerup=(1, 3)))

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<div class="invalid-feedback d-block" id="id_{name}_error">{message}</div>' in html
    assert 'aria-invalid="true"' in field(name, html)
    assert not SelectionTarget.objects.exists(), "nothing is saved while a field is wrong"


def test_targets_the_pool_cannot_meet_are_named(as_staff, open_call, pool):
    women = sum(a.gender == "kvinde" for a in pool)

    as_staff.post(page(open_call), targets_post(kvinde=(women + 1, 10), mand=(6, 10)))
    html = as_staff.get(page(open_call)).content.decode()

    assert "Målene kan ikke opfyldes" in html
    assert f"Køn «Kvinde»: mindst {women + 1} ønskes, men kun {women} har søgt." in html
    assert "Køn: minimumstallene giver tilsammen flere end 10 pladser." in html
    assert "Træk panelet" not in html and "Den laveste chance" not in html


def test_the_proposal_shows_each_applicants_chance_the_lowest_and_a_plain_draws(as_staff, with_targets, pool):
    html = as_staff.get(page(with_targets)).content.decode()

    assert "En almindelig lodtrækning uden mål ville give alle 41,7 %." in html
    lowest = float(
        re.search(r"Den laveste chance for at blive udtrukket er ([\d,]+) %", html).group(1).replace(",", ".")
    )
    chances = [float(c.replace(",", ".")) for c in re.findall(r'<td class="text-end">([\d,]+) %</td>', html)]
    assert len(chances) == 24
    assert min(chances) == pytest.approx(lowest, abs=0.06)
    assert sum(chances) == pytest.approx(1000, abs=2.5), "the chances add up to the 10 seats"
    assert "Træk panelet" in html


def draw_panel(client, call):
    return client.post(reverse("recruitment:selection_draw", args=[call.pk]))


def test_the_draw_is_recorded_once_meets_the_targets_and_replays(as_staff, staff, with_targets, pool):
    response = draw_panel(as_staff, with_targets)

    assert response.status_code == 302
    draw = SelectionDraw.objects.get()
    assert (draw.number, draw.created_by, draw.superseded_at) == (1, staff, None)
    assert len(draw.panel) == 10 and set(draw.panel) <= {a.pk for a in pool}
    assert sorted(draw.inputs["targets"])[0] == ["bydel", "hellerup", 2, 10]
    assert sortition.meets(draw.panel, *lottery_problem(draw.inputs))
    assert selection_replay(inputs=draw.inputs, seed=draw.seed) == draw.panel, "same inputs and seed, same panel"
    assert sum(draw.chances.values()) == pytest.approx(10, abs=1e-4)

    again = draw_panel(as_staff, with_targets)

    assert again.status_code == 400
    assert "Panelet er allerede trukket. En ny lodtrækning kræver en begrundelse." in again.content.decode()
    assert SelectionDraw.objects.count() == 1
    html = as_staff.get(page(with_targets)).content.decode()
    assert draw.seed in html and draw.commitment in html
    assert "Træk panelet" not in html
    assert html.count("<td>opfyldt</td>") == 4
    assert '<th scope="row">Køn: Kvinde</th>' in html and '<th scope="row">Bydel: Hellerup</th>' in html


def test_drawing_without_targets_is_refused(as_staff, open_call, pool):
    response = draw_panel(as_staff, open_call)

    assert response.status_code == 400
    assert "Sæt mindst ét mål, før panelet trækkes." in response.content.decode()
    assert not SelectionDraw.objects.exists()


def test_a_new_draw_needs_a_reason_and_the_old_one_stays_visible(as_staff, staff, with_targets):
    draw_panel(as_staff, with_targets)
    first = SelectionDraw.objects.get()
    url = reverse("recruitment:selection_redraw", args=[with_targets.pk])

    refused = as_staff.post(url, {"reason": "kort"})

    assert refused.status_code == 400
    assert "Skriv en begrundelse for den nye lodtrækning (mindst 10 tegn)." in refused.content.decode()
    assert SelectionDraw.objects.count() == 1

    response = as_staff.post(url, {"reason": "En ansøger har trukket sin ansøgning tilbage."})

    assert response.status_code == 302
    first.refresh_from_db()
    second = SelectionDraw.objects.get(number=2)
    assert first.superseded_at is not None and first.superseded_by == staff
    assert second.is_current and second.reason == "En ansøger har trukket sin ansøgning tilbage."
    html = as_staff.get(page(with_targets)).content.decode()
    assert "En ansøger har trukket sin ansøgning tilbage." in html
    assert first.seed in html and second.seed in html
    assert "erstattet" in html


def test_the_draw_is_in_the_audit_log_without_its_inputs(as_staff, staff, with_targets):
    draw_panel(as_staff, with_targets)
    draw = SelectionDraw.objects.get()

    entry = LogEntry.objects.get_for_object(draw).get()

    assert entry.actor == staff and entry.action == LogEntry.Action.CREATE
    assert "panel" in entry.changes_dict and "inputs" not in entry.changes_dict
    assert LogEntry.objects.filter(content_type__model="selectiontarget").count() == 4


def test_the_kept_panel_fills_the_appointment_form_which_stays_editable(as_staff, staff, task_committee, open_call):
    applicants = add_applications(open_call, 16, status=Application.Status.SHORTLISTED)
    add_applications(open_call, 4, start=16)  # received only: not in the pool, not offered for appointment
    as_staff.post(page(open_call), targets_post(kvinde=(3, 6), mand=(3, 6)))
    draw_panel(as_staff, open_call)
    draw = SelectionDraw.objects.get()
    assert set(draw.panel) <= {a.pk for a in applicants}
    allocation = allocation_confirm(
        committee=task_committee, groups={p: [p] for p in COUNCIL}, transfers=[], by=staff, early_ok=True
    )

    html = as_staff.get(reverse("recruitment:appoint", args=[task_committee.slug])).content.decode()

    assert "Borgerne er udfyldt fra det udtrukne panel (lodtrækning nr. 1)" in html
    chosen = {}
    for application in applicants:
        select = html.split(f'name="borger-{application.pk}"', 1)[1].split("</select>", 1)[0]
        picked = re.search(r'<option value="([^"]*)" selected>', select)
        chosen[application.pk] = picked.group(1) if picked else ""
    assert {pk for pk, group in chosen.items() if group} == set(draw.panel)
    groups = [group for group in chosen.values() if group]
    assert set(groups) <= {g for g, n in allocation.final_seats.items() if n}
    assert all(groups.count(g) <= allocation.final_seats[g] for g in set(groups))


def shortlist(client, call, pk):
    url = reverse("recruitment:application", args=[call.pk, pk])
    assert client.post(url, {"action": "indstil", "reason": "Udtrukket ved lodtrækningen."}).status_code == 302


def test_a_panel_drawn_from_received_applications_must_be_shortlisted_before_appointing(as_staff, with_targets):
    draw_panel(as_staff, with_targets)
    panel = SelectionDraw.objects.get().panel
    assert "De udtrukne er ikke indstillet endnu." in as_staff.get(page(with_targets)).content.decode()

    for pk in panel[:9]:
        shortlist(as_staff, with_targets, pk)
    html = as_staff.get(page(with_targets)).content.decode()

    assert "De udtrukne er ikke indstillet endnu." in html, "one of the ten is still only received"
    assert "Puljen eller målene er ændret siden lodtrækningen." in html
    shortlist(as_staff, with_targets, panel[9])
    Application.objects.filter(pk=panel[0]).delete()  # withdrawn: deleted at once
    html = as_staff.get(page(with_targets)).content.decode()
    assert "De udtrukne er ikke indstillet endnu." not in html
    assert "(ansøgningen er slettet)" in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", "login"), ("politician", 403), ("citizen", 403), ("other_staff", 404), ("caseworker", 200)],
)
def test_only_the_calls_caseworkers_open_the_page_and_draw(
    client, council, staff, other_staff, with_targets, who, expected
):
    client.logout()
    if who == "politician":
        user = UserFactory(username="politiker-v")
        council["V"][0].user = user
        council["V"][0].save(update_fields=["user"])
        client.force_login(user)
    elif who == "citizen":
        client.force_login(UserFactory(username="borger"))
    elif who == "other_staff":
        client.force_login(other_staff)
    elif who == "caseworker":
        client.force_login(staff)
    for response in (
        client.get(page(with_targets)),
        client.post(page(with_targets), targets_post(kvinde=(0, 1))),
        draw_panel(client, with_targets),
    ):
        if expected == "login":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        elif expected == 200:
            assert response.status_code in (200, 302)
        else:
            assert response.status_code == expected
    if expected == 200:
        assert SelectionDraw.objects.count() == 1
    else:
        assert not SelectionDraw.objects.exists()
        assert SelectionTarget.objects.filter(feature="koen", category="kvinde").get().maximum == 5


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_makes_the_same_queries_with_20_and_60_applicants(as_staff, open_call):
    add_applications(open_call, 20)
    as_staff.post(page(open_call), targets_post(kvinde=(2, 6), mand=(2, 6), skole=(3, "")))
    draw_panel(as_staff, open_call)
    small = count_queries(as_staff, page(open_call))

    add_applications(open_call, 40, start=20)
    large = count_queries(as_staff, page(open_call))

    assert small == large <= 10, (small, large)


def test_the_page_is_in_english_for_english_readers(as_staff, with_targets):
    as_staff.cookies["django_language"] = "en"

    html = as_staff.get(page(with_targets), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Targets for the citizen seats" in html and "The pool is all 24 applications received" not in html
    assert "No one is shortlisted yet, so the pool is all 24 applications received." in html
    assert "A plain lottery without targets would give everyone 41.7 %." in html
    assert "Draw the panel" in html
    bad = as_staff.post(page(with_targets), targets_post(kvinde=(6, 2)), HTTP_ACCEPT_LANGUAGE="en")
    assert "At least (6) cannot be more than at most (2)." in bad.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_staff_drawing_at_the_same_moment_make_one_draw(staff, council, open_call):
    """The call's row is locked while drawing: the second "Træk panelet" waits, then finds the panel drawn."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connections

    from recruitment import selectors
    from recruitment.services import selection_draw
    from recruitment.services.selection import selection_inputs

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    add_applications(open_call, 24)
    SelectionTarget.objects.create(call=open_call, feature="koen", category="kvinde", minimum=3, maximum=6)
    pool, _shortlist = selectors.selection_pool(call=open_call)
    inputs = selection_inputs(call=open_call, pool=pool, targets=selectors.selection_targets(call=open_call))
    start, outcomes = threading.Barrier(2), []

    def draw():
        try:
            start.wait(5)
            selection_draw(call=open_call, inputs=inputs, by=staff)
            outcomes.append("drawn")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["Panelet er allerede trukket. En ny lodtrækning kræver en begrundelse.", "drawn"]
    assert SelectionDraw.objects.count() == 1
