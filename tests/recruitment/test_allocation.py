"""Staff allocate a task committee's seats by D'Hondt with a lot drawn once, recorded and verifiable by anyone, appoint
the members each group chose (every applicant told the outcome), and fill a vacancy from the same group."""

import hashlib
import json
import random
import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, Person
from recruitment import dhondt
from recruitment.models import Allocation, Application, LotDraw
from recruitment.services import group_votes, lot_draw_current
from recruitment.services.lots import lot_allocate
from tests.recruitment.conftest import COUNCIL

pytestmark = pytest.mark.django_db

ALL_GROUPS = ("A", "B", "C", "F", "V", "Ø")


# --- Helpers ------------------------------------------------------------------------------------------------------


def url(name, committee, *args) -> str:
    return reverse(f"recruitment:{name}", args=[committee.slug, *args])


def groups_post(action="beregn", **fields) -> dict:
    """The allocation form: every council party in its own group unless ``party_X="label"`` says otherwise; staff
    confirm going on before the open call's deadline (refused without it: test_allocating_before_the_deadline…)."""
    data = {f"party_{letter}": letter for letter in COUNCIL}
    data.update(action=action, transfer_from="", transfer_to="", before_deadline="on")
    data.update(fields)
    return data


def shown_seats(html: str) -> dict[str, int]:
    result = html.split('id="resultat"', 1)[1]
    return {group: int(n) for group, n in re.findall(r"<strong>([^<]+)</strong>: (\d+)", result.split("</p>", 1)[0])}


def shown_lot(html: str) -> tuple[list[str], int, list[str]]:
    tied, seats, winners = re.search(
        r"Lodtrækning: (.+?) har lige store kvotienter om (?:den sidste plads|de sidste (\d+) pladser)\. "
        r"Udtrukket: (.+?)\.",
        html,
    ).groups()
    return tied.split(", "), int(seats or 1), winners.split(", ")


def confirm(client, committee, **fields) -> Allocation:
    response = client.post(url("allocation", committee), groups_post(action="bekraeft", **fields))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == url("appoint", committee)
    return Allocation.objects.get()


def make_application(call, name, **fields) -> Application:
    return Application.objects.create(
        call=call,
        name=name,
        email=f"{name.lower().replace(' ', '.')}@example.org",
        postcode="2820",
        district="gentofte",
        birth_year=call.deadline_year - 19,
        gender="mand",
        motivation="Jeg vil gerne være med.",
        consent_at=timezone.now(),
        **fields,
    )


# --- The allocation -----------------------------------------------------------------------------------------------


@pytest.fixture
def as_staff(client, staff, council, open_call):
    """Staff (the call's caseworker) logged in; the committee is recruiting."""
    client.force_login(staff)
    return client


def test_the_form_has_a_field_per_party_and_no_seed_for_the_browser_to_choose(as_staff, task_committee):
    response = as_staff.get(url("allocation", task_committee))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="seed"' not in html
    assert all(f'name="party_{letter}"' in html for letter in COUNCIL)
    assert not Allocation.objects.exists()


def test_computing_shows_the_quotients_and_a_lot_among_all_six_for_the_last_two_seats(as_staff, task_committee):
    response = as_staff.post(url("allocation", task_committee), groups_post())

    assert response.status_code == 200
    html = response.content.decode()
    tied, seats, winners = shown_lot(html)
    assert sorted(tied) == sorted(ALL_GROUPS)
    assert seats == 2
    assert len(set(winners)) == 2 and set(winners) <= set(ALL_GROUPS)
    shown = shown_seats(html)
    certain = {"C": 12, "A": 1, "V": 0, "B": 0, "F": 0, "Ø": 0}
    assert shown == {g: certain[g] + (g in winners) for g in ALL_GROUPS}
    # The quotient table: C's 13 wins seat 1; six quotients of 1 are in the draw, two of them won seats 14 and 15.
    assert "13 (1)</td>" in html
    assert html.count('<span class="visually-hidden">lodtrækning</span>*') == 6
    assert "(14) <span" in html and "(15) <span" in html
    assert "Bekræft fordelingen" in html
    assert not Allocation.objects.exists(), "computing stores nothing"


def test_a_lot_for_one_seat_is_told_in_the_singular(as_staff, task_committee):
    task_committee.seats, task_committee.citizen_seats = 14, 9
    task_committee.save()

    html = as_staff.post(url("allocation", task_committee), groups_post()).content.decode()

    assert "har lige store kvotienter om den sidste plads. Udtrukket: " in html
    assert "1 pladser" not in html


def test_the_lot_is_drawn_once_and_recorded_when_first_shown(as_staff, staff, task_committee):
    first = as_staff.post(url("allocation", task_committee), groups_post()).content.decode()
    again = [as_staff.post(url("allocation", task_committee), groups_post()).content.decode() for _ in range(5)]

    assert all(shown_lot(html) == shown_lot(first) and shown_seats(html) == shown_seats(first) for html in again)
    draw = LotDraw.objects.get(committee=task_committee)
    tied, seats, winners = shown_lot(first)
    assert draw.number == 1 and draw.is_current and draw.revealed_at is None
    assert len(draw.results) == 1  # recorded once, the first time
    assert draw.results[0]["lots"] == [{"tied": tied, "seats": seats, "winners": winners}]
    assert draw.results[0]["shown_by"] == "Signe Holm"
    assert "vist første gang for Signe Holm" in again[-1]
    assert re.search(r'<time datetime="[^"]+">\d{1,2}\. \w+ \d{4} kl\. \d{2}:\d{2}</time>', again[-1])


def test_a_posted_seed_changes_nothing(as_staff, task_committee):
    first = as_staff.post(url("allocation", task_committee), groups_post()).content.decode()
    for seed in ["1", "7", "42", "abc"]:
        html = as_staff.post(url("allocation", task_committee), groups_post(seed=seed)).content.decode()
        assert shown_lot(html) == shown_lot(first)


def test_renaming_a_group_does_not_draw_again(as_staff, task_committee):
    """The draw depends on the groups' parties, not on the labels staff type."""
    plain = shown_lot(as_staff.post(url("allocation", task_committee), groups_post()).content.decode())
    renamed = as_staff.post(url("allocation", task_committee), groups_post(party_A="S", party_C="K")).content.decode()
    names = {"A": "S", "C": "K"}
    tied, seats, winners = shown_lot(renamed)
    assert (sorted(tied), seats, sorted(winners)) == (
        sorted(names.get(g, g) for g in plain[0]),
        plain[1],
        sorted(names.get(g, g) for g in plain[2]),
    )


def test_confirming_stores_what_was_shown_with_the_lot_and_reveals_its_seed(as_staff, staff, task_committee):
    shown = as_staff.post(url("allocation", task_committee), groups_post()).content.decode()

    allocation = confirm(as_staff, task_committee)

    tied, seats, winners = shown_lot(shown)
    draw = LotDraw.objects.get(committee=task_committee)
    assert allocation.lot_draw == draw and draw.revealed_at is not None
    assert allocation.seats == shown_seats(shown)
    assert allocation.final_seats == allocation.seats
    assert allocation.transfers == []
    assert allocation.lots == [{"tied": tied, "value": "1/1", "seats": seats, "winners": winners}]
    assert allocation.votes == COUNCIL
    assert allocation.groups == {letter: [letter] for letter in COUNCIL}
    assert (allocation.seats_total, allocation.confirmed_by, allocation.appointed_at) == (15, staff, None)


def test_the_overview_shows_the_lot_in_a_sentence(as_staff, task_committee):
    allocation = confirm(as_staff, task_committee)
    lot = allocation.lots[0]

    html = as_staff.get(url("overview", task_committee)).content.decode()

    assert (
        f"{', '.join(lot['tied'])} havde lige store kvotienter (1/1) om de sidste 2 pladser. "
        f"Vundet ved lodtrækning: {', '.join(lot['winners'])}."
    ) in html
    assert "Fordelingen blev bekræftet af Signe Holm den " in html
    assert "Seed " not in html
    assert "(med lodtrækning)" in html


def test_anyone_can_verify_the_lot_from_the_public_committee_page(client, as_staff, task_committee):
    """Before the allocation the page shows only the kontrolværdi; afterwards the seed, whose SHA-256 is that value,
    and from which the published draw is replayed with the open algorithm (README, "Lodtrækning")."""
    page = reverse("pages:committee", args=[task_committee.slug])
    as_staff.post(url("allocation", task_committee), groups_post())
    draw = LotDraw.objects.get(committee=task_committee)
    before = client.get(page).content.decode()
    assert draw.commitment in before and draw.seed not in before

    allocation = confirm(as_staff, task_committee)

    after = client.get(page).content.decode()
    seed = re.search(r"Lodtrækningens seed: <code[^>]*>([0-9a-f]{64})</code>", after).group(1)
    commitment = re.search(r"offentliggjort før lodtrækningen: <code[^>]*>([0-9a-f]{64})</code>", after).group(1)
    assert hashlib.sha256(seed.encode()).hexdigest() == commitment == draw.commitment
    # Replay: random.Random seeded by SHA-256(seed:inputs), each group named by its parties.
    inputs = json.dumps(
        {"seats": 15, "groups": sorted([p, n] for p, n in COUNCIL.items())}, ensure_ascii=False, separators=(",", ":")
    )
    rng = random.Random(int.from_bytes(hashlib.sha256(f"{seed}:{inputs}".encode()).digest()[:8], "big"))
    replay = dhondt.allocate(COUNCIL, 15, rng)
    assert replay.seats == allocation.seats
    assert [sorted(lot.winners) for lot in replay.lots] == [sorted(lot["winners"]) for lot in allocation.lots]
    for lot in allocation.lots:
        assert f"de blev afgjort ved lodtrækning: {', '.join(lot['winners'])}." in after


def test_a_new_draw_needs_a_written_reason(as_staff, task_committee):
    as_staff.post(url("allocation", task_committee), groups_post())

    response = as_staff.post(url("lot_redraw", task_committee), {"reason": "  "})

    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()
    response = as_staff.post(url("lot_redraw", task_committee), {"reason": "Fejl"})
    assert response.status_code == 400
    assert "Skriv en begrundelse for den nye lodtrækning (mindst 10 tegn)." in response.content.decode()
    assert LotDraw.objects.filter(committee=task_committee).count() == 1


def test_a_new_draw_keeps_the_old_one_visible_to_staff_the_public_and_the_audit_log(client, as_staff, task_committee):
    as_staff.post(url("allocation", task_committee), groups_post())
    old = LotDraw.objects.get(committee=task_committee)
    reason = "Valggrupperne A og F var indtastet forkert."

    response = as_staff.post(url("lot_redraw", task_committee), {"reason": reason})

    assert response.status_code == 302
    old.refresh_from_db()
    new = LotDraw.objects.get(committee=task_committee, superseded_at__isnull=True)
    assert (old.number, new.number, new.reason) == (1, 2, reason)
    assert old.superseded_at is not None and old.revealed_at is not None and new.commitment != old.commitment
    staff_page = as_staff.get(url("allocation", task_committee)).content.decode()
    assert "Lodtrækning nr. 1" in staff_page and "Lodtrækning nr. 2" in staff_page and reason in staff_page
    public = client.get(reverse("pages:committee", args=[task_committee.slug])).content.decode()
    assert "Lodtrækning nr. 1 blev erstattet" in public and reason in public and old.seed in public
    assert new.seed not in public
    entries = LogEntry.objects.get_for_objects(LotDraw.objects.all())
    assert {e.object_pk for e in entries} == {str(old.pk), str(new.pk)}
    assert not any(old.seed in str(e.changes) or new.seed in str(e.changes) for e in entries)


def test_only_recruitment_staff_may_draw_again(client, task_committee, council, open_call):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("anders", password="pw-12345-abc"))
    response = client.post(url("lot_redraw", task_committee), {"reason": "Jeg vil prøve igen, tak."})
    assert response.status_code in (302, 403, 404)
    assert not LotDraw.objects.filter(committee=task_committee, number=2).exists()


# --- Valggrupper --------------------------------------------------------------------------------------------------


def test_parties_with_the_same_label_form_one_group(as_staff, task_committee):
    fields = {"party_A": "A+F", "party_F": " a+f "}  # labels are trimmed and upper-cased

    shown = as_staff.post(url("allocation", task_committee), groups_post(**fields)).content.decode()
    allocation = confirm(as_staff, task_committee, **fields)

    assert allocation.groups == {"A+F": ["A", "F"], "B": ["B"], "C": ["C"], "V": ["V"], "Ø": ["Ø"]}
    assert allocation.votes == {"A+F": 3, "B": 1, "C": 13, "V": 1, "Ø": 1}
    assert allocation.seats == shown_seats(shown)
    assert allocation.seats["A+F"] >= 2  # 3/1 and 3/2 beat every quotient of 1
    tied, seats, _winners = shown_lot(shown)
    assert (sorted(tied), seats) == (["A+F", "B", "C", "V", "Ø"], 1)


def test_a_party_left_out_is_refused(as_staff, task_committee):
    response = as_staff.post(url("allocation", task_committee), groups_post(action="bekraeft", party_V=""))

    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()
    assert not Allocation.objects.exists()


def test_a_party_outside_the_council_is_not_offered_and_a_posted_one_is_ignored(as_staff, task_committee):
    """The form has a field per council party only; an extra party field changes nothing."""
    allocation = confirm(as_staff, task_committee, party_Q="C")

    assert "Q" not in {p for parties in allocation.groups.values() for p in parties}
    assert allocation.votes == COUNCIL


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        pytest.param(
            {**{p: [p] for p in COUNCIL}, "Q": ["Q"]}, "Partiet Q sidder ikke i Kommunalbestyrelsen.", id="unknown"
        ),
        pytest.param(
            {p: [p] for p in COUNCIL if p != "V"}, "Disse partier mangler en valggruppe: V.", id="party-left-out"
        ),
        pytest.param(
            {**{p: [p] for p in COUNCIL}, "A+V": ["A", "V"]}, "Partiet A er med i to valggrupper.", id="twice"
        ),
        pytest.param({**{p: [p] for p in COUNCIL}, "X": []}, "Valggruppen X har ingen partier.", id="empty-group"),
    ],
)
def test_the_service_refuses_groups_that_do_not_cover_the_council_once(task_committee, council, groups, message):
    with pytest.raises(ValidationError) as excinfo:
        group_votes(committee=task_committee, groups=groups)

    assert excinfo.value.messages == [message]


# --- Transfers ----------------------------------------------------------------------------------------------------


def seats_for(committee) -> dict[str, int]:
    """The seats the committee's draw gives with every party in its own group."""
    draw = lot_draw_current(committee=committee)
    return lot_allocate(draw=draw, groups={p: [p] for p in COUNCIL}, votes=COUNCIL, seats=15)[1].seats


def test_a_group_can_hand_a_seat_to_another(as_staff, task_committee):
    taker = next(g for g, n in seats_for(task_committee).items() if n == 0)

    allocation = confirm(as_staff, task_committee, transfer_from="c", transfer_to=taker.lower())

    assert allocation.transfers == [{"from": "C", "to": taker, "seats": 1}]
    assert allocation.seats == seats_for(task_committee)
    assert allocation.final_seats == {**seats_for(task_committee), "C": seats_for(task_committee)["C"] - 1, taker: 1}
    overview = as_staff.get(url("overview", task_committee)).content.decode()
    assert f"C {seats_for(task_committee)['C'] - 1}, " in overview


@pytest.mark.parametrize(
    ("transfer", "message"),
    [
        pytest.param("from-a-group-without-seats", "har ikke 1 pladser at overdrage.", id="giver-has-none"),
        pytest.param(
            "to-an-unknown-group", "En plads kan kun overdrages mellem to forskellige valggrupper.", id="unknown"
        ),
        pytest.param("to-itself", "En plads kan kun overdrages mellem to forskellige valggrupper.", id="to-itself"),
    ],
)
def test_an_impossible_transfer_is_refused_on_confirming(as_staff, task_committee, transfer, message):
    empty = next(g for g, n in seats_for(task_committee).items() if n == 0)
    giver, taker = {
        "from-a-group-without-seats": (empty, "C"),
        "to-an-unknown-group": ("C", "Q"),
        "to-itself": ("C", "C"),
    }[transfer]

    response = as_staff.post(
        url("allocation", task_committee), groups_post(action="bekraeft", transfer_from=giver, transfer_to=taker)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Allocation.objects.exists()


def test_computing_with_an_impossible_transfer_already_says_so(as_staff, task_committee):
    empty = next(g for g, n in seats_for(task_committee).items() if n == 0)

    response = as_staff.post(url("allocation", task_committee), groups_post(transfer_from=empty, transfer_to="C"))

    assert response.status_code == 400
    assert f"Valggruppen {empty} har ikke 1 pladser at overdrage." in response.content.decode()


# --- Appointment --------------------------------------------------------------------------------------------------


@pytest.fixture
def applicants(open_call):
    """13 applications: the first 10 will be shortlisted, the last 3 not."""
    names = "Asta Ahl,Bo Bech,Cille Crone,Dan Dreyer,Eja Eriksen,Finn Falk,Gry Gram,Hans Hviid,Iben Iversen,"
    names += "Jens Juel,Kamma Kold,Lars Lyng,Maja Mose"
    return [make_application(open_call, name) for name in names.split(",")]


@pytest.fixture
def shortlisted(as_staff, applicants):
    """The first 10 applicants, recommended through the review page."""
    for application in applicants[:10]:
        response = as_staff.post(
            reverse("recruitment:application", args=[application.call_id, application.pk]),
            {"action": "indstil", "reason": "Relevant erfaring."},
        )
        assert response.status_code == 302
    assert Application.objects.filter(status=Application.Status.SHORTLISTED).count() == 10
    return applicants[:10]


@pytest.fixture
def allocation(as_staff, task_committee, shortlisted):
    return confirm(as_staff, task_committee)


def plan(allocation, politicians: dict[str, list], citizens: list) -> dict[str, dict[str, list]]:
    """Each group's picks: the given politicians, then citizens in order until the group's seats are filled."""
    queue = list(citizens)
    picks = {}
    for group, seats in allocation.final_seats.items():
        chosen = list(politicians.get(group, []))
        picks[group] = {"politicians": chosen, "citizens": [queue.pop(0) for _ in range(seats - len(chosen))]}
    assert not queue, "every citizen has a seat"
    return picks


def default_plan(allocation, council, shortlisted):
    """Four C politicians and one A politician (A has a seat whatever the lot), the 10 citizens in the rest."""
    return plan(allocation, {"C": council["C"][:4], "A": council["A"][:1]}, shortlisted)


def appointment_post(picks, *, chair, vice_chair) -> dict:
    """The form's fields: each appointed politician's role, each appointed citizen's group."""
    data = {"before_deadline": "on"}  # the call is still open
    for group, pick in picks.items():
        for p in pick["politicians"]:
            data[f"politiker-{p.pk}"] = "medlem"
        for a in pick["citizens"]:
            data[f"borger-{a.pk}"] = group
    data[f"politiker-{chair.pk}"] = "formand"
    data[f"politiker-{vice_chair.pk}"] = "naestformand"
    return data


def snapshot(committee):
    """Everything an appointment changes."""
    committee.refresh_from_db()
    return (
        committee.status,
        committee.memberships.count(),
        Person.objects.count(),
        sorted(Application.objects.values_list("name", "status")),
        list(Allocation.objects.values_list("appointed_at", flat=True)),
    )


def test_the_overview_counts_the_applicants_and_the_shortlisted(as_staff, task_committee, shortlisted):
    html = as_staff.get(url("overview", task_committee)).content.decode()

    assert "13 ansøgere, 10 indstillet" in html


def test_the_appointment_page_offers_each_groups_politicians_and_the_shortlisted(as_staff, task_committee, allocation):
    response = as_staff.get(url("appoint", task_committee))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Politiker C13 (C)" in html and "Asta Ahl" in html
    assert "Maja Mose" not in html, "only shortlisted applicants are offered"
    seats = allocation.final_seats["C"]
    assert f'<th scope="row">C</th><td class="text-end">{seats}</td>' in html


def test_appointing_creates_the_memberships_and_tells_every_applicant(
    as_staff,
    staff,
    task_committee,
    council,
    allocation,
    applicants,
    shortlisted,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    picks = default_plan(allocation, council, shortlisted)
    chair, vice_chair = council["C"][0], council["A"][0]

    with django_capture_on_commit_callbacks(execute=True):
        response = as_staff.post(
            url("appoint", task_committee), appointment_post(picks, chair=chair, vice_chair=vice_chair)
        )

    assert response.status_code == 302
    assert response["Location"] == url("overview", task_committee)
    memberships = list(task_committee.memberships.select_related("person", "party"))
    politicians = [m for m in memberships if m.member_kind == "politiker"]
    citizens = [m for m in memberships if m.member_kind == "borger"]
    assert (len(politicians), len(citizens)) == (5, 10)
    group_of = {p.pk: g for g, pick in picks.items() for p in pick["politicians"]}
    assert {m.person_id: m.seat_group for m in politicians} == group_of
    assert all(m.party.letter == m.seat_group for m in politicians)
    assert {m.person.name: m.role for m in politicians} == {
        "Politiker C1": "formand",
        "Politiker A1": "naestformand",
        "Politiker C2": "medlem",
        "Politiker C3": "medlem",
        "Politiker C4": "medlem",
    }
    group_of_citizen = {a.name: g for g, pick in picks.items() for a in pick["citizens"]}
    assert {m.person.name: m.seat_group for m in citizens} == group_of_citizen
    assert {(m.person.name, m.person.email) for m in citizens} == {(a.name, a.email) for a in shortlisted}
    assert all(m.role == "medlem" and m.party.letter == m.seat_group for m in citizens)
    assert all(m.starts_on == timezone.localdate() and m.ends_on is None for m in memberships)
    # The applications and the committee.
    statuses = dict(Application.objects.values_list("name", "status"))
    assert statuses == {a.name: ("udpeget" if a in shortlisted else "ikke_udpeget") for a in applicants}
    # Each outcome is in the audit log, with who appointed.
    from auditlog.models import LogEntry

    outcomes = LogEntry.objects.get_for_model(Application).filter(action=LogEntry.Action.UPDATE).order_by("pk")
    logged = {int(e.object_pk): e.changes_dict["status"][1] for e in outcomes if "status" in e.changes_dict}
    assert logged == {a.pk: statuses[a.name] for a in applicants}  # the last change of each: the outcome
    assert {e.actor for e in outcomes} == {staff}
    task_committee.refresh_from_db()
    assert task_committee.status == Committee.Status.ESTABLISHED
    allocation.refresh_from_db()
    assert allocation.appointed_at is not None
    # One email to every applicant, with the outcome.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(a.email for a in applicants)
    for message in mailoutbox:
        appointed = message.to[0] in {a.email for a in shortlisted}
        if appointed:
            assert message.subject == "Du er udpeget til Opgaveudvalg for Ungepolitik"
            assert "Du er udpeget som medlem af Opgaveudvalg for Ungepolitik" in message.body
        else:
            assert "ikke udpeget" in message.body and "desværre" in message.body
            assert "Du er udpeget" not in message.body


def test_the_public_committee_page_lists_the_new_members(
    client, as_staff, task_committee, council, allocation, shortlisted, applicants
):
    picks = default_plan(allocation, council, shortlisted)
    as_staff.post(
        url("appoint", task_committee),
        appointment_post(picks, chair=council["C"][0], vice_chair=council["A"][0]),
    )
    client.logout()

    html = client.get(reverse("pages:committee", args=[task_committee.slug])).content.decode()

    for name in ["Politiker C1", "Politiker C4", "Politiker A1", *(a.name for a in shortlisted)]:
        assert name in html
    assert not any(a.name in html for a in applicants[10:]), "applicants not appointed stay private"
    assert "Medlemmerne er endnu ikke udpeget." not in html


def test_a_valggruppe_fills_its_seat_with_a_politician_of_either_party(as_staff, task_committee, council, shortlisted):
    allocation = confirm(as_staff, task_committee, party_A="A+F", party_F="A+F")
    picks = plan(allocation, {"C": council["C"][:4], "A+F": council["F"][:1]}, shortlisted)

    response = as_staff.post(
        url("appoint", task_committee), appointment_post(picks, chair=council["F"][0], vice_chair=council["C"][0])
    )

    assert response.status_code == 302
    f_member = task_committee.memberships.get(person=council["F"][0])
    assert (f_member.seat_group, f_member.party.letter, f_member.role) == ("A+F", "F", "formand")
    citizens = task_committee.memberships.filter(seat_group="A+F", member_kind="borger")
    assert citizens.exists() and all(m.party is None for m in citizens)  # a citizen's seat belongs to the group


def _drop_a_c_citizen(picks, council, applicants):
    picks["C"]["citizens"].pop()


def _six_politicians(picks, council, applicants):
    picks["C"]["citizens"].pop()
    picks["C"]["politicians"].append(council["C"][4])


def _politician_of_another_party(picks, council, applicants):
    picks["C"]["politicians"][-1] = council["V"][0]


def _applicant_not_shortlisted(picks, council, applicants):
    picks["C"]["citizens"][-1] = applicants[-1]


def _no_chair(data, council, applicants):
    data[f"politiker-{council['C'][0].pk}"] = "medlem"


def _two_chairs(data, council, applicants):
    data[f"politiker-{council['C'][1].pk}"] = "formand"


def _a_group_that_does_not_exist(data, council, applicants):
    data[next(k for k in data if k.startswith("borger-"))] = "Z"


def _a_role_that_does_not_exist(data, council, applicants):
    data[f"politiker-{council['C'][1].pk}"] = "borgmester"


SHORT_OF_C = "Valggruppen C har {C} pladser, men {C_less_one} er valgt."
REFUSALS = {
    "wrong-count-for-a-group": (_drop_a_c_citizen, None, SHORT_OF_C),
    "six-politicians": (_six_politicians, None, "Kommissoriet kræver 5 politikere; der er valgt 6."),
    # A politician outside the group, or an applicant not shortlisted, has no field: the post is ignored and
    # the group's seat stays empty.
    "politician-of-another-party": (_politician_of_another_party, None, SHORT_OF_C),
    "applicant-not-shortlisted": (_applicant_not_shortlisted, None, SHORT_OF_C),
    "no-chair": (None, _no_chair, "Vælg en formand blandt de politikere, der udpeges."),
    "two-chairs": (None, _two_chairs, "Vælg kun én formand."),
    "unknown-group": (None, _a_group_that_does_not_exist, "Marker en gyldig valgmulighed."),
    "unknown-role": (None, _a_role_that_does_not_exist, "Marker en gyldig valgmulighed."),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_wrong_appointment_is_refused_and_nothing_is_stored(
    as_staff, task_committee, council, allocation, applicants, shortlisted, mailoutbox, case
):
    change, change_post, message = REFUSALS[case]
    picks = default_plan(allocation, council, shortlisted)
    if change:
        change(picks, council, applicants)
    data = appointment_post(picks, chair=council["C"][0], vice_chair=council["A"][0])
    if change_post:
        change_post(data, council, applicants)
    before = snapshot(task_committee)

    response = as_staff.post(url("appoint", task_committee), data)

    assert response.status_code == 400
    html = response.content.decode()
    seats_c = allocation.final_seats["C"]
    assert message.format(C=seats_c, C_less_one=seats_c - 1) in html
    assert snapshot(task_committee) == before
    assert mailoutbox == []


def test_an_empty_submit_flags_every_missing_seat_and_the_chairs(as_staff, task_committee, allocation):
    response = as_staff.post(url("appoint", task_committee), {"before_deadline": "on"})

    assert response.status_code == 400
    html = response.content.decode()
    for group, seats in allocation.final_seats.items():
        if seats:
            assert f"Valggruppen {group} har {seats} plads" in html
            assert f"mangler {seats}" in html
    assert "Kommissoriet kræver 5 politikere; der er valgt 0." in html
    assert "Kommissoriet kræver 10 borgere; der er valgt 0." in html
    assert "Vælg en formand blandt de politikere, der udpeges." in html
    assert "Vælg en næstformand blandt de politikere, der udpeges." in html


def test_each_shortlisted_citizen_is_offered_once_with_a_choice_of_group(
    as_staff, task_committee, allocation, shortlisted
):
    html = as_staff.get(url("appoint", task_committee)).content.decode()

    for application in shortlisted:
        assert html.count(f'name="borger-{application.pk}"') == 1
        assert html.count(application.choice_label) == 1
    groups = [g for g, seats in allocation.final_seats.items() if seats]
    assert html.count(f'<option value="{groups[0]}">Plads for {groups[0]}</option>') == len(shortlisted)


def test_chair_and_vice_chair_are_roles_of_the_politicians_appointed(as_staff, task_committee, council, allocation):
    html = as_staff.get(url("appoint", task_committee)).content.decode()

    politician = council["C"][0]
    assert html.count(f'name="politiker-{politician.pk}"') == 1
    assert '<option value="formand">Formand</option>' in html
    assert 'name="chair"' not in html and 'name="vice_chair"' not in html


def test_appointing_twice_is_refused(
    as_staff, task_committee, council, allocation, shortlisted, mailoutbox, django_capture_on_commit_callbacks
):
    picks = default_plan(allocation, council, shortlisted)
    post = appointment_post(picks, chair=council["C"][0], vice_chair=council["A"][0])
    with django_capture_on_commit_callbacks(execute=True):
        assert as_staff.post(url("appoint", task_committee), post).status_code == 302
    before, sent = snapshot(task_committee), len(mailoutbox)
    politicians_only = {k: v for k, v in post.items() if not k.startswith("borger-")}

    with django_capture_on_commit_callbacks(execute=True):
        again = as_staff.post(url("appoint", task_committee), post)
        politicians_again = as_staff.post(url("appoint", task_committee), politicians_only)

    # The same post fails already in the form (the applicants are no longer shortlisted); a post the form accepts
    # meets the service's own refusal.
    assert again.status_code == 400
    assert politicians_again.status_code == 400
    # The page no longer shows the form, so instead of the service's message it says the members are appointed.
    assert "Medlemmerne er udpeget." in politicians_again.content.decode()
    assert snapshot(task_committee) == before
    assert len(mailoutbox) == sent
    assert "Medlemmerne er udpeget." in as_staff.get(url("appoint", task_committee)).content.decode()


def test_the_appointment_page_first_asks_for_an_allocation(as_staff, task_committee):
    response = as_staff.get(url("appoint", task_committee))

    assert response.status_code == 302
    assert response["Location"] == url("allocation", task_committee)


# --- Vacancies ----------------------------------------------------------------------------------------------------


@pytest.fixture
def appointed(as_staff, task_committee, council, allocation, shortlisted):
    picks = default_plan(allocation, council, shortlisted)
    response = as_staff.post(
        url("appoint", task_committee), appointment_post(picks, chair=council["C"][0], vice_chair=council["A"][0])
    )
    assert response.status_code == 302
    return task_committee


@pytest.mark.parametrize(("leaving", "role"), [(1, "medlem"), (0, "formand")])
def test_a_politician_leaves_and_the_same_group_fills_the_seat(as_staff, appointed, council, leaving, role):
    old = appointed.memberships.get(person=council["C"][leaving])
    replacement = council["C"][5]
    today = timezone.localdate()

    response = as_staff.post(
        url("vacancy", appointed, old.pk), {"ends_on": today.isoformat(), "replacement": replacement.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == url("overview", appointed)
    old.refresh_from_db()
    assert old.ends_on == today
    new = appointed.memberships.get(person=replacement)
    assert (new.seat_group, new.party.letter, new.member_kind, new.role) == ("C", "C", "politiker", role)
    assert (new.replaces, new.starts_on, new.ends_on) == (old, today, None)
    overview = as_staff.get(url("overview", appointed)).content.decode()
    assert f"afløser for {old.person.name}" in overview


def test_the_vacancy_form_offers_only_the_groups_council_members_not_on_the_committee(as_staff, appointed, council):
    old = appointed.memberships.get(person=council["C"][1])

    html = as_staff.get(url("vacancy", appointed, old.pk)).content.decode()

    offered = set(re.findall(r'<option value="\d+">(Politiker [^<]+)</option>', html))
    assert offered == {f"Politiker C{i} (C)" for i in range(5, 14)}


def test_a_replacement_from_another_party_is_refused(as_staff, appointed, council):
    old = appointed.memberships.get(person=council["C"][1])
    before = appointed.memberships.count()

    response = as_staff.post(
        url("vacancy", appointed, old.pk),
        {"ends_on": timezone.localdate().isoformat(), "replacement": council["V"][0].pk},
    )

    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    old.refresh_from_db()
    assert old.ends_on is None
    assert appointed.memberships.count() == before


def test_a_new_call_is_offered_only_while_no_call_is_open(as_staff, task_committee, open_call):
    html = as_staff.get(url("overview", task_committee)).content.decode()
    assert "Åbn et opslag" not in html and "Åbn et nyt opslag" not in html
    assert "Fordel pladserne" in html  # allocating is offered while the call is open (issue 13: with a warning)

    open_call.deadline = timezone.now() - timezone.timedelta(days=1)
    open_call.save()

    html = as_staff.get(url("overview", task_committee)).content.decode()
    assert "Åbn et nyt opslag" in html


def test_allocating_before_the_deadline_needs_a_confirmation_that_says_how_long_remains(as_staff, task_committee):
    post = groups_post(action="bekraeft")
    del post["before_deadline"]

    response = as_staff.post(url("allocation", task_committee), post)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Opslaget er stadig åbent" in html
    assert "om 30 dage. Sæt flueben, hvis du vil fortsætte før fristen." in html
    assert 'aria-invalid="true"' in html
    assert not Allocation.objects.exists()
    assert confirm(as_staff, task_committee)  # with the box ticked


def test_appointing_before_the_deadline_needs_the_same_confirmation(as_staff, staff, task_committee, council):
    confirm(as_staff, task_committee)
    response = as_staff.post(url("appoint", task_committee), {"chair": "", "vice_chair": ""})
    assert "Opslaget er stadig åbent" in response.content.decode()
    from recruitment.services import committee_appoint

    with pytest.raises(ValidationError) as refused:
        committee_appoint(allocation=Allocation.objects.get(), picks={}, chair=0, vice_chair=0, by=staff)
    assert "Sæt flueben, hvis du vil fortsætte før fristen." in str(refused.value)
    assert not task_committee.memberships.exists()


def test_after_the_deadline_no_confirmation_is_asked(as_staff, task_committee, open_call):
    open_call.deadline = timezone.now() - timezone.timedelta(minutes=1)
    open_call.save()
    post = groups_post(action="bekraeft")
    del post["before_deadline"]

    response = as_staff.post(url("allocation", task_committee), post)

    assert response.status_code == 302
    assert "Opslaget er stadig åbent" not in as_staff.get(url("allocation", task_committee)).content.decode()


def test_namesakes_among_the_shortlisted_are_told_apart_on_the_appointment_form(as_staff, task_committee, open_call):
    first = make_application(open_call, "Sofie Lund", status=Application.Status.SHORTLISTED)
    second = make_application(open_call, "Sofie Lund Anden", status=Application.Status.SHORTLISTED)
    second.name, second.district, second.birth_year = "Sofie Lund", "hellerup", second.birth_year - 30
    second.save()
    confirm(as_staff, task_committee)

    html = as_staff.get(url("appoint", task_committee)).content.decode()

    assert f"Sofie Lund (Gentofte, f. {first.birth_year})" in html
    assert f"Sofie Lund (Hellerup, f. {second.birth_year})" in html


def test_the_seats_start_with_the_committee_not_on_the_day_of_appointment(
    as_staff, task_committee, council, allocation, shortlisted
):
    start = timezone.localdate() + timezone.timedelta(days=20)
    Committee.objects.filter(pk=task_committee.pk).update(starts_on=start)
    picks = default_plan(allocation, council, shortlisted)
    chair, vice_chair = council["C"][0], council["A"][0]

    response = as_staff.post(
        url("appoint", task_committee), appointment_post(picks, chair=chair, vice_chair=vice_chair)
    )

    assert response.status_code == 302
    assert {m.starts_on for m in task_committee.memberships.all()} == {start}
