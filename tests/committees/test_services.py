"""A task committee moves through its life one step at a time: forslag → kommissorium godkendt → rekruttering →
nedsat → afsluttet."""

import pytest
from django.core.exceptions import ValidationError

from committees.models import Committee
from committees.services import task_committee_next_status, task_committee_set_status
from tests.factories import CommitteeFactory, TaskCommitteeFactory

pytestmark = pytest.mark.django_db


def test_walks_the_whole_life_in_order():
    committee = TaskCommitteeFactory(status="forslag")
    seen = [committee.status]
    while (step := task_committee_next_status(committee=committee)) is not None:
        committee = task_committee_set_status(committee=committee, status=step)
        seen.append(Committee.objects.get(pk=committee.pk).status)
    assert seen == ["forslag", "kommissorium_godkendt", "rekruttering", "nedsat", "afsluttet"]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("forslag", "rekruttering"),
        ("forslag", "afsluttet"),
        ("nedsat", "forslag"),
        ("afsluttet", "nedsat"),
        ("rekruttering", "rekruttering"),
        ("forslag", "ukendt"),
    ],
)
def test_steps_cannot_be_skipped_or_undone(current, target):
    committee = TaskCommitteeFactory(status=current)
    with pytest.raises(ValidationError) as err:
        task_committee_set_status(committee=committee, status=target)
    assert "kan ikke gå til" in str(err.value)
    assert Committee.objects.get(pk=committee.pk).status == current


def test_standing_committees_have_no_status():
    with pytest.raises(ValidationError):
        task_committee_set_status(committee=CommitteeFactory(), status="nedsat")
