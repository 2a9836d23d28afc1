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


def test_a_status_change_is_announced_inside_the_transaction_with_the_previous_status():
    """The layers above (the members' evaluation, the citizens' network) act when a task committee ends; they
    hear it through this signal, and a receiver's rows roll back with the change."""
    from committees.signals import task_committee_status_changed

    heard = []

    def receiver(sender, committee, previous, **kwargs):
        heard.append((committee.pk, previous, committee.status))

    committee = TaskCommitteeFactory(status=Committee.Status.ESTABLISHED)
    task_committee_status_changed.connect(receiver)
    try:
        task_committee_set_status(committee=committee, status=Committee.Status.CLOSED)
    finally:
        task_committee_status_changed.disconnect(receiver)
    assert heard == [(committee.pk, Committee.Status.ESTABLISHED, Committee.Status.CLOSED)]
