"""The kommissorium editor's rows of deliverables and milestones, without script: "Tilføj en leverance" gets the form
back as typed with one more row and saves nothing; "Slet leverance N" removes a row when the form is saved.

The next request posts what the page shows (``page_fields`` reads the form the way a browser sends it), so these
tests follow a user through several submits of the same page. The script's side is in tests/browser/."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from committees.models import Mandate
from tests.factories import MandateFactory, PoliticianUserFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The fields a browser submits from the page's main form (ticked checkboxes only; no buttons; nothing inside a
    <template>)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.in_template = 0
        self.textarea = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if self.in_template or not attrs.get("name"):
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")
        elif tag == "textarea":
            self.textarea, self.text = attrs["name"], ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1
        elif tag == "textarea" and self.textarea:
            self.fields[self.textarea] = self.text.removeprefix("\n")
            self.textarea = None


def page_fields(response) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(response.content.decode())
    fields = parser.fields
    fields.pop("sprog", None)  # the header's language choice is a form of its own
    return {name: value for name, value in fields.items() if name != "next"}


@pytest.fixture
def staff():
    return StaffUserFactory(first_name="Signe", last_name="Holm")


@pytest.fixture
def mandate():
    return MandateFactory(
        background="Børn bevæger sig for lidt.",
        deliverables=[{"title": "Idékatalog", "description": "Idéer fra borgerne", "due_on": "2026-06-30"}],
        milestones=[{"date": "2026-03-01", "title": "Første møde"}],
    )


def edit_url(mandate) -> str:
    return reverse("committees:mandate_edit", args=[mandate.pk])


def unchanged(mandate, *, versions: int, log_entries: int) -> None:
    """Nothing about the mandate was saved: same text, same version, no new history row or audit entry."""
    stored = Mandate.objects.get(pk=mandate.pk)
    assert stored.background == "Børn bevæger sig for lidt."
    assert stored.lock_version == mandate.lock_version
    assert [d["title"] for d in stored.deliverables] == ["Idékatalog"]
    assert stored.history.count() == versions
    assert LogEntry.objects.count() == log_entries


def test_add_a_row_without_script_keeps_what_was_typed_and_saves_nothing(client, staff, mandate):
    client.force_login(staff)
    data = page_fields(client.get(edit_url(mandate)))
    assert data["leverancer-TOTAL_FORMS"] == "2" and data["leverancer-INITIAL_FORMS"] == "1"
    versions, log_entries = mandate.history.count(), LogEntry.objects.count()
    data.update(
        {
            "background": "Børn og unge bevæger sig for lidt.",
            "politician_count": "",  # unfinished, but nobody has asked to save yet
            "leverancer-0-title": "Idékatalog, revideret",
            "leverancer-1-title": "Handleplan",
            "leverancer-1-description": "Hvad kommunen gør først",
            "tilfoej": "leverancer",
        }
    )
    response = client.post(edit_url(mandate), data)

    assert response.status_code == 200
    page = response.content.decode()
    again = page_fields(response)
    assert again["background"] == "Børn og unge bevæger sig for lidt."
    assert again["politician_count"] == ""
    assert again["lock_version"] == str(mandate.lock_version)  # the save that follows is still checked against it
    assert again["leverancer-0-title"] == "Idékatalog, revideret"
    assert again["leverancer-1-title"] == "Handleplan"
    assert again["leverancer-1-description"] == "Hvad kommunen gør først"
    assert again["leverancer-2-title"] == ""  # one more, empty
    assert "leverancer-3-title" not in again
    assert again["leverancer-TOTAL_FORMS"] == "3" and again["leverancer-INITIAL_FORMS"] == "1"
    assert again["milepaele-TOTAL_FORMS"] == "2" and again["milepaele-0-title"] == "Første møde"
    assert re.search(r'<input type="text" name="leverancer-2-title"[^>]*autofocus', page)  # the cursor is there
    assert "Leverance 3 er tilføjet. Intet er gemt endnu" in page
    assert "Dette felt er påkrævet" not in page and "is-invalid" not in page and 'role="alert"' not in page
    unchanged(mandate, versions=versions, log_entries=log_entries)


def test_rows_added_without_script_are_stored_in_order_on_save(client, staff, mandate):
    client.force_login(staff)
    data = page_fields(client.get(edit_url(mandate)))
    data.update({"leverancer-1-title": "Handleplan", "tilfoej": "leverancer"})
    data = page_fields(client.post(edit_url(mandate), data))
    data.update({"leverancer-2-title": "Evaluering", "leverancer-2-due_on": "2026-12-01", "tilfoej": "leverancer"})
    response = client.post(edit_url(mandate), data)
    data = page_fields(response)
    assert data["leverancer-TOTAL_FORMS"] == "4" and data["leverancer-3-title"] == ""
    assert "Leverance 4 er tilføjet." in response.content.decode()
    data.update({"milepaele-1-date": "2026-09-01", "milepaele-1-title": "Høring", "tilfoej": "milepaele"})
    response = client.post(edit_url(mandate), data)
    data = page_fields(response)
    assert data["leverancer-TOTAL_FORMS"] == "4"  # only the list asked for grows
    assert data["milepaele-TOTAL_FORMS"] == "3" and data["milepaele-2-title"] == ""
    assert "Milepæl 3 er tilføjet." in response.content.decode()
    assert Mandate.objects.get(pk=mandate.pk).history.count() == mandate.history.count()

    response = client.post(edit_url(mandate), data)  # "Gem ny version": the empty new rows are ignored

    assert response.status_code == 302, response.content.decode()[:3000]
    mandate.refresh_from_db()
    assert [d["title"] for d in mandate.deliverables] == ["Idékatalog", "Handleplan", "Evaluering"]
    assert mandate.deliverables[2]["due_on"] == "2026-12-01"
    assert [m["title"] for m in mandate.milestones] == ["Første møde", "Høring"]
    page = client.get(reverse("committees:mandate_detail", args=[mandate.pk])).content.decode()
    assert page.index("Idékatalog") < page.index("Handleplan") < page.index("Evaluering")


def test_each_row_says_which_it_is_and_a_ticked_slet_removes_it_on_save(client, staff):
    mandate = MandateFactory(
        deliverables=[{"title": title, "description": "", "due_on": ""} for title in ("Idékatalog", "Plan", "Rapport")],
        milestones=[{"date": "2026-03-01", "title": "Start"}, {"date": "2026-05-01", "title": "Midtvejs"}],
    )
    client.force_login(staff)
    response = client.get(edit_url(mandate))
    # Enter in a field saves, as before the "Tilføj" buttons: the form's first submit button is an unnamed one.
    first_button = re.search(r'<form method="post" novalidate>.*?(<button[^>]*>)', response.content.decode(), re.S)
    assert 'type="submit"' in first_button.group(1) and "name=" not in first_button.group(1)
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))
    for text in ("Leverance 3", "Slet leverance 2", "Slet milepæl 1", "Titel (Leverance 3)", "Dato (Milepæl 2)"):
        assert text in page
    data = page_fields(response)
    data["leverancer-1-DELETE"] = "on"
    data["milepaele-0-DELETE"] = "on"

    response = client.post(edit_url(mandate), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    mandate.refresh_from_db()
    assert [d["title"] for d in mandate.deliverables] == ["Idékatalog", "Rapport"]
    assert [m["title"] for m in mandate.milestones] == ["Midtvejs"]


def test_a_row_ticked_for_deletion_stays_ticked_when_a_row_is_added(client, staff, mandate):
    client.force_login(staff)
    data = page_fields(client.get(edit_url(mandate)))
    data.update({"leverancer-0-DELETE": "on", "tilfoej": "leverancer"})
    again = page_fields(client.post(edit_url(mandate), data))
    assert again["leverancer-0-DELETE"] == "on"
    assert Mandate.objects.get(pk=mandate.pk).deliverables[0]["title"] == "Idékatalog"


def test_a_new_row_left_half_filled_is_refused_in_danish_on_save(client, staff, mandate):
    client.force_login(staff)
    data = page_fields(client.get(edit_url(mandate)))
    data.update({"leverancer-1-description": "Uden titel"})
    response = client.post(edit_url(mandate), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dette felt er påkrævet." in page
    assert page_fields(response)["leverancer-1-description"] == "Uden titel"
    assert Mandate.objects.get(pk=mandate.pk).history.count() == mandate.history.count()


def test_no_more_rows_than_the_maximum(client, staff, mandate):
    client.force_login(staff)
    data = page_fields(client.get(edit_url(mandate)))
    data["leverancer-TOTAL_FORMS"] = "30"
    for i in range(1, 30):
        data[f"leverancer-{i}-title"] = f"Leverance nr. {i + 1}"
    response = client.post(edit_url(mandate), {**data, "tilfoej": "leverancer"})
    assert response.status_code == 200
    again = page_fields(response)
    assert again["leverancer-TOTAL_FORMS"] == "30" and "leverancer-30-title" not in again
    assert "Der kan højst være 30 leverancer." in response.content.decode()

    data["leverancer-TOTAL_FORMS"] = "31"  # as a script past its maximum would post it
    data["leverancer-30-title"] = "Én for meget"
    response = client.post(edit_url(mandate), data)
    assert response.status_code == 400
    assert "Der kan højst være 30 leverancer." in response.content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"tilfoej": "noget-andet"},
        {"tilfoej": ""},
        {"leverancer-INITIAL_FORMS": "99999"},
        {"leverancer-TOTAL_FORMS": "9" * 400},
        {"leverancer-TOTAL_FORMS": "abc"},
        {"leverancer-1-due_on": "ikke en dato", "leverancer-1-ORDER": "x"},
    ],
)
def test_odd_add_row_submits_save_nothing_and_never_fail(client, staff, mandate, overrides):
    client.force_login(staff)
    data = page_fields(client.get(edit_url(mandate)))
    versions, log_entries = mandate.history.count(), LogEntry.objects.count()
    data.setdefault("tilfoej", "leverancer")
    data.update(overrides)
    response = client.post(edit_url(mandate), data)
    assert response.status_code == 200
    assert len(re.findall(r'name="leverancer-\d+-title"', response.content.decode())) <= 30
    unchanged(mandate, versions=versions, log_entries=log_entries)


def test_add_row_is_for_those_who_may_edit(client, mandate):
    data = {"tilfoej": "leverancer", "leverancer-TOTAL_FORMS": "1", "leverancer-INITIAL_FORMS": "0"}
    client.force_login(PoliticianUserFactory())
    assert client.post(edit_url(mandate), data).status_code == 404
    client.logout()
    assert client.post(edit_url(mandate), data).status_code == 302  # to the login page
    approved = MandateFactory(status=Mandate.Status.APPROVED, approved_on=dt.date(2025, 1, 29))
    client.force_login(StaffUserFactory())
    response = client.post(edit_url(approved), data)
    assert response.status_code == 302 and response["Location"].endswith(f"/kommissorier/{approved.pk}/")
