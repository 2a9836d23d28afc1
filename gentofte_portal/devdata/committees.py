"""Demo data: the Gentofte model as the public sources describe it (seeds/000, seeds/001), with fictitious people.

``demo_load()`` is idempotent: every row is found by its natural key and updated, so loading twice changes nothing.
Seat allocations are computed by D'Hondt with a fixed seed per committee, so the lots are the same on every load.
"""

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from committees.models import (
    Committee,
    CommitteeMembership,
    CouncilMembership,
    Mandate,
    Municipality,
    Party,
    Person,
    Term,
)
from committees.services import membership_ensure
from gentofte_portal.common.slugs import danish_slugify
from meetings.models import Meeting
from recruitment.dhondt import allocate
from recruitment.models import Application

from .mandates import demo_mandates, demo_users
from .meetings import demo_meetings
from .recruitment import demo_open_call

PARTIES = [
    ("C", "Det Konservative Folkeparti", 13),
    ("A", "Socialdemokratiet", 2),
    ("V", "Venstre", 1),
    ("B", "Radikale Venstre", 1),
    ("F", "SF – Socialistisk Folkeparti", 1),
    # The source names a sixth party with one mandate but not its letter.
    ("Ø", "Enhedslisten", 1),
]

TERMS = [
    ("2014-2017", dt.date(2014, 1, 1), dt.date(2017, 12, 31)),
    ("2018-2021", dt.date(2018, 1, 1), dt.date(2021, 12, 31)),
]

# (short key, name, seats, purpose)
STANDING = [
    (
        "OEK",
        "Økonomiudvalget",
        9,
        "Økonomiudvalget har ansvaret for kommunens samlede økonomi og planlægning og "
        "behandler forslag om nedsættelse af opgaveudvalg, før Kommunalbestyrelsen beslutter.",
    ),
    ("BOE", "Børneudvalget", 7, "Dagtilbud, sundhedspleje og forebyggende indsatser for børn og familier."),
    ("SK", "Skoleudvalget", 7, "Folkeskoler, specialundervisning, SFO og ungdomsuddannelse."),
    ("SU", "Socialudvalget", 7, "Voksne med handicap, udsatte borgere, sundhed og ældre."),
    ("TM", "Teknik- og Miljøudvalget", 7, "Veje, trafik, natur, miljø og klima."),
    ("KUF", "Kultur-, Unge- og Fritidsudvalget", 7, "Kultur, biblioteker, idræt, fritid og unge."),
    ("EBI", "Erhvervs-, Beskæftigelses- og Integrationsudvalget", 7, "Erhverv, beskæftigelse og integration."),
    ("BA", "Bygnings- og Arkitekturudvalget", 7, "Kommunens bygninger, byplanlægning og arkitektur."),
]


@dataclass(frozen=True)
class TaskSpec:
    name: str
    proposed_by: tuple[str, ...]
    starts_on: dt.date
    ends_on: dt.date
    purpose: str
    politicians: int = 5
    citizens: int = 10


# The task committees of 1 September 2015 to September 2018 (seeds/000). The source's heading says 25; its list
# names these 26 (Integration twice).
TASKS_2015_2018 = [
    TaskSpec(
        "Opgaveudvalg om Innovation",
        ("OEK",),
        dt.date(2017, 1, 1),
        dt.date(2018, 1, 31),
        "At øge innovationskraften, samskabelsen og det digitale fokus i kommunen gennem en politisk model "
        "(DIS-modellen), et idékatalog over samskabelsesmuligheder og læring fra konkrete projekter.",
    ),
    TaskSpec(
        "Opgaveudvalg for Idræts- og bevægelsespolitik",
        ("KUF",),
        dt.date(2015, 9, 1),
        dt.date(2016, 6, 30),
        "At udarbejde forslag til en ny idræts- og bevægelsespolitik sammen med foreninger og borgere.",
    ),
    TaskSpec(
        "Opgaveudvalg om Integration 1",
        ("EBI",),
        dt.date(2015, 9, 1),
        dt.date(2016, 6, 30),
        "At udvikle forslag til modtagelse og integration af nyankomne flygtninge.",
    ),
    TaskSpec(
        "Opgaveudvalg om Integration 2",
        ("EBI",),
        dt.date(2016, 9, 1),
        dt.date(2017, 6, 30),
        "At udvikle forslag til, hvordan flygtninge kommer i job og bliver en del af fællesskabet.",
    ),
    TaskSpec(
        "Opgaveudvalg for Erhvervspolitik",
        ("EBI",),
        dt.date(2015, 9, 1),
        dt.date(2016, 9, 30),
        "At udarbejde forslag til en erhvervspolitik, der styrker Gentofte som erhvervskommune.",
    ),
    TaskSpec(
        "Opgaveudvalg om Anbringelse",
        ("SU", "BOE"),
        dt.date(2015, 10, 1),
        dt.date(2016, 10, 31),
        "At udvikle anbefalinger til, hvordan anbragte børn og unge får et bedre liv.",
    ),
    TaskSpec(
        "Opgaveudvalg for Bæredygtig Gentofte",
        ("TM",),
        dt.date(2015, 10, 1),
        dt.date(2016, 12, 31),
        "At udarbejde forslag til, hvordan borgere, virksomheder og kommune sammen gør Gentofte bæredygtig.",
    ),
    TaskSpec(
        "Opgaveudvalg om Specialundervisning",
        ("SK",),
        dt.date(2015, 11, 1),
        dt.date(2016, 9, 30),
        "At udvikle forslag til fremtidens specialundervisning og inkluderende fællesskaber i skolen.",
    ),
    TaskSpec(
        "Opgaveudvalg om Trafik",
        ("TM",),
        dt.date(2016, 1, 1),
        dt.date(2017, 1, 31),
        "At udarbejde forslag til en trafikplan med fokus på sikkerhed, fremkommelighed og cyklister.",
    ),
    TaskSpec(
        "Opgaveudvalg Sikker i byen",
        ("SU", "TM"),
        dt.date(2016, 1, 1),
        dt.date(2016, 12, 31),
        "At udvikle forslag, der øger trygheden for unge i nattelivet og på vej hjem.",
    ),
    TaskSpec(
        "Opgaveudvalg for Arkitektur",
        ("BA",),
        dt.date(2016, 2, 1),
        dt.date(2017, 3, 31),
        "At udarbejde forslag til en arkitekturpolitik, der værner om Gentoftes særpræg.",
    ),
    TaskSpec(
        "Opgaveudvalg for Værdighedspolitik",
        ("SU",),
        dt.date(2016, 3, 1),
        dt.date(2016, 12, 31),
        "At udarbejde forslag til en værdighedspolitik for ældreplejen.",
    ),
    TaskSpec(
        "Opgaveudvalg om Udskoling",
        ("SK",),
        dt.date(2016, 4, 1),
        dt.date(2017, 4, 30),
        "At udvikle forslag til en udskoling, der motiverer de ældste elever.",
    ),
    TaskSpec(
        "Opgaveudvalg Børn og unge i fællesskaber",
        ("BOE", "SK"),
        dt.date(2016, 5, 1),
        dt.date(2017, 5, 31),
        "At udvikle forslag til, hvordan alle børn og unge bliver en del af stærke fællesskaber.",
    ),
    TaskSpec(
        "Opgaveudvalg om Digitalisering",
        ("OEK",),
        dt.date(2016, 6, 1),
        dt.date(2017, 9, 30),
        "At udvikle en model for politisk forankring af digitaliseringsindsatsen og pejlemærker for brugen af "
        "teknologi til gavn for borgerne.",
    ),
    TaskSpec(
        "Opgaveudvalg om Detailhandel",
        ("EBI",),
        dt.date(2016, 8, 1),
        dt.date(2017, 6, 30),
        "At udvikle forslag til levende handelsgader og bymiljøer.",
    ),
    TaskSpec(
        "Opgaveudvalg for Ungepolitik",
        ("KUF",),
        dt.date(2016, 9, 1),
        dt.date(2017, 9, 30),
        "At udarbejde en ungepolitik skrevet af unge: ti unge mellem 13 og 25 år og fem politikere.",
    ),
    TaskSpec(
        "Opgaveudvalg for Kulturpolitik",
        ("KUF",),
        dt.date(2016, 9, 1),
        dt.date(2017, 8, 31),
        "At udarbejde forslag til en ny kulturpolitik sammen med kulturlivet og borgerne.",
    ),
    TaskSpec(
        "Opgaveudvalg om Boligsocial indsats",
        ("SU", "BA"),
        dt.date(2016, 10, 1),
        dt.date(2017, 10, 31),
        "At udvikle forslag til en boligsocial indsats i kommunens almene boligområder.",
    ),
    TaskSpec(
        "Opgaveudvalg om Skolereform",
        ("SK",),
        dt.date(2015, 9, 1),
        dt.date(2016, 8, 31),
        "At følge og udvikle skolereformens intentioner sammen med elever, forældre og lærere.",
    ),
    TaskSpec(
        "Opgaveudvalg for Sundhedspolitik",
        ("SU",),
        dt.date(2017, 1, 1),
        dt.date(2017, 12, 31),
        "At udarbejde forslag til en ny sundhedspolitik.",
    ),
    TaskSpec(
        "Opgaveudvalg Børn kvalitet og struktur",
        ("BOE",),
        dt.date(2017, 1, 1),
        dt.date(2018, 1, 31),
        "At udvikle forslag til kvalitet og struktur i dagtilbud for de mindste børn.",
    ),
    TaskSpec(
        "Opgaveudvalg om Borgerrettet behandling",
        ("SU",),
        dt.date(2017, 3, 1),
        dt.date(2018, 3, 31),
        "At udvikle forslag til sundhedstilbud, der tager udgangspunkt i borgerens hverdag.",
    ),
    TaskSpec(
        "Opgaveudvalg om Indretning af ungdomsboliger",
        ("BA", "KUF"),
        dt.date(2017, 4, 1),
        dt.date(2018, 3, 31),
        "At udvikle forslag til indretning af nye ungdomsboliger sammen med unge.",
    ),
    TaskSpec(
        "Opgaveudvalg Forældre i Gentofte",
        ("BOE", "SK"),
        dt.date(2017, 6, 1),
        dt.date(2018, 6, 30),
        "At udvikle forslag til et stærkere samarbejde mellem forældre, dagtilbud og skoler.",
    ),
    TaskSpec(
        "Opgaveudvalget Vi skaber sammen",
        ("OEK",),
        dt.date(2017, 9, 1),
        dt.date(2018, 9, 30),
        "At udvikle forslag til, hvordan borgere, foreninger og kommune skaber løsninger sammen.",
    ),
]

# Task committees of the 2018–2021 term, one in each stage of a task committee's life.
TASKS_2018_2021 = [
    (
        TaskSpec(
            "Opgaveudvalg for digitalisering og teknologi",
            ("OEK",),
            dt.date(2018, 9, 1),
            dt.date(2019, 9, 30),
            "At udnytte det teknologiske potentiale til at skabe borgerrettet effekt på nye måder.",
        ),
        Committee.Status.ESTABLISHED,
    ),
    (
        TaskSpec(
            "Opgaveudvalget Det internationale Gentofte",
            ("EBI", "KUF"),
            dt.date(2019, 1, 1),
            dt.date(2019, 12, 31),
            "At gøre det lettere for internationale borgere at blive en del af Gentofte.",
        ),
        Committee.Status.RECRUITING,
    ),
    (
        TaskSpec(
            "Opgaveudvalget Tryghed for borgerne",
            ("SU", "TM"),
            dt.date(2019, 3, 1),
            dt.date(2020, 2, 28),
            "At udvikle forslag, der styrker trygheden i boligområder og byrum.",
        ),
        Committee.Status.MANDATE_APPROVED,
    ),
    (
        TaskSpec(
            "Opgaveudvalg En times motion dagligt",
            ("KUF", "SK"),
            dt.date(2019, 6, 1),
            dt.date(2020, 6, 30),
            "At udvikle forslag til, hvordan børn og unge får en times bevægelse hver dag.",
        ),
        Committee.Status.PROPOSED,
    ),
]

FIRST_NAMES = [
    "Anne",
    "Bo",
    "Camilla",
    "Dorthe",
    "Erik",
    "Frida",
    "Gustav",
    "Helle",
    "Ida",
    "Jens",
    "Karen",
    "Lars",
    "Maja",
    "Niels",
    "Olivia",
    "Peter",
    "Rasmus",
    "Sofie",
    "Torben",
    "Ulla",
    "Viggo",
    "Astrid",
    "Emil",
    "Freja",
    "Henrik",
    "Inge",
    "Jonas",
    "Lene",
    "Mads",
    "Nanna",
    "Oskar",
    "Pernille",
    "Sune",
    "Tove",
    "William",
    "Agnes",
    "Carl",
]
LAST_NAMES = [
    "Abildgaard",
    "Bech",
    "Dahl",
    "Eskildsen",
    "Friis",
    "Gram",
    "Holt",
    "Iversen",
    "Juhl",
    "Kjær",
    "Lund",
    "Munk",
    "Nørgaard",
    "Overgaard",
    "Prip",
    "Ravn",
    "Skov",
    "Thygesen",
    "Vestergaard",
    "Winther",
    "Aagaard",
    "Bryld",
    "Dreyer",
    "Elkjær",
    "Fogh",
    "Grønbech",
    "Hvid",
    "Krogh",
    "Lykke",
    "Mølgaard",
    "Qvist",
    "Rosendahl",
    "Stær",
]
YOUTH_FIRST_NAMES = ["Alma", "Noah", "Ella", "Lucas", "Clara", "Oliver", "Liva", "Malthe", "Karla", "Elias", "Asta"]


class NameSource:
    """Fictitious names, the same sequence on every load. No real person's name or contact data ships."""

    def __init__(self, first_names, seed):
        rng = random.Random(seed)
        combos = [(f, last) for f in first_names for last in LAST_NAMES]
        rng.shuffle(combos)
        self._names = (f"{f} {last}" for f, last in combos)

    def next(self) -> str:
        return next(self._names)


def _person(name: str) -> Person:
    person, _ = Person.objects.get_or_create(name=name)
    return person


def _council(term: Term, parties: dict[str, Party], names: list[str]) -> dict[str, list[Person]]:
    """Seat 19 fictitious members by party; the first C member is mayor, the first A member deputy mayor."""
    by_party: dict[str, list[Person]] = {}
    names_iter = iter(names)
    for letter, _name, mandates in PARTIES:
        for i in range(mandates):
            person = _person(next(names_iter))
            role = CouncilMembership.Role.MEMBER
            if letter == "C" and i == 0:
                role = CouncilMembership.Role.MAYOR
            elif letter == "A" and i == 0:
                role = CouncilMembership.Role.DEPUTY_MAYOR
            CouncilMembership.objects.update_or_create(
                term=term, person=person, defaults={"party": parties[letter], "role": role}
            )
            by_party.setdefault(letter, []).append(person)
    return by_party


def _votes() -> dict[str, int]:
    return {letter: mandates for letter, _name, mandates in PARTIES}


def _set_members(committee: Committee, rows: list[tuple[Person, str, str, Party]], *, sitting: bool) -> None:
    """Make the committee's members exactly ``rows`` (person, role, kind, party): idempotent. Members of a
    committee that still sits have no end date (they serve until replaced); others end with the committee."""
    ends_on = None if sitting else committee.ends_on
    keep = []
    for person, role, kind, party in rows:
        membership = membership_ensure(
            committee=committee,
            person=person,
            starts_on=committee.starts_on,
            role=role,
            member_kind=kind,
            party=party,
            ends_on=ends_on,
            seat_group=party.letter,
        )
        keep.append(membership.pk)
    committee.memberships.exclude(pk__in=keep).delete()


def _standing_members(committee, council, parties, rotation):
    """Fill a standing committee's seats by D'Hondt among the council's parties; the chair is from the largest."""
    allocation = allocate(_votes(), committee.seats, random.Random(committee.slug))
    rows = []
    for letter, count in allocation.seats.items():
        pool = council[letter]
        for _ in range(count):
            person = pool[rotation[letter] % len(pool)]
            rotation[letter] += 1
            rows.append(
                [person, CommitteeMembership.Role.MEMBER, CommitteeMembership.MemberKind.POLITICIAN, parties[letter]]
            )
    rows[0][1] = CommitteeMembership.Role.CHAIR
    if len(rows) > 1:
        rows[1][1] = CommitteeMembership.Role.VICE_CHAIR
    _set_members(committee, [tuple(r) for r in rows], sitting=committee.term.slug == TERMS[-1][0])


def _task_members(committee, spec, council, parties, rotation, citizen_names):
    """All seats, politicians and citizens under one, by D'Hondt (seeds/000); lots drawn with a fixed seed.

    Each group fills its seats itself (ruling 82.1.10); here a group's first seat goes to one of its council
    members while politician seats remain, the largest group takes any politician seats left, and the rest are
    citizens. Chair and vice-chair are council members.
    """
    seed = demo_seed(committee.slug)
    allocation = allocate(_votes(), spec.politicians + spec.citizens, random.Random(int(seed)))
    seats = {g: n for g, n in sorted(allocation.seats.items(), key=lambda kv: (-kv[1], kv[0])) if n}
    politician_seats = dict.fromkeys(seats, 0)
    remaining = spec.politicians
    for group in seats:
        if remaining:
            politician_seats[group] = 1
            remaining -= 1
    largest = next(iter(seats))
    politician_seats[largest] += remaining
    rows = []
    for group, n in seats.items():
        party = parties[group]
        for i in range(n):
            if i < politician_seats[group]:
                pool = council[group]
                person = pool[rotation[group] % len(pool)]
                rotation[group] += 1
                rows.append([person, CommitteeMembership.Role.MEMBER, CommitteeMembership.MemberKind.POLITICIAN, party])
            else:
                rows.append(
                    [
                        _person(citizen_names.next()),
                        CommitteeMembership.Role.MEMBER,
                        CommitteeMembership.MemberKind.CITIZEN,
                        party,
                    ]
                )
    politicians = [r for r in rows if r[2] == CommitteeMembership.MemberKind.POLITICIAN]
    politicians[0][1] = CommitteeMembership.Role.CHAIR
    politicians[1][1] = CommitteeMembership.Role.VICE_CHAIR
    _set_members(committee, [tuple(r) for r in rows], sitting=committee.status != Committee.Status.CLOSED)
    _record_allocation(committee, seed, allocation)


def demo_seed(slug: str) -> str:
    """A fixed seed per committee, so the demo's lots come out the same on every load."""
    return str(int.from_bytes(hashlib.sha256(slug.encode()).digest()[:7], "big"))


def _record_allocation(committee, seed, result) -> None:
    """The appointment as it happened: the D'Hondt allocation with its lot and seed, appointed at the start."""
    from recruitment.services.allocation import allocation_record

    if committee.allocations.exists():
        return
    appointed = timezone.make_aware(dt.datetime.combine(committee.starts_on, dt.time(12)))
    allocation_record(
        committee=committee,
        groups={g: [g] for g in result.seats},
        votes=_votes(),
        seed=seed,
        result=result,
        transfers=[],
        by=None,
        appointed_at=appointed,
    )


def _task_committee(term, spec, status, standing_by_key) -> Committee:
    committee, _ = Committee.objects.update_or_create(
        slug=danish_slugify(spec.name),
        defaults={
            "kind": Committee.Kind.TASK,
            "term": term,
            "name": spec.name,
            "purpose": spec.purpose,
            "seats": spec.politicians + spec.citizens,
            "politician_seats": spec.politicians,
            "citizen_seats": spec.citizens,
            "status": status,
            "starts_on": spec.starts_on,
            "ends_on": spec.ends_on,
        },
    )
    committee.proposed_by.set([standing_by_key[k] for k in spec.proposed_by])
    return committee


@transaction.atomic
def demo_load(*, now=None, with_users: bool = False) -> dict[str, int]:
    """Load (or refresh) the demo; returns counts of what the database then holds. ``with_users`` adds demo
    logins with a known password, so it is for development only."""
    now = now or timezone.now()
    municipality, _ = Municipality.objects.update_or_create(slug="gentofte", defaults={"name": "Gentofte Kommune"})
    parties = {
        letter: Party.objects.update_or_create(municipality=municipality, letter=letter, defaults={"name": name})[0]
        for letter, name, _m in PARTIES
    }
    politician_names = NameSource(FIRST_NAMES, seed="politicians")
    names_2014 = [politician_names.next() for _ in range(19)]
    # Fifteen sat on after the 2017 election; four are new.
    names_2018 = names_2014[:15] + [politician_names.next() for _ in range(4)]
    citizen_names = politician_names  # one sequence, so no citizen shares a politician's name
    youth_names = NameSource(YOUTH_FIRST_NAMES, seed="youth")

    for slug, starts_on, ends_on, names, task_specs in [
        (*TERMS[0], names_2014, [(s, Committee.Status.CLOSED) for s in TASKS_2015_2018]),
        (*TERMS[1], names_2018, TASKS_2018_2021),
    ]:
        term, _ = Term.objects.update_or_create(
            municipality=municipality, slug=slug, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
        council = _council(term, parties, names)
        rotation = dict.fromkeys(council, 0)
        suffix = "" if term.slug == TERMS[-1][0] else f"-{term.slug}"
        standing_by_key = {}
        for key, name, seats, purpose in STANDING:
            committee, _ = Committee.objects.update_or_create(
                slug=danish_slugify(name) + suffix,
                defaults={
                    "kind": Committee.Kind.STANDING,
                    "status": "",
                    "term": term,
                    "name": name,
                    "seats": seats,
                    "purpose": purpose,
                    "starts_on": term.starts_on,
                    "ends_on": term.ends_on,
                },
            )
            _standing_members(committee, council, parties, rotation)
            standing_by_key[key] = committee
        for spec, status in task_specs:
            committee = _task_committee(term, spec, status, standing_by_key)
            if status in (Committee.Status.ESTABLISHED, Committee.Status.CLOSED):
                names_for = youth_names if "Ungepolitik" in spec.name else citizen_names
                _task_members(committee, spec, council, parties, rotation, names_for)

    # Mandates (and from them the committees' deliverables) and, in development, demo logins.
    users = demo_users(with_users=with_users)
    demo_mandates(users=users)

    # An open call with applications, and meetings with agendas and minutes; dates of the open call and the
    # coming meetings are set from the first load and kept on later loads.
    demo_open_call(now=now, caseworkers=[u for name, u in users.items() if name.startswith("sekretariat")])
    demo_meetings(now=now)
    return {
        "terms": Term.objects.count(),
        "council_members": CouncilMembership.objects.count(),
        "standing_committees": Committee.objects.filter(kind=Committee.Kind.STANDING).count(),
        "task_committees": Committee.objects.filter(kind=Committee.Kind.TASK).count(),
        "persons": Person.objects.count(),
        "committee_members": CommitteeMembership.objects.count(),
        "mandates": Mandate.objects.count(),
        "applications": Application.objects.count(),
        "meetings": Meeting.objects.count(),
    }
