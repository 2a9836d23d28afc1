"""Demo mandates (kommissorier) and demo users: published mandates for the demo task committees, one draft with
three versions by two staff users, and one revision put to the proposing standing committee for comments.

Idempotent: a committee that already has a mandate is left alone, and users are found by username.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from committees.models import Committee, CommitteeMembership, CouncilMembership, Mandate, MandateComment
from committees.models.mandate import TEXT_SECTIONS
from committees.permissions import SECRETARIAT_GROUP
from committees.services import mandate_transition, mandate_update
from committees.services.mandates import sync_committee_from_mandate
from gentofte_portal.common.markdown import render_markdown

DEMO_PASSWORD = "demo-gentofte"  # noqa: S105 - demo accounts only, created only with DEBUG or --demo-users

STAFF = [("sekretariat", "Signe", "Holm"), ("sekretariat2", "Mikkel", "Brandt")]

INNOVATION_DELIVERABLES = [
    (
        "Politisk model – DIS-modellen (digitalisering, innovation og samskabelse)",
        "En model i tre trin: politiske principper, politisk retning og opfølgning, politiske værktøjer.",
    ),
    (
        "Idékatalog over samskabelsesmuligheder – Sparringsrummet",
        "Sparring, labs og arbejdsgrupper, der hjælper medarbejdere og politikere med innovation.",
    ),
    ("Opsamling fra tre projekter", "Erfaringer fra medlemmernes tre afprøvede projekter."),
    ("Læringsopsamling", "Hvad opgaveudvalget om Innovation har lært om at arbejde med innovation."),
]
GENERAL_COMPETENCES = [
    "Erfaring som bruger af kommunens tilbud på området",
    "Faglig viden om området",
    "Erfaring fra foreningsliv eller frivilligt arbejde",
    "Erfaring fra erhvervslivet",
]
YOUTH_COMPETENCES = [
    "Går i skole, på en ungdomsuddannelse eller læser videre",
    "Er i job eller søger job",
    "Er aktiv i fritids-, forenings- eller kulturlivet",
    "Har erfaringer, som unge sjældent bliver hørt om",
]


def demo_users(*, with_users: bool) -> dict:
    """Two staff users in "Sekretariat" and two politician logins (one on a proposing committee, one not)."""
    if not with_users:
        return {}
    User = get_user_model()
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    users = {}
    for username, first, last in STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "is_staff": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(group)
        users[username] = user
    politicians = {
        # The chair of Kultur-, Unge- og Fritidsudvalget, which proposes the draft put up for discussion.
        "politiker": CommitteeMembership.objects.filter(
            committee__slug="kultur-unge-og-fritidsudvalget", role=CommitteeMembership.Role.CHAIR
        )
        .select_related("person")
        .first(),
        # A council member (V) with no seat in the standing committees that proposed the drafts.
        "politiker2": CouncilMembership.objects.filter(term__slug="2018-2021", party__letter="V")
        .select_related("person")
        .first(),
    }
    for username, membership in politicians.items():
        person = membership.person
        first, _, last = person.name.partition(" ")
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
        users[username] = user
    return users


def _content(committee: Committee) -> dict:
    youth = "Ungepolitik" in committee.name
    if committee.name == "Opgaveudvalg om Innovation":
        deliverables = [{"title": t, "description": d, "due_on": "2018-01-31"} for t, d in INNOVATION_DELIVERABLES]
    else:
        due = (committee.ends_on or dt.date(2018, 6, 30)).isoformat()
        deliverables = [
            {
                "title": "Forslag til Kommunalbestyrelsen",
                "description": "Udvalgets anbefalinger, med begrundelse.",
                "due_on": due,
            },
            {
                "title": "Opsamling af borgerinddragelsen",
                "description": "Hvem blev inddraget, og hvad sagde de.",
                "due_on": due,
            },
        ]
    return {
        "background": (
            f"Kommunalbestyrelsen ønsker at udvikle politikken på området sammen med borgerne. {committee.name} "
            "nedsættes efter den politiske arbejdsform, hvor politikere og borgere arbejder sammen i et "
            "midlertidigt, rådgivende udvalg (§ 17, stk. 4 i lov om kommunernes styrelse)."
        ),
        "purpose": committee.purpose,
        "task": "Udvalget skal:\n\n- indsamle viden og erfaringer\n- inddrage borgere og interessenter bredt\n"
        "- udarbejde forslag til Kommunalbestyrelsen",
        "deliverables": deliverables,
        "politician_count": committee.politician_seats or 5,
        "citizen_count": committee.citizen_seats or 10,
        "competences": YOUTH_COMPETENCES if youth else GENERAL_COMPETENCES,
        "age_min": 13 if youth else None,
        "age_max": 25 if youth else None,
        "composition_note": (
            "De ti unge repræsenterer sig selv, og udvalget skal samlet have så mangfoldige erfaringer som muligt."
            if youth
            else "Medlemmerne udpeges under ét efter d'Hondts metode. Formand og næstformand vælges blandt "
            "udvalgets medlemmer af Kommunalbestyrelsen."
        ),
        "starts_on": committee.starts_on,
        "ends_on": committee.ends_on,
        "milestones": [],
        "meeting_cadence": "Udvalget mødes cirka hver sjette uge, i alt 6–8 møder, på hverdage kl. 17–20.",
        "working_method": "Udvalget tilrettelægger selv sin arbejdsform og kan inddrage andre borgere og "
        "videnspersoner i workshops og arbejdsgrupper.",
        "economy": "Udvalget har ikke et selvstændigt budget. Udgifter til møder og inddragelse afholdes af "
        "sekretariatet.",
        "secretariat": "Sekretariatsbetjeningen varetages af forvaltningen.",
    }


def _published(committee: Committee, by) -> Mandate:
    content = _content(committee)
    approved_on = (committee.starts_on or dt.date(2018, 1, 1)) - dt.timedelta(days=30)
    mandate = Mandate(
        committee=committee,
        status=Mandate.Status.PUBLISHED,
        approved_on=approved_on,
        approval_reference=f"Kommunalbestyrelsen {approved_on:%d-%m-%Y}",
        published_at=timezone.make_aware(dt.datetime.combine(approved_on, dt.time(12))),
        updated_by=by,
        **content,
    )
    for key, _title in TEXT_SECTIONS:
        setattr(mandate, f"{key}_html", render_markdown(getattr(mandate, key)))
    mandate._history_user = by
    mandate._change_reason = "Demodata"
    mandate.full_clean()
    mandate.save()
    sync_committee_from_mandate(mandate)
    return mandate


def demo_mandates(*, users: dict) -> None:
    staff = users.get("sekretariat")
    staff2 = users.get("sekretariat2")
    for committee in Committee.objects.filter(kind=Committee.Kind.TASK).exclude(status=Committee.Status.PROPOSED):
        if not committee.mandates.exists():
            _published(committee, staff)
    if not (staff and staff2):
        return
    # One draft with history: three versions by two staff users.
    proposal = Committee.objects.get(slug="opgaveudvalg-en-times-motion-dagligt")
    if not proposal.mandates.exists():
        draft = Mandate(committee=proposal, purpose=proposal.purpose, politician_count=5, citizen_count=10)
        draft.purpose_html = render_markdown(draft.purpose)
        draft._history_user = staff
        draft._change_reason = "Oprettet"
        draft.updated_by = staff
        draft.save()
        content = _content(proposal)
        draft = mandate_update(
            mandate=draft,
            data={k: content[k] for k in ("background", "task", "deliverables", "competences", "starts_on")},
            expected_version=draft.lock_version,
            by=staff2,
        )
        mandate_update(
            mandate=draft,
            data={
                "meeting_cadence": content["meeting_cadence"],
                "working_method": content["working_method"],
                "task": content["task"] + "\n- pege på, hvordan skoler og foreninger kan samarbejde",
            },
            expected_version=draft.lock_version,
            by=staff,
        )
    # A second revision put to the proposing standing committees for discussion, with a politician's comment.
    international = Committee.objects.get(slug="opgaveudvalget-det-internationale-gentofte")
    if international.mandates.count() == 1 and users.get("politiker"):
        published = international.mandates.get()
        revision = Mandate(
            committee=international, revision=2, updated_by=staff, **{k: v for k, v in _content(international).items()}
        )
        revision.citizen_count = 12
        for key, _title in TEXT_SECTIONS:
            setattr(revision, f"{key}_html", render_markdown(getattr(revision, key)))
        revision._history_user = staff
        revision._change_reason = f"Ny revision af revision {published.revision}"
        revision.save()
        mandate_transition(mandate=revision, name="send_til_droeftelse", by=staff)
        MandateComment.objects.create(
            mandate=revision,
            section="composition",
            author=users["politiker"],
            text="Kan vi sikre, at både nytilflyttede familier og internationale studerende er med?",
        )
