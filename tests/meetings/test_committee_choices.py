"""The meeting form's list of committees: the sitting term first, ended committees only when asked for."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from committees.models import Committee
from tests.factories import CommitteeFactory, TaskCommitteeFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(term):
    """The fixture's 2018–2021 term and the one after it, sitting now."""
    sitting = TermFactory(municipality=term.municipality, starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2025, 12, 31))
    return term, sitting


def options(html: str) -> list[tuple[str, list[str]]]:
    """(optgroup label, option texts) of the committee field, in order."""
    select = re.search(r'<select name="committee".*?</select>', html, re.S).group(0)
    return [
        (label, re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", body))
        for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    ]


def test_the_sitting_term_comes_first_and_ended_committees_only_when_asked(staff_client, terms):
    old, sitting = terms
    CommitteeFactory(term=old, name="Økonomiudvalget")
    CommitteeFactory(term=sitting, name="Økonomiudvalget")
    CommitteeFactory(term=sitting, name="Børneudvalget")
    TaskCommitteeFactory(term=sitting, name="Opgaveudvalg for Ungepolitik")
    TaskCommitteeFactory(term=sitting, name="Opgaveudvalg om Innovation", status=Committee.Status.CLOSED)

    default = staff_client.get(reverse("meetings:create")).content.decode()
    everything = staff_client.get(reverse("meetings:create") + "?alle=1").content.decode()

    assert options(default) == [("2022–2025", ["Børneudvalget", "Økonomiudvalget", "Opgaveudvalg for Ungepolitik"])]
    assert "Vis også afsluttede udvalg" in default
    assert options(everything) == [
        (
            "2022–2025",
            ["Børneudvalget", "Økonomiudvalget", "Opgaveudvalg for Ungepolitik", "Opgaveudvalg om Innovation"],
        ),
        ("2018–2021", ["Økonomiudvalget"]),
    ]
    assert "Vis kun igangværende udvalg" in everything


def test_an_ended_committee_already_chosen_stays_in_the_list(staff_client, terms):
    old, _sitting = terms
    ended = CommitteeFactory(term=old, name="Kulturudvalget")

    response = staff_client.post(reverse("meetings:create"), {"committee": ended.pk, "starts_at": "nonsense"})

    assert response.status_code == 400
    assert ("2018–2021", ["Kulturudvalget"]) in options(response.content.decode())
    assert f'<option value="{ended.pk}" selected>' in response.content.decode()
