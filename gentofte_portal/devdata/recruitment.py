"""Demo recruitment: an open call for "Det internationale Gentofte" with 40 fictitious applications, some
shortlisted. Idempotent: the call is found by title, and applications are added only to an empty call."""

import datetime as dt
import random

from django.utils import timezone

from committees.models import Committee
from gentofte_portal.common.markdown import render_markdown
from recruitment.models import DISTRICTS, Application, Call, Gender

POSTCODES = {
    "charlottenlund": "2920",
    "dyssegaard": "2870",
    "gentofte": "2820",
    "hellerup": "2900",
    "jaegersborg": "2820",
    "klampenborg": "2930",
    "ordrup": "2920",
    "skovshoved": "2920",
    "vangede": "2820",
    "udenfor": "2800",
}
FIRST = [
    "Amira",
    "Ben",
    "Chloé",
    "Daniel",
    "Elif",
    "Felix",
    "Greta",
    "Hiroshi",
    "Ines",
    "Jakob",
    "Katarzyna",
    "Leo",
    "Mei",
    "Nikolaj",
    "Olga",
    "Pablo",
    "Rosa",
    "Samir",
    "Tilde",
    "Yusuf",
]
LAST = [
    "Andersen",
    "Berg",
    "Costa",
    "Dahl",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Müller",
    "Nielsen",
    "Okafor",
    "Pedersen",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Wong",
]
MOTIVATIONS = [
    "Jeg flyttede til Gentofte for tre år siden og ved, hvor svært det kan være at finde fodfæste.",
    "Jeg arbejder med internationale medarbejdere og hører hver dag om deres udfordringer med at falde til.",
    "Som forælder i en international familie vil jeg gerne bidrage til bedre information om skole og dagtilbud.",
    "Jeg er frivillig i en forening og vil gerne have flere internationale borgere med i foreningslivet.",
    "Jeg studerer og vil gerne give de unge internationale en stemme.",
]


def demo_open_call(*, now=None, caseworkers=()) -> Call:
    now = now or timezone.now()
    committee = Committee.objects.get(slug="opgaveudvalget-det-internationale-gentofte")
    mandate = committee.mandates.filter(status="offentliggjort").order_by("-revision").first()
    text = (
        "Vi søger ti borgere med international baggrund eller erfaring, som vil være med til at gøre Gentofte til "
        "et godt sted for internationale borgere. Udvalget mødes cirka hver sjette uge på hverdage kl. 17–20."
    )
    call, _ = Call.objects.get_or_create(
        committee=committee,
        title="Bliv medlem af opgaveudvalget Det internationale Gentofte",
        defaults={
            "text": text,
            "text_html": render_markdown(text),
            "competences": list(mandate.competences) if mandate else [],
            "published_at": now,
            "deadline": (now + dt.timedelta(days=30)).replace(hour=12, minute=0, second=0, microsecond=0),
        },
    )
    if not call.applications.exists():
        _applications(call, now)
    call.caseworkers.add(*caseworkers)
    return call


def _applications(call: Call, now) -> None:
    rng = random.Random(2019)
    names = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(names)
    districts = [d for d, _label in DISTRICTS]
    genders = [Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, Gender.OTHER, Gender.UNDISCLOSED, ""]
    rows = []
    for i, name in enumerate(names[:40]):
        district = rng.choice(districts)
        status = Application.Status.SHORTLISTED if i % 5 == 0 else Application.Status.RECEIVED
        rows.append(
            Application(
                call=call,
                name=name,
                email=f"ansoeger{i + 1:02d}@example.org",
                phone="" if i % 3 else f"2{rng.randrange(10**6, 10**7)}",
                postcode=POSTCODES[district],
                district=district,
                birth_year=rng.randint(1950, 2006),
                gender=rng.choice(genders),
                competences=rng.sample(call.competences, k=rng.randint(0, len(call.competences))),
                motivation=rng.choice(MOTIVATIONS),
                consent_at=now - dt.timedelta(hours=40 - i),
                status=status,
                shortlist_reason="Bred erfaring og stærk motivation."
                if status == Application.Status.SHORTLISTED
                else "",
            )
        )
    Application.objects.bulk_create(rows)
