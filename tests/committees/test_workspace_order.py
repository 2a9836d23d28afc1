"""The workspace shows work in progress first and the archive (closed committees, earlier terms) last."""

import datetime as dt

import pytest
from django.urls import reverse

from committees.models import Committee, Mandate
from tests.factories import MandateFactory, StaffUserFactory, TaskCommitteeFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_work_in_progress_comes_before_the_archive(client):
    old = TermFactory(starts_on=dt.date(2014, 1, 1), ends_on=dt.date(2017, 12, 31), slug="2014-2017")
    sitting = TermFactory(municipality=old.municipality, starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2021, 12, 31))
    for term, name, committee_status, status in [
        (old, "Opgaveudvalg for Idræt", Committee.Status.CLOSED, Mandate.Status.PUBLISHED),
        (sitting, "Opgaveudvalg for Byrum", Committee.Status.CLOSED, Mandate.Status.PUBLISHED),
        (sitting, "Opgaveudvalg for Musik", Committee.Status.ESTABLISHED, Mandate.Status.PUBLISHED),
        (sitting, "Opgaveudvalg for Trafik", Committee.Status.PROPOSED, Mandate.Status.DRAFT),
    ]:
        MandateFactory(committee=TaskCommitteeFactory(term=term, name=name, status=committee_status), status=status)
    client.force_login(StaffUserFactory())

    html = client.get(reverse("committees:workspace")).content.decode()

    headings_and_rows = [
        'id="status-kladde"',
        "Opgaveudvalg for Trafik",
        'id="status-offentliggjort"',
        "Opgaveudvalg for Musik",
        'id="status-arkiv"',
        "Opgaveudvalg for Byrum",
        "Opgaveudvalg for Idræt",
    ]
    order = [html.index(text) for text in headings_and_rows]
    assert order == sorted(order)
    assert "Arkiv: afsluttede udvalg og tidligere valgperioder" in html
