"""Load data for benchmarks and N+1 tests: many years of a municipality's committees, meetings and applications.

``generate(scale=1)`` creates exactly ``figures(1)``: 10 electoral terms, 300 committees, 5,000 meetings,
100,000 agenda items and 50,000 applications, with everything the pages show around them (parties, council
members, committee members, mandates, deliverables, calls, bilag, minutes and attendance). Other scales multiply
each figure, rounded half up, at least 1 of each (and 2 committees: one standing, one task committee).

Fast: rows are made with ``bulk_create`` in batches, so no signals run and django-simple-history records no
versions. Committee seats are built by committees.services.membership_build, which checks each seat's own rules
but, told so, not its references (a query per row). Deterministic for a seed, apart from the dates, which are set around "now" so there are always
upcoming meetings and open calls.

The data lives under its own ``Municipality`` (slug ``belastningstest``, then ``belastningstest-2`` …), which is
how a second run sees it: ``manage.py generate_load_data`` refuses to run on a database that already holds load
data unless told ``--force``, and then adds another complete set beside the first.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from committees.models import (
    Committee,
    CommitteeMembership,
    CouncilMembership,
    Deliverable,
    Mandate,
    Municipality,
    Party,
    Person,
    Term,
)
from committees.services import membership_build
from gentofte_portal.common.markdown import render_markdown
from gentofte_portal.common.slugs import DANISH, danish_slugify
from meetings.models import AgendaItem, Attachment, Attendance, DeliverableApproval, Meeting, Minutes
from meetings.services import FIRST_DOCUMENT_NUMBER
from recruitment.dhondt import allocate
from recruitment.models import DISTRICTS, Application, Call, Gender

from .recruitment import POSTCODES

SLUG_PREFIX = "belastningstest"
# The figures at scale 1 (the issue's); figures() scales them.
FIGURES = {"terms": 10, "committees": 300, "meetings": 5_000, "agenda_items": 100_000, "applications": 50_000}
MINIMUM = {"committees": 2}
BATCH = 2_000
COUNCIL_SEATS = 19
# Calls whose committee was appointed longer ago than this have been purged: counts only, no applications.
RETENTION_DAYS = 90
# Meetings are planned this far ahead; later ones do not exist yet.
PLANNING_HORIZON = dt.timedelta(days=120)
TZ = ZoneInfo("Europe/Copenhagen")


def figures(scale: float) -> dict[str, int]:
    """The row counts ``generate(scale)`` creates: each figure times the scale, rounded half up, at least 1."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    return {key: max(MINIMUM.get(key, 1), math.floor(value * scale + 0.5)) for key, value in FIGURES.items()}


def generated_counts() -> dict[str, int]:
    """The headline row counts of the load data in the database (0 everywhere if there is none)."""
    municipalities = Municipality.objects.filter(slug__startswith=SLUG_PREFIX)
    return {
        "terms": Term.objects.filter(municipality__in=municipalities).count(),
        "committees": Committee.objects.filter(term__municipality__in=municipalities).count(),
        "meetings": Meeting.objects.filter(committee__term__municipality__in=municipalities).count(),
        "agenda_items": AgendaItem.objects.filter(meeting__committee__term__municipality__in=municipalities).count(),
        "applications": Application.objects.filter(call__committee__term__municipality__in=municipalities).count(),
    }


def has_load_data() -> bool:
    return Municipality.objects.filter(slug__startswith=SLUG_PREFIX).exists()


# --- Words -----------------------------------------------------------------------------------------------------

PARTIES = [
    ("C", "Det Konservative Folkeparti", 0.42),
    ("A", "Socialdemokratiet", 0.16),
    ("V", "Venstre", 0.10),
    ("B", "Radikale Venstre", 0.08),
    ("F", "SF – Socialistisk Folkeparti", 0.07),
    ("Ø", "Enhedslisten", 0.06),
    ("O", "Dansk Folkeparti", 0.05),
    ("I", "Liberal Alliance", 0.06),
]
STANDING = [
    ("Økonomiudvalget", 9, "Kommunens samlede økonomi og planlægning; behandler forslag om nye opgaveudvalg."),
    ("Børneudvalget", 7, "Dagtilbud, sundhedspleje og forebyggende indsatser for børn og familier."),
    ("Skoleudvalget", 7, "Folkeskoler, specialundervisning, SFO og ungdomsuddannelse."),
    ("Socialudvalget", 7, "Voksne med handicap, udsatte borgere, sundhed og ældre."),
    ("Teknik- og Miljøudvalget", 7, "Veje, trafik, natur, miljø og klima."),
    ("Kultur-, Unge- og Fritidsudvalget", 7, "Kultur, biblioteker, idræt, fritid og unge."),
    ("Erhvervs-, Beskæftigelses- og Integrationsudvalget", 7, "Erhverv, beskæftigelse og integration."),
    ("Bygnings- og Arkitekturudvalget", 7, "Kommunens bygninger, byplanlægning og arkitektur."),
]
TOPICS = [
    "Innovation",
    "Idræt og bevægelse",
    "Integration",
    "Erhvervspolitik",
    "Anbringelse",
    "Bæredygtighed",
    "Specialundervisning",
    "Trafik",
    "Tryghed i byen",
    "Arkitektur",
    "Værdighed i ældreplejen",
    "Udskoling",
    "Fællesskaber for børn og unge",
    "Digitalisering",
    "Detailhandel",
    "Ungepolitik",
    "Kulturpolitik",
    "Boligsocial indsats",
    "Sundhedspolitik",
    "Dagtilbud",
    "Borgerrettet behandling",
    "Ungdomsboliger",
    "Forældresamarbejde",
    "Frivillighed",
    "Klimatilpasning",
    "Biodiversitet",
    "Demens",
    "Ensomhed",
    "Mental sundhed blandt unge",
    "Fritidsjob",
    "Naturformidling",
    "Byens rum",
    "Bibliotekernes fremtid",
    "Idrætsfaciliteter",
    "Mobilitet",
    "Grøn omstilling",
    "Affald og genbrug",
    "Seniorliv",
    "Handicappolitik",
    "Kunst i byrummet",
    "Lokalhistorie",
    "Skolevejen",
    "Erhvervsliv og uddannelse",
    "Teknologi i velfærden",
    "Internationale borgere",
    "Madkultur",
    "Musikliv",
    "Stier og grønne forbindelser",
    "Læselyst",
    "Forebyggelse",
    "Pårørende",
    "Iværksætteri",
    "Vandmiljø",
    "Cykelstrategi",
    "Børns trivsel",
    "Demokrati og deltagelse",
]
YOUTH_TOPICS = {"Ungepolitik", "Mental sundhed blandt unge", "Fritidsjob", "Ungdomsboliger", "Børns trivsel"}
TASK_NAME_FORMS = ["Opgaveudvalg om {t}", "Opgaveudvalg for {t}", "Opgaveudvalget {t}"]
FIRST_NAMES = (
    "Anne Bo Camilla Dorthe Erik Frida Gustav Helle Ida Jens Karen Lars Maja Niels Olivia Peter Rasmus Sofie Torben "
    "Ulla Viggo Astrid Emil Freja Henrik Inge Jonas Lene Mads Nanna Oskar Pernille Sune Tove William Agnes Carl "
    "Mette Hanne Søren Morten Kirsten Jesper Louise Mikkel Anders Christina Thomas Line Kasper Birgitte Jørgen Lone "
    "Ole Rikke Martin Susanne Amira Ben Chloé Daniel Elif Felix Greta Ines Jakob Leo Mei Nikolaj Olga Rosa Samir "
    "Tilde Yusuf Alma Noah Ella Lucas Clara Oliver Liva Malthe Karla Elias Asta"
).split()
LAST_NAMES = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen Madsen "
    "Kristensen Olsen Thomsen Poulsen Johansen Møller Mortensen Abildgaard Bech Dahl Eskildsen Friis Gram Holt "
    "Iversen Juhl Kjær Lund Munk Nørgaard Overgaard Prip Ravn Skov Thygesen Vestergaard Winther Aagaard Bryld "
    "Dreyer Elkjær Fogh Grønbech Hvid Krogh Lykke Mølgaard Qvist Rosendahl Berg Costa Fischer Garcia Kowalski "
    "Müller Okafor Rossi Schmidt Tanaka Wong"
).split()
PLACES = ["Hellerup", "Charlottenlund", "Ordrup", "Vangede", "Dyssegård", "Jægersborg", "Klampenborg", "Gentofte"]
BUILDINGS = [
    "Gentofte Rådhus",
    "Hellerup Skole",
    "Ordrup Skole",
    "Tjørnegårdsskolen",
    "Vangede Bibliotek",
    "Gentofte Sportspark",
    "Kildeskovshallen",
    "Tranehaven",
    "Bakkehuset",
    "Hellerup Havn",
    "Øregårdsparken",
    "Gentofte Hovedbibliotek",
]
STREETS = ["Strandvejen", "Jægersborg Allé", "Bernstorffsvej", "Lyngbyvej", "Vangedevej", "Ordrupvej", "Hellerupvej"]
SERVICES = [
    "rengøring",
    "madservice",
    "vintertjeneste",
    "skolekørsel",
    "hjemmepleje",
    "IT-drift",
    "affaldsindsamling",
    "svømmehaller",
    "vejbelysning",
]
AREAS = [
    "ældreområdet",
    "skoleområdet",
    "dagtilbudsområdet",
    "det specialiserede socialområde",
    "vej og park",
    "kultur og fritid",
    "beskæftigelse",
]
PLANS = [
    "ny trafikplan",
    "klimaplan",
    "cykelstrategi",
    "sundhedspolitik",
    "kulturstrategi",
    "handicappolitik",
    "skolestruktur",
    "digitaliseringsstrategi",
    "strategi for grønne områder",
]
ASSOCIATIONS = [
    "Hellerup Idrætsklub",
    "Gentofte Spejderne",
    "Ordrup Boldklub",
    "Vangede Seniorklub",
    "Gentofte Musikskole",
    "Kulturhus Charlottenlund",
    "Dyssegård Tennisklub",
]
OPEN_TITLES = [
    "Budgetopfølgning pr. {date}",
    "Anlægsregnskab for {building}",
    "Høringssvar om {plan}",
    "Forslag til {plan}",
    "Status på {plan}",
    "Orientering om {area}",
    "Ansøgning om tilskud fra {association}",
    "Kvalitetsrapport for {area} {year}",
    "Lokalplan {n} for et område ved {street} i {place}",
    "Takster for {service} {year}",
    "Evaluering af {service}",
    "Renovering af {building}",
    "Forslag til opgaveudvalg om {topic}",
    "Budget {year}: prioriteringsforslag for {area}",
    "Trafiksikkerhed på {street}",
    "Frigivelse af anlægsbevilling til {building}",
]
CLOSED_TITLES = [
    "Køb af ejendom i {place}",
    "Salg af grund ved {street}",
    "Personalesag vedrørende {area}",
    "Udbud af {service} – evaluering af tilbud",
    "Erstatningssag vedrørende {building}",
    "Klagesag om {service}",
]
TASK_TITLES = [
    "Velkomst og præsentation af medlemmerne",
    "Oplæg om {topic}",
    "Drøftelse af leverance {k}",
    "Arbejde i grupper om {topic}",
    "Input fra borgermødet i {place}",
    "Besøg fra {association}",
    "Godkendelse af leverancer",
    "Opsamling og næste skridt",
]
SENTENCES = [
    "Sagen forelægges til orientering og beslutning.",
    "Forvaltningen har udarbejdet et notat, der beskriver mulighederne og de økonomiske konsekvenser.",
    "Budgettet for området viser et forventet mindreforbrug, som foreslås overført til næste år.",
    "Der har været dialog med de berørte foreninger, skolebestyrelser og brugerråd.",
    "Projektet gennemføres i samarbejde med {place} Lokalråd.",
    "Udgiften afholdes inden for den eksisterende ramme.",
    "Forslaget er sendt i høring, og høringssvarene er samlet i bilag 1.",
    "Tidsplanen lægger op til, at arbejdet afsluttes inden udgangen af året.",
    "Kommunalbestyrelsen besluttede i foråret at prioritere området i budgetaftalen.",
    "Sagen har været drøftet i opgaveudvalget, som anbefaler løsningen.",
    "Der er udarbejdet en miljøvurdering, som ikke giver anledning til bemærkninger.",
    "Erfaringerne fra lignende projekter i andre kommuner er positive.",
    "Forvaltningen vurderer, at løsningen vil give en bedre service for borgerne i {place}.",
    "Anlægsarbejdet ved {building} forventes at begynde efter sommerferien.",
]
RECOMMENDATIONS = [
    "Økonomi- og Personaleforvaltningen indstiller,\nat sagen godkendes.",
    "Børn, Unge og Fritid indstiller,\nat orienteringen tages til efterretning.",
    "Social og Sundhed indstiller,\nat forslaget anbefales over for Kommunalbestyrelsen.",
    "Teknik og Miljø indstiller,\nat projektet godkendes,\nat der frigives en anlægsbevilling.",
    "Kultur, Unge og Fritid indstiller,\nat tilskuddet bevilges.",
    "",
]
DECISIONS = [
    "Godkendt.",
    "Anbefales over for Kommunalbestyrelsen.",
    "Taget til efterretning.",
    "Udsat til næste møde.",
    "Godkendt med den bemærkning, at forvaltningen vender tilbage med en status efter et år.",
    "Drøftet. Udvalgets input indgår i det videre arbejde.",
    "Et flertal anbefaler forslaget. Et mindretal (A og F) stemmer imod.",
]
LOCATIONS = [
    "Udvalgsværelse A",
    "Udvalgsværelse G",
    "Mødelokale 2",
    "Rådhuset, mødesal 1",
    "Gentofte Hovedbibliotek",
    "Hellerup Bibliotek",
    "Medborgerhuset i Vangede",
]
COMPETENCES = [
    "Erfaring fra foreningslivet",
    "Faglig viden om emnet",
    "Erfaring som pårørende",
    "Erfaring med innovation",
    "Erhvervserfaring",
    "Bor i et alment boligområde",
    "International baggrund",
    "Senior (65+)",
    "Erfaring med frivilligt arbejde",
    "Forælder til børn i skole eller dagtilbud",
]
YOUTH_COMPETENCES = ["Går i skole", "Er under uddannelse", "Har fritidsjob", "Erfaring fra elevråd", "Foreningsliv"]
MOTIVATIONS = [
    "Jeg har boet i kommunen hele mit liv og vil gerne give noget tilbage.",
    "Jeg arbejder med området til daglig og kan bidrage med faglig viden.",
    "Som forælder oplever jeg udfordringerne tæt på.",
    "Jeg er frivillig i en forening og kender mange, der vil være med.",
    "Jeg vil gerne være med til at skabe løsninger sammen med politikerne.",
    "Jeg har erfaring med projektledelse og samarbejde på tværs.",
    "Jeg er nysgerrig på, hvordan kommunen træffer beslutninger.",
    "Jeg flyttede hertil for nylig og vil gerne lære byen og mine naboer at kende.",
]
GENDERS = [Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, Gender.OTHER, Gender.UNDISCLOSED, ""]


# --- The generator ---------------------------------------------------------------------------------------------


@dataclass
class _Committee:
    obj: Committee
    topic: str = ""
    members: list[int] = field(default_factory=list)  # person pks
    competences: list[str] = field(default_factory=list)
    age: tuple[int | None, int | None] = (None, None)


def _split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder), each share at least ``minimum``."""
    n = len(weights)
    if n == 0:
        return []
    base = [minimum] * n
    rest = total - minimum * n
    if rest < 0:  # not enough for the minimum everywhere: one each to the heaviest
        order = sorted(range(n), key=lambda i: -weights[i])
        shares = [0] * n
        for i in order[:total]:
            shares[i] = 1
        return shares
    wsum = sum(weights) or 1.0
    exact = [rest * w / wsum for w in weights]
    shares = [math.floor(x) for x in exact]
    left = rest - sum(shares)
    for i in sorted(range(n), key=lambda i: shares[i] - exact[i])[:left]:
        shares[i] += 1
    return [b + s for b, s in zip(base, shares, strict=True)]


def _ascii(text: str) -> str:
    return slugify(text.translate(DANISH)).replace("-", ".")


class Generator:
    def __init__(self, *, scale: float, seed: int, now=None, log: Callable[[str], None] = print):
        self.figures = figures(scale)
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.today = timezone.localtime(self.now, TZ).date()
        self.log = log
        self.created: dict[str, int] = {}
        self.steps: list[tuple[str, float]] = []
        self._step_start = time.perf_counter()

    # helpers
    def _done(self, label: str) -> None:
        now = time.perf_counter()
        self.steps.append((label, now - self._step_start))
        self.log(f"  {label}: {now - self._step_start:.1f} s")
        self._step_start = now

    def _count(self, key: str, n: int) -> None:
        self.created[key] = self.created.get(key, 0) + n

    def _bulk(self, model, rows: list, key: str | None = None) -> list:
        model.objects.bulk_create(rows, batch_size=BATCH)
        if key:
            self._count(key, len(rows))
        return rows

    def _name(self) -> str:
        first = self.rng.choice(FIRST_NAMES)
        if self.rng.random() < 0.15:
            first = f"{first} {self.rng.choice(FIRST_NAMES)}"
        return f"{first} {self.rng.choice(LAST_NAMES)}"

    def _fill(self, text: str, **extra) -> str:
        rng = self.rng
        values = {
            "date": f"{rng.randint(1, 28)}. {rng.choice(['marts', 'juni', 'september', 'december'])}",
            "building": rng.choice(BUILDINGS),
            "plan": rng.choice(PLANS),
            "area": rng.choice(AREAS),
            "association": rng.choice(ASSOCIATIONS),
            "year": rng.randint(2000, self.today.year + 1),
            "n": rng.randint(100, 499),
            "street": rng.choice(STREETS),
            "place": rng.choice(PLACES),
            "service": rng.choice(SERVICES),
            "topic": rng.choice(TOPICS).lower(),
            "k": rng.randint(1, 4),
            **extra,
        }
        return text.format(**values)

    def _local(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)

    # steps
    def run(self) -> dict[str, int]:
        started = time.perf_counter()
        with transaction.atomic():
            self._municipality()
            self._terms_and_councils()
            self._committees()
            self._mandates_and_calls()
            self._applications()
            self._meetings()
            self._items()
            self._approvals()
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner sees 100,000 items rather than an empty table (autovacuum would
            # get there too, later).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self._done("ANALYZE")
        self.total_seconds = time.perf_counter() - started
        return self.created

    def _municipality(self) -> None:
        taken = set(Municipality.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
        n = 1
        while (SLUG_PREFIX if n == 1 else f"{SLUG_PREFIX}-{n}") in taken:
            n += 1
        slug = SLUG_PREFIX if n == 1 else f"{SLUG_PREFIX}-{n}"
        self.suffix = "" if n == 1 else f"-{n}"
        self.municipality = Municipality.objects.create(
            slug=slug, name=f"{settings.PORTAL_MUNICIPALITY_NAME} (belastningstest{self.suffix})"
        )
        self.parties = {
            letter: Party(municipality=self.municipality, letter=letter, name=name) for letter, name, _w in PARTIES
        }
        self._bulk(Party, list(self.parties.values()), "parties")

    def _terms_and_councils(self) -> None:
        """Terms of four years, the last one sitting now; a council of 19 per term, elected by D'Hondt on votes
        that drift from term to term; most members sit on after an election."""
        n = self.figures["terms"]
        year = self.today.year
        current_start = year - (year - 2) % 4  # Danish terms begin 1 January 2018, 2022, 2026 …
        self.terms = [
            Term(
                municipality=self.municipality,
                slug=f"{start}-{start + 3}",
                starts_on=dt.date(start, 1, 1),
                ends_on=dt.date(start + 3, 12, 31),
            )
            for start in (current_start - 4 * (n - 1 - i) for i in range(n))
        ]
        self._bulk(Term, self.terms, "terms")

        sitting: dict[str, list[Person]] = {}
        self.councils: list[dict[str, list[Person]]] = []
        memberships = []
        for term in self.terms:
            votes = {letter: max(1, int(w * self.rng.uniform(0.6, 1.4) * 50_000)) for letter, _n, w in PARTIES}
            seats = allocate(votes, COUNCIL_SEATS, self.rng).seats
            council: dict[str, list[Person]] = {}
            new_people = []
            for letter, count in seats.items():
                stay = [p for p in sitting.get(letter, []) if self.rng.random() < 0.7][:count]
                fresh = [Person(name=self._name()) for _ in range(count - len(stay))]
                new_people += fresh
                council[letter] = stay + fresh
            self._bulk(Person, new_people, "persons")
            order = sorted((letter for letter in council if council[letter]), key=lambda g: -len(council[g]))
            for letter in order:
                for i, person in enumerate(council[letter]):
                    role = CouncilMembership.Role.MEMBER
                    if i == 0 and letter == order[0]:
                        role = CouncilMembership.Role.MAYOR
                    elif i == 0 and len(order) > 1 and letter == order[1]:
                        role = CouncilMembership.Role.DEPUTY_MAYOR
                    memberships.append(
                        CouncilMembership(term=term, person=person, party=self.parties[letter], role=role)
                    )
            self.councils.append(council)
            sitting = council
        self._bulk(CouncilMembership, memberships, "council_members")
        self._done(f"{len(self.terms)} terms with councils")

    def _committees(self) -> None:
        """Per term: standing committees and task committees (closed in earlier terms, every stage in the
        current one), with members where they have been appointed."""
        per_term = _split(self.figures["committees"], [1.0] * len(self.terms))
        # Any odd committee goes to the latest terms, so the current term is never short.
        per_term.sort()
        self.standing: list[_Committee] = []
        self.tasks: list[_Committee] = []
        slugs: set[str] = set(Committee.objects.values_list("slug", flat=True))
        proposed_by_rows = []
        for term_index, (term, k) in enumerate(zip(self.terms, per_term, strict=True)):
            current = term_index == len(self.terms) - 1
            n_standing = min(len(STANDING), max(1, round(k * len(STANDING) / 30))) if k > 1 else (0 if current else 1)
            n_standing = min(n_standing, k - 1) if k > 1 else n_standing
            council = self.councils[term_index]
            rotation = dict.fromkeys(council, 0)
            term_standing = []
            for name, seats, purpose in STANDING[:n_standing]:
                obj = Committee(
                    kind=Committee.Kind.STANDING,
                    status="",
                    term=term,
                    name=name,
                    slug=self._slug(name, term, slugs),
                    purpose=purpose,
                    seats=seats,
                    starts_on=term.starts_on,
                    ends_on=term.ends_on,
                )
                c = _Committee(obj)
                c.seat_plan = self._politicians(council, rotation, seats)
                term_standing.append(c)
            topics = self.rng.sample(TOPICS, len(TOPICS))
            term_tasks = []
            for i in range(k - n_standing):
                topic = topics[i % len(topics)]
                form = self.rng.choice(TASK_NAME_FORMS)
                name = form.format(t=topic)
                if i >= len(topics):
                    name += f" {i // len(topics) + 1}"
                status, starts_on, ends_on = self._task_period(term, current, i)
                politicians = self.rng.choice([3, 4, 5, 5, 5])
                citizens = 10 if topic in YOUTH_TOPICS else self.rng.choice([6, 8, 10, 10])
                obj = Committee(
                    kind=Committee.Kind.TASK,
                    status=status,
                    term=term,
                    name=name,
                    slug=self._slug(name, term, slugs),
                    purpose=f"At udvikle forslag til, hvordan kommunen sammen med borgerne styrker "
                    f"{topic.lower()}. {self._fill(self.rng.choice(SENTENCES))}",
                    seats=politicians + citizens,
                    politician_seats=politicians,
                    citizen_seats=citizens,
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
                c = _Committee(obj, topic=topic)
                youth = topic in YOUTH_TOPICS
                c.competences = self.rng.sample(YOUTH_COMPETENCES, 3) if youth else self.rng.sample(COMPETENCES, 4)
                c.age = (13, 25) if youth else (None, None)
                term_tasks.append(c)
            self._bulk(Committee, [c.obj for c in term_standing + term_tasks], "committees")
            for c in term_tasks:
                for proposer in self.rng.sample(term_standing, min(len(term_standing), self.rng.choice([1, 1, 2]))):
                    proposed_by_rows.append(
                        Committee.proposed_by.through(from_committee_id=c.obj.pk, to_committee_id=proposer.obj.pk)
                    )
            self.standing += term_standing
            self.tasks += term_tasks
            self._task_members(term_tasks, council, rotation)
        self._bulk(Committee.proposed_by.through, proposed_by_rows)

        memberships = []
        for c in self.standing:
            memberships += self._standing_rows(c)
        for c in self.tasks:
            memberships += getattr(c, "membership_rows", [])
        self._bulk(CommitteeMembership, memberships, "committee_members")
        self._done(f"{len(self.standing)} standing and {len(self.tasks)} task committees with members")

    def _slug(self, name: str, term: Term, taken: set[str]) -> str:
        base = f"{danish_slugify(name)[:150]}-{term.slug}{self.suffix}"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        return slug

    def _task_period(self, term: Term, current: bool, i: int) -> tuple[str, dt.date, dt.date]:
        rng = self.rng
        S = Committee.Status
        if not current:
            latest = max(0, (term.ends_on - term.starts_on).days - 400)
            starts_on = term.starts_on + dt.timedelta(days=90 + rng.randint(0, latest))
            return S.CLOSED, starts_on, starts_on + dt.timedelta(days=rng.randint(240, 420))
        # The current term: one of each stage first, then mostly established committees.
        pattern = [S.RECRUITING, S.ESTABLISHED, S.MANDATE_APPROVED, S.PROPOSED, S.ESTABLISHED, S.RECRUITING]
        status = pattern[i] if i < len(pattern) else rng.choice([S.ESTABLISHED] * 5 + [S.RECRUITING, S.PROPOSED])
        if status == S.ESTABLISHED:
            span = max(0, (self.today - term.starts_on).days - 60)
            starts_on = term.starts_on + dt.timedelta(days=rng.randint(0, span))
        else:
            offset = {S.RECRUITING: (45, 90), S.MANDATE_APPROVED: (90, 150), S.PROPOSED: (120, 240)}[status]
            starts_on = self.today + dt.timedelta(days=rng.randint(*offset))
        return status, starts_on, starts_on + dt.timedelta(days=rng.randint(270, 450))

    def _politicians(self, council, rotation, seats: int) -> list[tuple[Person, str]]:
        """Seats by D'Hondt among the council's groups, each group's members taken in turn."""
        votes = {g: len(p) for g, p in council.items() if p}
        allocation = allocate(votes, seats, self.rng).seats
        members = []
        for group in sorted(allocation, key=lambda g: (-allocation[g], g)):
            pool = council[group]
            for _ in range(allocation[group]):
                members.append((pool[rotation[group] % len(pool)], group))
                rotation[group] += 1
        return members

    def _task_members(self, tasks: list[_Committee], council, rotation) -> None:
        """Appointed task committees: all seats under one by D'Hondt; a group's first seats go to its council
        members while politician seats remain, the rest to citizens. Chair and vice-chair are politicians."""
        citizens: list[Person] = []
        plans = []
        for c in tasks:
            obj = c.obj
            if obj.status not in (Committee.Status.ESTABLISHED, Committee.Status.CLOSED):
                continue
            votes = {g: len(p) for g, p in council.items() if p}
            seats = allocate(votes, obj.seats, self.rng).seats
            groups = sorted((g for g in seats if seats[g]), key=lambda g: (-seats[g], g))
            politicians_left = obj.politician_seats
            plan = []
            for g in groups:
                for i in range(seats[g]):
                    plan.append([g, i == 0 and politicians_left > 0])
                    if i == 0 and politicians_left > 0:
                        politicians_left -= 1
            taken = {g: sum(1 for row in plan if row[0] == g and row[1]) for g in groups}
            for row in plan:  # politician seats left over go to the largest groups' further seats, while they last
                if politicians_left and not row[1] and taken[row[0]] < len(council[row[0]]):
                    row[1] = True
                    taken[row[0]] += 1
                    politicians_left -= 1
            for row in plan:
                if not row[1]:
                    person = Person(name=self._name())
                    citizens.append(person)
                    row.append(person)
            plans.append((c, plan))
        self._bulk(Person, citizens, "persons")
        for c, plan in plans:
            obj = c.obj
            sitting = obj.status != Committee.Status.CLOSED
            rows, seen, chairs = [], set(), 0
            for g, is_politician, *citizen in plan:
                if is_politician:
                    pool = council[g]
                    person = pool[rotation[g] % len(pool)]
                    rotation[g] += 1
                    if person.pk in seen:
                        continue
                    role = CommitteeMembership.Role.MEMBER
                    if chairs < 2:
                        role = [CommitteeMembership.Role.CHAIR, CommitteeMembership.Role.VICE_CHAIR][chairs]
                        chairs += 1
                    kind = CommitteeMembership.MemberKind.POLITICIAN
                else:
                    person, role, kind = (
                        citizen[0],
                        CommitteeMembership.Role.MEMBER,
                        CommitteeMembership.MemberKind.CITIZEN,
                    )
                seen.add(person.pk)
                rows.append(
                    membership_build(
                        committee=obj,
                        person=person,
                        role=role,
                        member_kind=kind,
                        party=self.parties[g],
                        seat_group=g,
                        starts_on=obj.starts_on,
                        ends_on=None if sitting else obj.ends_on,
                        check_database=False,
                    )
                )
                c.members.append(person.pk)
            c.membership_rows = rows

    def _mandates_and_calls(self) -> None:
        """A published mandate (and its deliverables) for every task committee past "forslag", a draft for the
        rest; a call for every committee that has recruited: open ones for "rekruttering", closed ones before,
        purged (counts only) once the retention period after the appointment has passed."""
        mandates, deliverables, calls = [], [], []
        self.calls_with_applications: list[tuple[Call, _Committee]] = []
        for c in self.tasks:
            obj = c.obj
            draft = obj.status == Committee.Status.PROPOSED
            texts = {
                "background": f"Kommunalbestyrelsen ønsker at udvikle politikken for {c.topic.lower()} sammen med "
                f"borgerne. {self._fill(self.rng.choice(SENTENCES))}",
                "purpose": obj.purpose,
                "task": "Udvalget skal:\n\n- indsamle viden og erfaringer\n- inddrage borgere og foreninger bredt\n"
                "- udarbejde forslag til Kommunalbestyrelsen",
                "meeting_cadence": f"Udvalget mødes cirka hver {self.rng.choice(['fjerde', 'sjette', 'ottende'])} "
                "uge på hverdage kl. 17–20.",
            }
            n_deliverables = self.rng.randint(2, 4)
            items = [
                {
                    "title": f"Leverance {k}: {self._fill(self.rng.choice(['Forslag til {plan}', 'Idékatalog om {topic}', 'Opsamling fra borgermøder i {place}', 'Anbefalinger om {topic}']))}",
                    "description": "Udvalgets anbefalinger med begrundelse.",
                    "due_on": obj.ends_on.isoformat(),
                }
                for k in range(1, n_deliverables + 1)
            ]
            approved_on = obj.starts_on - dt.timedelta(days=self.rng.randint(60, 100))
            mandates.append(
                Mandate(
                    committee=obj,
                    status=Mandate.Status.DRAFT if draft else Mandate.Status.PUBLISHED,
                    **texts,
                    **{f"{k}_html": render_markdown(v) for k, v in texts.items()},
                    deliverables=items,
                    politician_count=obj.politician_seats,
                    citizen_count=obj.citizen_seats,
                    competences=c.competences,
                    age_min=c.age[0],
                    age_max=c.age[1],
                    starts_on=obj.starts_on,
                    ends_on=obj.ends_on,
                    approved_on=None if draft else approved_on,
                    approval_reference="" if draft else f"Kommunalbestyrelsen {approved_on:%d-%m-%Y}",
                    published_at=None if draft else self._local(approved_on + dt.timedelta(days=3), 12),
                )
            )
            if obj.status in (Committee.Status.ESTABLISHED, Committee.Status.CLOSED):
                closed = obj.status == Committee.Status.CLOSED
                deliverables += [
                    Deliverable(
                        committee=obj,
                        number=k,
                        title=d["title"],
                        description=d["description"],
                        due_on=obj.ends_on,
                        handed_over_on=obj.ends_on + dt.timedelta(days=20) if closed else None,
                    )
                    for k, d in enumerate(items, start=1)
                ]
            if obj.status in (Committee.Status.RECRUITING, Committee.Status.ESTABLISHED, Committee.Status.CLOSED):
                calls.append(self._call(c))
        self._bulk(Mandate, mandates, "mandates")
        self._bulk(Deliverable, deliverables, "deliverables")
        self._bulk(Call, calls, "calls")
        self._done(f"{len(mandates)} mandates, {len(deliverables)} deliverables and {len(calls)} calls")

    def _standing_rows(self, c: _Committee) -> list[CommitteeMembership]:
        obj = c.obj
        sitting = obj.term.ends_on >= self.today
        rows, seen = [], set()
        for person, group in c.seat_plan:
            if person.pk in seen:
                continue
            seen.add(person.pk)
            role = [CommitteeMembership.Role.CHAIR, CommitteeMembership.Role.VICE_CHAIR, None][min(len(rows), 2)]
            rows.append(
                membership_build(
                    committee=obj,
                    person=person,
                    role=role or CommitteeMembership.Role.MEMBER,
                    member_kind=CommitteeMembership.MemberKind.POLITICIAN,
                    party=self.parties[group],
                    seat_group=group,
                    starts_on=obj.starts_on,
                    ends_on=None if sitting else obj.ends_on,
                    check_database=False,
                )
            )
            c.members.append(person.pk)
        return rows

    def _call(self, c: _Committee) -> Call:
        obj = c.obj
        rng = self.rng
        text = (
            f"Vil du være med til at udvikle {c.topic.lower()} i kommunen? {obj.name} søger "
            f"{obj.citizen_seats} borgere, der vil arbejde sammen med {obj.politician_seats} politikere. "
            "Udvalget mødes på hverdage kl. 17–20."
        )
        call = Call(
            committee=obj,
            title=f"Bliv medlem af {obj.name[0].lower()}{obj.name[1:]}",
            text=text,
            text_html=render_markdown(text),
            competences=c.competences,
            age_min=c.age[0],
            age_max=c.age[1],
        )
        if obj.status == Committee.Status.RECRUITING:
            call.published_at = self.now - dt.timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 8))
            call.deadline = self._local(self.today + dt.timedelta(days=rng.randint(30, 60)), 12)
            self.calls_with_applications.append((call, c))
            return call
        appointed = obj.starts_on - dt.timedelta(days=14)
        call.published_at = self._local(obj.starts_on - dt.timedelta(days=75), 10)
        call.deadline = self._local(obj.starts_on - dt.timedelta(days=30), 12)
        if (self.today - appointed).days > RETENTION_DAYS:
            total = rng.randint(obj.citizen_seats * 2, obj.citizen_seats * 12)
            call.purged_at = self._local(appointed + dt.timedelta(days=RETENTION_DAYS + 1), 3)
            call.purged_counts = {
                "ansøgninger": total,
                "udpegede": obj.citizen_seats,
                "bydele": {d: total // len(DISTRICTS) for d, _l in DISTRICTS[:-1]},
                "køn": {"kvinde": total // 2, "mand": total - total // 2},
            }
        else:
            self.calls_with_applications.append((call, c))
        return call

    def _applications(self) -> None:
        """The applications, spread over the open calls and the closed ones not yet purged (open calls weigh
        more); emails are unique per call."""
        total = self.figures["applications"]
        targets = self.calls_with_applications
        weights = [3.0 if call.committee.status == Committee.Status.RECRUITING else 1.0 for call, _c in targets]
        weights = [w * self.rng.uniform(0.5, 1.5) for w in weights]
        shares = _split(total, weights)
        districts = [d for d, _label in DISTRICTS]
        rng = self.rng
        rows = []
        for (call, c), n in zip(targets, shares, strict=True):
            year = timezone.localtime(call.deadline, TZ).year
            low, high = c.age
            open_call = c.obj.status == Committee.Status.RECRUITING
            appointed = 0
            for i in range(n):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                district = rng.choice(districts)
                age = rng.randint(low or 18, high or 85)
                if open_call:
                    status = Application.Status.SHORTLISTED if rng.random() < 0.1 else Application.Status.RECEIVED
                elif appointed < c.obj.citizen_seats and rng.random() < 0.3:
                    status, appointed = Application.Status.APPOINTED, appointed + 1
                else:
                    status = Application.Status.NOT_APPOINTED
                rows.append(
                    Application(
                        call=call,
                        name=f"{first} {last}",
                        email=f"{_ascii(first)}.{_ascii(last)}.{i + 1}@eksempel.dk",
                        phone=""
                        if rng.random() < 0.4
                        else f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                        postcode=POSTCODES[district],
                        district=district,
                        birth_year=year - age,
                        gender=rng.choice(GENDERS),
                        competences=rng.sample(c.competences, rng.randint(0, len(c.competences))),
                        motivation=" ".join(rng.sample(MOTIVATIONS, 2)),
                        consent_at=call.published_at + dt.timedelta(minutes=rng.randint(5, 60 * 24 * 14)),
                        status=status,
                        shortlist_reason="Relevant erfaring og stærk motivation."
                        if status == Application.Status.SHORTLISTED
                        else "",
                    )
                )
                if len(rows) >= BATCH * 5:
                    self._bulk(Application, rows, "applications")
                    rows = []
        self._bulk(Application, rows, "applications")
        self._done(f"{self.created.get('applications', 0)} applications on {len(targets)} calls")

    def _meetings(self) -> None:
        """Meetings of every standing and appointed task committee, spread over its period, planned up to four
        months ahead; agendas published a week before, minutes some days after (recent ones may be drafts)."""
        horizon = self.today + PLANNING_HORIZON
        eligible = []
        for c in self.standing + self.tasks:
            obj = c.obj
            if obj.kind == Committee.Kind.TASK and obj.status not in (
                Committee.Status.ESTABLISHED,
                Committee.Status.CLOSED,
            ):
                continue
            start = obj.starts_on + dt.timedelta(days=14 if obj.kind == Committee.Kind.STANDING else 0)
            end = min(obj.ends_on, horizon)
            if end > start:
                eligible.append((c, start, end))
        shares = _split(self.figures["meetings"], [float((end - start).days) for _c, start, end in eligible])
        rng = self.rng
        meetings = []
        self.meeting_plan = []  # (meeting, committee, minutes status or None)
        for (c, start, end), n in zip(eligible, shares, strict=True):
            span = (end - start).days
            for k in range(n):
                day = start + dt.timedelta(days=int(span * (k + rng.uniform(0.1, 0.9)) / n))
                day -= dt.timedelta(days=max(0, day.weekday() - 3))  # Monday to Thursday
                starts_at = self._local(day, rng.choice([16, 17, 17, 17, 18]), rng.choice([0, 0, 30]))
                published = starts_at - dt.timedelta(days=7, hours=rng.randint(0, 48))
                m = Meeting(
                    committee=c.obj,
                    starts_at=starts_at,
                    location=rng.choice(LOCATIONS),
                    kind=Meeting.Kind.EXTRAORDINARY if rng.random() < 0.04 else Meeting.Kind.ORDINARY,
                    agenda_published_at=published if published <= self.now else None,
                )
                if m.agenda_published_at and rng.random() < 0.05:
                    m.agenda_changed_at = published + dt.timedelta(days=rng.randint(1, 5))
                    if m.agenda_changed_at > self.now:
                        m.agenda_changed_at = None
                    m.agenda_public_changed_at = m.agenda_changed_at
                minutes = None
                if starts_at < self.now:
                    age = (self.now - starts_at).days
                    if age > 14 or rng.random() < 0.4:
                        minutes = Minutes.Status.PUBLISHED
                    else:
                        minutes = rng.choice([Minutes.Status.DRAFT, Minutes.Status.APPROVED])
                meetings.append(m)
                self.meeting_plan.append((m, c, minutes))
        self._bulk(Meeting, meetings, "meetings")

        minutes_rows, attendance = [], []
        for m, _c, status in self.meeting_plan:
            if status is None:
                continue
            published_at = m.starts_at + dt.timedelta(days=rng.randint(2, 6))
            row = Minutes(
                meeting=m,
                status=status,
                ended_at=dt.time(rng.choice([18, 19, 19, 20]), rng.choice([0, 15, 30, 45])),
                published_at=published_at if status == Minutes.Status.PUBLISHED else None,
                remarks="",
            )
            minutes_rows.append(row)
        self._bulk(Minutes, minutes_rows, "minutes")
        for row, (_m, c, _s) in zip(minutes_rows, [p for p in self.meeting_plan if p[2]], strict=True):
            absent = set(rng.sample(c.members, min(len(c.members), rng.choice([0, 1, 1, 2, 3]))))
            for person_pk in c.members:
                missing = person_pk in absent
                attendance.append(
                    Attendance(
                        minutes=row,
                        person_id=person_pk,
                        presence=Attendance.Presence.ABSENT if missing else Attendance.Presence.PRESENT,
                        sent_apologies=missing and rng.random() < 0.8,
                    )
                )
            if len(attendance) >= BATCH * 5:
                self._bulk(Attendance, attendance, "attendance")
                attendance = []
        self._bulk(Attendance, attendance, "attendance")
        self._done(f"{len(meetings)} meetings, {len(minutes_rows)} minutes")

    def _summary_pool(self):
        """Item texts rendered once and reused: rendering 100,000 Markdown texts would dominate the run."""
        pool = []
        for _ in range(60):
            paragraphs = [
                " ".join(self._fill(s) for s in self.rng.sample(SENTENCES, self.rng.randint(2, 4)))
                for _p in range(self.rng.randint(1, 3))
            ]
            text = "\n\n".join(paragraphs)
            pool.append((text, render_markdown(text)))
        decisions = [(d, render_markdown(d)) for d in DECISIONS]
        return pool, decisions

    def _items(self) -> None:
        """Agenda items: standing committees' agendas are long, task committees' short; the first item approves
        the agenda; one in ten of a standing committee's cases is closed; some open items have bilag."""
        rng = self.rng
        weights = [
            (1.4 if c.obj.kind == Committee.Kind.STANDING else 0.4) * rng.uniform(0.4, 1.6)
            for _m, c, _s in self.meeting_plan
        ]
        shares = _split(self.figures["agenda_items"], weights, minimum=1)
        summaries, decisions = self._summary_pool()
        first_number = max(
            Attachment.objects.aggregate(n=Max("document_number"))["n"] or 0, FIRST_DOCUMENT_NUMBER + 1000
        )
        number = first_number + 1
        stored = self._stored_bilag()
        items, pending_attachments = [], []

        def flush():
            nonlocal items, pending_attachments
            self._bulk(AgendaItem, items, "agenda_items")
            rows = [
                Attachment(
                    item=item,
                    position=p,
                    title=title,
                    document_number=doc,
                    file=stored,
                    original_name="bilag.pdf",
                    content_type="application/pdf",
                    size=self._stored_size,
                )
                for item, p, title, doc in pending_attachments
            ]
            self._bulk(Attachment, rows, "attachments")
            items, pending_attachments = [], []

        for (m, c, minutes), n in zip(self.meeting_plan, shares, strict=True):
            standing = c.obj.kind == Committee.Kind.STANDING
            year = m.starts_at.year
            for position in range(1, n + 1):
                closed = False
                case_number = f"{year % 100:02d}/{rng.randint(100, 19999):05d}"
                if position == 1 and n > 2:
                    title, case_number = "Godkendelse af dagsorden", ""
                elif position == n and n > 3:
                    title, case_number = rng.choice(["Eventuelt", "Meddelelser"]), ""
                elif standing and rng.random() < 0.1:
                    title, closed = self._fill(rng.choice(CLOSED_TITLES)), True
                elif standing:
                    title = self._fill(rng.choice(OPEN_TITLES), year=year)
                else:
                    title = self._fill(rng.choice(TASK_TITLES), topic=c.topic.lower())
                    case_number = f"EMN-{year}-{rng.randint(1, 9999):05d}" if rng.random() < 0.3 else ""
                summary, summary_html = rng.choice(summaries) if case_number else ("", "")
                decision, decision_html = rng.choice(decisions) if minutes and case_number else ("", "")
                item = AgendaItem(
                    meeting=m,
                    position=position,
                    title=title,
                    case_number=case_number,
                    is_closed=closed,
                    summary=summary,
                    summary_html=summary_html,
                    recommendation=rng.choice(RECOMMENDATIONS) if case_number else "",
                    decision=decision,
                    decision_html=decision_html,
                )
                items.append(item)
                if case_number and rng.random() < 0.12:
                    for p in range(1, rng.randint(1, 3) + 1):
                        pending_attachments.append((item, p, f"Bilag {p}: {self._fill('Notat om {plan}')}", number))
                        number += 1
            if len(items) >= BATCH * 2:
                flush()
        flush()
        self._done(f"{self.created.get('agenda_items', 0)} agenda items, {self.created.get('attachments', 0)} bilag")

    def _approvals(self) -> None:
        """Each deliverable handed to the council was approved by its committee under an open item of one of the
        committee's published agendas (meetings.DeliverableApproval: the API's Consultation)."""
        items = (
            AgendaItem.objects.filter(
                meeting__committee__term__municipality=self.municipality,
                meeting__agenda_published_at__isnull=False,
                is_closed=False,
                position__gt=1,
            )
            .order_by("meeting__committee_id", "-meeting__starts_at", "position")
            .values_list("meeting__committee_id", "pk")
        )
        last_item = {}
        for committee_id, item_id in items.iterator():
            last_item.setdefault(committee_id, item_id)
        rows = [
            DeliverableApproval(deliverable_id=pk, item_id=last_item[committee_id])
            for pk, committee_id in Deliverable.objects.filter(
                committee__term__municipality=self.municipality, handed_over_on__isnull=False
            ).values_list("pk", "committee_id")
            if committee_id in last_item
        ]
        self._bulk(DeliverableApproval, rows, "deliverable_approvals")
        self._done(f"{len(rows)} deliverables approved under an item")

    def _stored_bilag(self) -> str:
        """One small PDF that every generated bilag points to, so downloads work without 40,000 files."""
        from gentofte_portal.common.storage import private_storage

        from .meetings import minimal_pdf

        storage = private_storage()
        name = "bilag/belastningstest.pdf"
        data = minimal_pdf("Bilag (belastningstest)")
        self._stored_size = len(data)
        if not storage.exists(name):
            name = storage.save(name, ContentFile(data))
        return name


def generate(*, scale: float = 1.0, seed: int = 1, now=None, log: Callable[[str], None] = print) -> Generator:
    """Create one set of load data; returns the generator, with ``created`` (rows per table) and timings."""
    generator = Generator(scale=scale, seed=seed, now=now, log=log)
    generator.run()
    return generator
