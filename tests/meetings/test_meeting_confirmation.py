"""What cannot be undone is confirmed once (issue 13): deleting an item of a published agenda, removing a bilag and
publishing an agenda or a referat. A GET, or a POST without ``bekraeft=ja``, shows a page that says in Danish what
will happen and changes nothing; only the confirmed POST acts. The pages are the secretariat's alone."""

import datetime as dt
import html
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import AgendaItem, Attachment, Meeting, Minutes

pytestmark = pytest.mark.django_db

CONFIRMED = {"bekraeft": "ja"}


def text(response) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def confirm_form(response) -> str:
    """The confirmation form's HTML (the one holding the bekraeft button), or "" when the page offers none."""
    for form in re.findall(r"<form\b.*?</form>", response.content.decode(), flags=re.S):
        if 'name="bekraeft"' in form:
            return form
    return ""


@dataclass
class World:
    held: Meeting  # agenda published, minutes approved: every action is possible
    draft: Meeting  # agenda not published
    item: AgendaItem  # item 2 of `held`, with one bilag
    attachment: Attachment
    minutes: Minutes


@pytest.fixture
def world(meeting, members, add_item, staff, upload, sample_files, committee) -> World:
    add_item(meeting, "Godkendelse af dagsorden")
    item = add_item(meeting, "Leverance 1 og 2", case_number="EMN-2018-00651")
    add_item(meeting, "Personalesag", case_number="19/0999", is_closed=True)
    attachment = services.attachment_add(
        item=item, upload=upload("notat.pdf", sample_files["pdf"]), title="Notat om leverancerne", by=staff
    )
    services.agenda_publish(meeting=meeting, by=staff)
    attendance = {m.person_id: ("tilstede", False) for m in services.members_on(meeting)}
    minutes = services.minutes_save(
        meeting=meeting, attendance=attendance, decisions={}, remarks="", ended_at=None, by=staff
    )
    services.minutes_approve(minutes=minutes, by=staff)
    draft = Meeting.objects.create(
        committee=committee, starts_at=meeting.starts_at + dt.timedelta(days=28), location="Rådhuset"
    )
    add_item(draft, "Budget 2020")
    add_item(draft, "Køb af grund", is_closed=True)
    meeting.refresh_from_db()
    return World(meeting, draft, item, attachment, Minutes.objects.get(pk=minutes.pk))


@dataclass
class Action:
    url: object  # World -> path
    post: dict  # what the form posts besides the confirmation
    done: object  # World -> bool: has the action happened?
    title: str
    says: list  # phrases the explanation must hold
    button: str
    cancel: object  # World -> where the "Fortryd" link leads
    message: str  # shown after the confirmed POST


ACTIONS = {
    "delete item": Action(
        url=lambda w: reverse("meetings:item_delete", args=[w.held.pk, w.item.pk]),
        post={},
        done=lambda w: not AgendaItem.objects.filter(pk=w.item.pk).exists(),
        title="Slet punkt 2: Leverance 1 og 2",
        says=[
            "Punktet slettes fra dagsordenen sammen med dets 1 bilag, og filen slettes.",
            "De følgende punkter får nye numre.",
            "Dagsordenen er offentliggjort: punktet forsvinder også fra mødesiden",
            "Det kan ikke fortrydes.",
        ],
        button="Slet punktet",
        cancel=lambda w: reverse("meetings:builder", args=[w.held.pk]),
        message="Punktet er slettet, og numrene er rettet.",
    ),
    "remove bilag": Action(
        url=lambda w: reverse("meetings:attachment_delete", args=[w.held.pk, w.attachment.pk]),
        post={},
        done=lambda w: not Attachment.objects.filter(pk=w.attachment.pk).exists(),
        title="Fjern bilaget «Notat om leverancerne»",
        says=[
            "fjernes fra punkt 2: Leverance 1 og 2, og filen slettes.",
            "Bilagsnummeret bruges ikke igen.",
            "bilaget forsvinder også fra mødesiden, punktet markeres som ændret, og PDF'en af dagsordenen dannes igen.",
        ],
        button="Fjern bilaget",
        cancel=lambda w: reverse("meetings:builder", args=[w.held.pk]),
        message="Bilaget er fjernet.",
    ),
    "publish agenda": Action(
        url=lambda w: reverse("meetings:publish", args=[w.draft.pk]),
        post={},
        done=lambda w: Meeting.objects.get(pk=w.draft.pk).agenda_published_at is not None,
        title="Offentliggør dagsordenen",
        says=[
            "bliver offentlig: på mødesiden, som PDF og i feedet med dagsordener og referater.",
            "1 åbent punkt vises i fuld tekst med sine bilag.",
            "1 lukket punkt vises kun med nummer, sags-ID og «Lukket»",
            "Offentliggørelsen kan ikke trækkes tilbage.",
        ],
        button="Offentliggør dagsordenen",
        cancel=lambda w: reverse("meetings:builder", args=[w.draft.pk]),
        message="Dagsordenen er offentliggjort.",
    ),
    "publish minutes": Action(
        url=lambda w: reverse("meetings:minutes_status", args=[w.held.pk]),
        post={"handling": "offentliggoer"},
        done=lambda w: Minutes.objects.get(pk=w.minutes.pk).status == Minutes.Status.PUBLISHED,
        title="Offentliggør referatet",
        says=[
            "Referatet af mødet i Opgaveudvalg om Innovation 14-03-2019 17:00 bliver offentligt",
            "Beslutninger under lukkede punkter ser kun udvalgets medlemmer og sekretariatet.",
            "Derefter kan referatet kun rettes med en synlig note",
        ],
        button="Offentliggør referatet",
        cancel=lambda w: reverse("meetings:minutes", args=[w.held.pk]),
        message="Referatet er offentliggjort.",
    ),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_get_shows_what_will_happen_and_a_form_to_confirm(staff_client, world, name):
    action = ACTIONS[name]
    url = action.url(world)

    response = staff_client.get(url)

    assert response.status_code == 200
    page = text(response)
    assert re.search(rf"<h1>\s*{re.escape(html.escape(action.title))}\s*</h1>", response.content.decode())
    for phrase in action.says:
        assert phrase in page, phrase
    form = confirm_form(response)
    assert f'method="post" action="{url}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert re.search(r'<button type="submit" name="bekraeft" value="ja"[^>]*>' + re.escape(action.button), form)
    for field, value in action.post.items():
        assert f'<input type="hidden" name="{field}" value="{value}">' in form
    assert f'href="{action.cancel(world)}">Fortryd</a>' in form
    assert not action.done(world)


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("answer", [None, "", "nej", "JA"])
def test_a_post_without_the_confirmation_changes_nothing(staff_client, world, name, answer):
    action = ACTIONS[name]
    data = dict(action.post) if answer is None else {**action.post, "bekraeft": answer}

    response = staff_client.post(action.url(world), data)

    assert response.status_code == 200
    assert confirm_form(response)  # the page asks again
    assert not action.done(world)


@pytest.mark.parametrize("name", ACTIONS)
def test_the_confirmed_post_acts(staff_client, world, name):
    action = ACTIONS[name]

    response = staff_client.post(action.url(world), {**action.post, **CONFIRMED}, follow=True)

    assert response.status_code == 200
    assert action.message in text(response)
    assert action.done(world)


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("role", ["anonymous", "citizen", "member"])
def test_only_the_secretariat_reaches_the_page_or_the_action(world, citizen, member_user, name, role):
    action = ACTIONS[name]
    url = action.url(world)
    client = Client()
    if role != "anonymous":
        client.force_login({"citizen": citizen, "member": member_user}[role])

    for response in (client.get(url), client.post(url, {**action.post, **CONFIRMED})):
        if role == "anonymous":
            assert response.status_code == 302
            assert response.url.startswith(reverse("login") + "?next=")
        else:
            assert response.status_code == 403
        assert "bekraeft" not in response.content.decode()
    assert not action.done(world)


# --- When the action is impossible, the page says why instead of offering the button ----------------------------------


def _refused(response, reason: str) -> None:
    assert response.status_code == 200
    assert reason in text(response)
    assert not confirm_form(response)


def test_publishing_a_published_agenda_is_refused_on_the_page(staff_client, world):
    _refused(
        staff_client.get(reverse("meetings:publish", args=[world.held.pk])), "Dagsordenen er allerede offentliggjort."
    )


def test_publishing_an_empty_agenda_is_refused_on_the_page(staff_client, world, committee):
    empty = Meeting.objects.create(committee=committee, starts_at=world.held.starts_at, location="Rådhuset")
    _refused(staff_client.get(reverse("meetings:publish", args=[empty.pk])), "Dagsordenen har ingen punkter.")


def test_publishing_minutes_not_yet_approved_is_refused_on_the_page(staff_client, world):
    Minutes.objects.filter(pk=world.minutes.pk).update(status=Minutes.Status.DRAFT)
    url = reverse("meetings:minutes_status", args=[world.held.pk])
    _refused(staff_client.get(url + "?handling=offentliggoer"), "Referatet skal godkendes, før det offentliggøres.")
    # The confirmed POST answers with the same Danish reason, as before (a message on the minutes page).
    response = staff_client.post(url, {"handling": "offentliggoer", **CONFIRMED}, follow=True)
    assert "Referatet skal godkendes, før det offentliggøres." in text(response)
    assert Minutes.objects.get(pk=world.minutes.pk).status == Minutes.Status.DRAFT


def test_publishing_minutes_before_the_meeting_is_refused_on_the_page(staff_client, world):
    Meeting.objects.filter(pk=world.held.pk).update(starts_at=dt.datetime(2999, 1, 1, 17, tzinfo=dt.UTC))
    response = staff_client.get(reverse("meetings:minutes_status", args=[world.held.pk]))
    _refused(response, "Mødet er ikke begyndt endnu")


@pytest.mark.parametrize("name", ["delete item", "remove bilag"])
def test_changes_to_an_agenda_whose_minutes_are_published_are_refused_on_the_page(staff_client, world, staff, name):
    services.minutes_publish(minutes=world.minutes, by=staff)
    response = staff_client.get(ACTIONS[name].url(world))
    _refused(response, "Referatet er offentliggjort; dagsordenen kan ikke længere ændres.")


# --- What stays immediate, and where the buttons lead -----------------------------------------------------------------


def test_deleting_an_item_of_an_unpublished_agenda_stays_immediate(staff_client, world):
    item = world.draft.items.get(title="Budget 2020")
    response = staff_client.post(reverse("meetings:item_delete", args=[world.draft.pk, item.pk]))
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_approving_the_minutes_needs_no_confirmation(staff_client, world):
    Minutes.objects.filter(pk=world.minutes.pk).update(status=Minutes.Status.DRAFT)
    response = staff_client.post(reverse("meetings:minutes_status", args=[world.held.pk]), {"handling": "godkend"})
    assert response.status_code == 302
    assert Minutes.objects.get(pk=world.minutes.pk).status == Minutes.Status.APPROVED


def test_the_builder_links_to_the_confirmation_pages(staff_client, world):
    published = staff_client.get(reverse("meetings:builder", args=[world.held.pk])).content.decode()
    delete_url = reverse("meetings:item_delete", args=[world.held.pk, world.item.pk])
    remove_url = reverse("meetings:attachment_delete", args=[world.held.pk, world.attachment.pk])
    assert f'href="{delete_url}"' in published and f'action="{delete_url}"' not in published
    assert f'href="{remove_url}"' in published and f'action="{remove_url}"' not in published

    draft = staff_client.get(reverse("meetings:builder", args=[world.draft.pk])).content.decode()
    publish_url = reverse("meetings:publish", args=[world.draft.pk])
    assert f'href="{publish_url}"' in draft and f'action="{publish_url}"' not in draft
    item = world.draft.items.get(title="Budget 2020")
    assert f'action="{reverse("meetings:item_delete", args=[world.draft.pk, item.pk])}"' in draft  # immediate


def test_the_minutes_page_links_to_the_confirmation_page(staff_client, world):
    page = staff_client.get(reverse("meetings:minutes", args=[world.held.pk])).content.decode()
    url = reverse("meetings:minutes_status", args=[world.held.pk])
    assert f'href="{url}?handling=offentliggoer"' in page
    assert 'value="offentliggoer"' not in page
