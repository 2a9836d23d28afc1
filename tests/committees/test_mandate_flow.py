"""Staff draft a kommissorium in the browser: propose, edit, version, compare, restore, discuss, approve and
publish, over HTTP as users do. Illegal steps and concurrent edits are refused without losing anyone's text."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from committees.models import Committee, CommitteeMembership, Mandate, MandateComment, MandateTransition, Person
from tests.factories import CommitteeFactory, PartyFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def term():
    return TermFactory(starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2025, 12, 31))


@pytest.fixture
def culture(term):
    return CommitteeFactory(term=term, name="Kultur-, Unge- og Fritidsudvalget", slug="kuf", seats=7)


@pytest.fixture
def staff():
    user = User.objects.create_user("signe", password="pw-signe-123", first_name="Signe", last_name="Holm")
    user.groups.add(Group.objects.get(name="Sekretariat"))
    return user


@pytest.fixture
def staff2():
    user = User.objects.create_user("mikkel", password="pw-mikkel-123", first_name="Mikkel", last_name="Brandt")
    user.groups.add(Group.objects.get(name="Sekretariat"))
    return user


@pytest.fixture
def politician(culture):
    user = User.objects.create_user("pol", password="pw-pol-12345", first_name="Bo", last_name="Friis")
    person = Person.objects.create(name="Bo Friis", user=user)
    CommitteeMembership.objects.create(
        committee=culture, person=person, member_kind="politiker", role="formand", party=PartyFactory(letter="C")
    )
    return user


def edit_data(mandate, **overrides):
    """What the edit form posts: every section, the lock version and the two formsets."""
    data = {
        "lock_version": mandate.lock_version,
        "background": mandate.background,
        "purpose": mandate.purpose,
        "task": mandate.task,
        "composition_note": "",
        "meeting_cadence": "",
        "working_method": "",
        "economy": "",
        "secretariat": "",
        "politician_count": mandate.politician_count or 5,
        "citizen_count": mandate.citizen_count or 10,
        "competences": "\n".join(mandate.competences),
        "age_min": "",
        "age_max": "",
        "starts_on": "",
        "ends_on": "",
        "leverancer-TOTAL_FORMS": 0,
        "leverancer-INITIAL_FORMS": 0,
        "milepaele-TOTAL_FORMS": 0,
        "milepaele-INITIAL_FORMS": 0,
    }
    deliverables = overrides.pop("deliverables", None)
    if deliverables is not None:
        data["leverancer-TOTAL_FORMS"] = len(deliverables)
        for i, (title, order) in enumerate(deliverables):
            data[f"leverancer-{i}-title"] = title
            data[f"leverancer-{i}-description"] = f"Om {title}"
            data[f"leverancer-{i}-due_on"] = "2026-06-30"
            data[f"leverancer-{i}-ORDER"] = order
    data.update(overrides)
    return data


def propose(client, culture, name="Opgaveudvalg for Bevægelse"):
    response = client.post(
        reverse("committees:propose"),
        {"name": name, "proposed_by": [culture.pk], "purpose": "At få børn til at bevæge sig hver dag."},
    )
    assert response.status_code == 302
    return Mandate.objects.get(committee__name=name)


def test_staff_propose_a_task_committee_with_a_first_draft(client, staff, culture):
    client.force_login(staff)
    assert client.get(reverse("committees:propose")).status_code == 200
    mandate = propose(client, culture)
    committee = mandate.committee
    assert committee.kind == Committee.Kind.TASK and committee.status == "forslag"
    assert list(committee.proposed_by.all()) == [culture]
    assert mandate.status == "kladde" and mandate.revision == 1
    assert mandate.history.count() == 1
    page = client.get(reverse("committees:workspace")).content.decode()
    assert "Opgaveudvalg for Bevægelse" in page and "Kladde" in page


def test_proposal_with_missing_fields_is_400_with_danish_messages(client, staff, culture):
    client.force_login(staff)
    response = client.post(reverse("committees:propose"), {"name": "", "purpose": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vælg mindst ét stående udvalg." in page
    assert "Dette felt er påkrævet." in page
    assert Committee.objects.filter(kind="opgave").count() == 0


def test_edit_keeps_a_version_per_save_with_who_and_when(client, staff, staff2, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    response = client.post(
        reverse("committees:mandate_edit", args=[mandate.pk]),
        edit_data(mandate, background="Børn bevæger sig for lidt.", deliverables=[("Idékatalog", 2), ("Plan", 1)]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mandate.refresh_from_db()
    assert [d["title"] for d in mandate.deliverables] == ["Plan", "Idékatalog"]  # numbered by the order given
    client.force_login(staff2)
    response = client.post(
        reverse("committees:mandate_edit", args=[mandate.pk]),
        edit_data(mandate, background="Børn og unge bevæger sig for lidt.", competences="Idrætslærer\nForælder"),
    )
    assert response.status_code == 302
    history = client.get(reverse("committees:mandate_history", args=[mandate.pk])).content.decode()
    assert history.count("<tr>") == 1 + 3  # header + three versions
    assert "Signe Holm" in history and "Mikkel Brandt" in history
    mandate.refresh_from_db()
    assert mandate.competences == ["Idrætslærer", "Forælder"]


def test_compare_shows_a_readable_diff_per_section(client, staff, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    client.post(
        reverse("committees:mandate_edit", args=[mandate.pk]),
        edit_data(mandate, background="Børn bevæger sig for lidt i skolen."),
    )
    versions = list(mandate.history.order_by("history_date").values_list("history_id", flat=True))
    response = client.get(
        reverse("committees:mandate_compare", args=[mandate.pk]), {"a": versions[0], "b": versions[1]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    baggrund = page[page.index('id="diff-background"') :]
    baggrund = baggrund[: baggrund.index("</section>")]
    assert "ændret" in baggrund
    assert "<ins>Børn bevæger sig for lidt i skolen.</ins>" in baggrund
    formaal = page[page.index('id="diff-purpose"') :]
    assert "uændret" in formaal[: formaal.index("</section>")]


def test_restore_makes_an_old_version_current_again(client, staff, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    client.post(reverse("committees:mandate_edit", args=[mandate.pk]), edit_data(mandate, background="Første"))
    mandate.refresh_from_db()
    client.post(reverse("committees:mandate_edit", args=[mandate.pk]), edit_data(mandate, background="Anden"))
    mandate.refresh_from_db()
    first = mandate.history.get(background="Første")
    response = client.post(
        reverse("committees:mandate_restore", args=[mandate.pk, first.history_id]),
        {"lock_version": mandate.lock_version},
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.background == "Første" and mandate.background_html == "<p>Første</p>"
    assert mandate.history.count() == 4  # created, two edits and the restore: nothing is lost
    assert "Gendannet" in mandate.history.first().history_change_reason


def test_second_concurrent_save_is_refused_and_keeps_the_text(client, staff, staff2, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    opened_version = mandate.lock_version
    client.force_login(staff2)
    client.post(reverse("committees:mandate_edit", args=[mandate.pk]), edit_data(mandate, background="Mikkels"))
    client.force_login(staff)
    response = client.post(
        reverse("committees:mandate_edit", args=[mandate.pk]),
        edit_data(mandate, background="Signes lange tekst", lock_version=opened_version),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mikkel Brandt har gemt kommissoriet, efter du åbnede det" in page
    assert "Signes lange tekst" in page  # still in the form
    mandate.refresh_from_db()
    assert mandate.background == "Mikkels"


def test_script_in_a_section_never_reaches_a_page(client, staff, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    hostile = "Tekst <script>alert('xss')</script> og <img src=x onerror=alert(1)> og [klik](javascript:alert(1))"
    client.post(
        reverse("committees:mandate_edit", args=[mandate.pk]),
        edit_data(mandate, background=hostile, purpose="**Fed** og [link](https://gentofte.dk)"),
    )
    mandate.refresh_from_db()
    assert "<script" not in mandate.background_html and "onerror" not in mandate.background_html
    assert "javascript:" not in mandate.background_html
    assert "<strong>Fed</strong>" in mandate.purpose_html
    for name in ("send_til_droeftelse", "indstil"):
        client.post(reverse("committees:mandate_transition", args=[mandate.pk, name]))
    client.post(
        reverse("committees:mandate_transition", args=[mandate.pk, "godkend"]),
        {"approved_on": "2026-01-29", "approval_reference": "KB 29.01.2026, punkt 5"},
    )
    client.post(reverse("committees:mandate_transition", args=[mandate.pk, "offentliggoer"]))
    for url in (
        reverse("committees:mandate_detail", args=[mandate.pk]),
        reverse("committees:mandate_public", args=[mandate.committee.slug]),
        reverse("pages:committee", args=[mandate.committee.slug]),
        reverse("committees:mandate_history", args=[mandate.pk]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "onerror=" not in page and 'href="javascript:' not in page
    versions = mandate.history.order_by("history_date")
    compare = client.get(
        reverse("committees:mandate_compare", args=[mandate.pk]),
        {"a": versions.first().history_id, "b": versions.last().history_id},
    ).content.decode()
    assert "<script>alert" not in compare and "&lt;script&gt;" in compare  # shown as text, escaped


def test_markdown_formatting_is_kept(client, staff, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    client.post(
        reverse("committees:mandate_edit", args=[mandate.pk]),
        edit_data(mandate, task="## Delopgaver\n\n- første\n- anden\n\n**vigtigt**"),
    )
    page = client.get(reverse("committees:mandate_detail", args=[mandate.pk])).content.decode()
    assert "<h4>Delopgaver</h4>" in page and "<li>første</li>" in page and "<strong>vigtigt</strong>" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("background", "Tekst med \x00 nul-tegn", "Null-tegn er ikke tilladt"),
        ("background", "Tekst med \x07 klokke", "kontroltegn"),
        ("background", "x" * 20_001, "20000 tegn"),
        ("age_max", "10", "Højeste alder skal være mindst"),
        ("politician_count", "1", "mindst to"),
        ("ends_on", "2020-01-01", "Slutdatoen skal ligge efter startdatoen"),
        ("lock_version", "abc", "Formularen mangler sit versionsnummer"),
    ],
)
def test_bad_input_is_400_with_a_message_and_nothing_saved(client, staff, culture, field, value, message):
    client.force_login(staff)
    mandate = propose(client, culture)
    data = edit_data(mandate, age_min="20", starts_on="2021-01-01")
    data[field] = value
    response = client.post(reverse("committees:mandate_edit", args=[mandate.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert mandate.history.count() == 1


def test_whole_workflow_with_transitions_recorded(client, staff, politician, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    detail = reverse("committees:mandate_detail", args=[mandate.pk])

    def offered():
        page = client.get(detail).content.decode()
        return set(re.findall(r"/status/([a-z_]+)/", page))

    assert offered() == {"send_til_droeftelse"}
    assert (
        client.post(reverse("committees:mandate_transition", args=[mandate.pk, "send_til_droeftelse"])).status_code
        == 302
    )
    assert offered() == {"indstil", "tilbage_til_kladde"}

    # The politician of the proposing committee reads the draft and comments on a section.
    client.force_login(politician)
    assert client.get(detail).status_code == 200
    response = client.post(
        reverse("committees:mandate_comment", args=[mandate.pk]),
        {"section": "deliverables", "text": "Husk en leverance om foreningerne."},
    )
    assert response.status_code == 302
    assert MandateComment.objects.get().author == politician

    client.force_login(staff)
    page = client.get(detail).content.decode()
    deliverables = page[page.index('id="afsnit-deliverables"') :]
    assert "Husk en leverance om foreningerne." in deliverables[: deliverables.index("</section>")]

    client.post(reverse("committees:mandate_transition", args=[mandate.pk, "indstil"]))
    assert offered() == {"godkend", "tilbage_til_kladde"}
    # Approval needs the council's date and meeting.
    response = client.post(reverse("committees:mandate_transition", args=[mandate.pk, "godkend"]), {})
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()
    response = client.post(
        reverse("committees:mandate_transition", args=[mandate.pk, "godkend"]),
        {"approved_on": "2099-01-01", "approval_reference": "KB"},
    )
    assert response.status_code == 400 and "fremtiden" in response.content.decode()
    response = client.post(
        reverse("committees:mandate_transition", args=[mandate.pk, "godkend"]),
        {"approved_on": "2026-01-29", "approval_reference": "Kommunalbestyrelsen 29.01.2026, punkt 5"},
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == "godkendt" and mandate.approved_on == dt.date(2026, 1, 29)
    assert mandate.committee.status == "kommissorium_godkendt"
    # Approved is read-only: editing redirects with a message, the service refuses.
    response = client.get(reverse("committees:mandate_edit", args=[mandate.pk]))
    assert response.status_code == 302
    assert offered() == {"offentliggoer"}
    client.post(reverse("committees:mandate_transition", args=[mandate.pk, "offentliggoer"]))
    mandate.refresh_from_db()
    assert mandate.status == "offentliggjort" and mandate.published_at is not None
    steps = list(MandateTransition.objects.filter(mandate=mandate).values_list("to_status", "by__username"))
    assert steps == [
        ("til_droeftelse", "signe"),
        ("indstillet", "signe"),
        ("godkendt", "signe"),
        ("offentliggjort", "signe"),
    ]
    # The public sees it now, without comments.
    client.logout()
    public = client.get(reverse("committees:mandate_public", args=[mandate.committee.slug]))
    assert public.status_code == 200
    assert "At få børn til at bevæge sig hver dag." in public.content.decode()
    assert "Husk en leverance" not in public.content.decode()


def test_illegal_transition_is_refused(client, staff, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    response = client.post(reverse("committees:mandate_transition", args=[mandate.pk, "offentliggoer"]), follow=True)
    assert "statusskift er ikke muligt" in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.status == "kladde"
    assert not MandateTransition.objects.exists()
    response = client.post(reverse("committees:mandate_transition", args=[mandate.pk, "findes-ikke"]), follow=True)
    assert "statusskift er ikke muligt" in response.content.decode()


def test_new_revision_of_an_approved_mandate_starts_a_draft(client, staff, culture):
    client.force_login(staff)
    mandate = propose(client, culture)
    for name in ("send_til_droeftelse", "indstil"):
        client.post(reverse("committees:mandate_transition", args=[mandate.pk, name]))
    client.post(
        reverse("committees:mandate_transition", args=[mandate.pk, "godkend"]),
        {"approved_on": "2026-01-29", "approval_reference": "KB 29.01.2026"},
    )
    client.post(reverse("committees:mandate_transition", args=[mandate.pk, "offentliggoer"]))
    response = client.post(reverse("committees:mandate_new_revision", args=[mandate.pk]))
    assert response.status_code == 302
    draft = Mandate.objects.get(committee=mandate.committee, revision=2)
    assert draft.status == "kladde" and draft.purpose == mandate.purpose
    # The public still sees revision 1 until revision 2 is published.
    client.logout()
    page = client.get(reverse("committees:mandate_public", args=[mandate.committee.slug])).content.decode()
    assert "Revision 2" not in page


def test_standing_committee_page_offers_staff_a_proposal_prefilled(client, staff, culture):
    page = client.get(reverse("pages:committee", args=[culture.slug])).content.decode()
    assert "Foreslå et nyt opgaveudvalg" not in page  # not to the public
    client.force_login(staff)
    page = client.get(reverse("pages:committee", args=[culture.slug])).content.decode()
    assert f'href="/arbejde/nyt-opgaveudvalg/?fra={culture.slug}"' in page
    form = client.get(reverse("committees:propose"), {"fra": culture.slug}).content.decode()
    assert re.search(rf'value="{culture.pk}"[^>]*checked', form)


def test_proposed_committee_slug_spells_out_danish_letters(client, staff, culture):
    client.force_login(staff)
    mandate = propose(client, culture, name="Økonomi og Ældre på Åen")
    assert mandate.committee.slug == "oekonomi-og-aeldre-paa-aaen"
