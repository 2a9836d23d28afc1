"""Moving the approving agenda item from committees.Deliverable.approved_item to meetings.DeliverableApproval loses
nothing, in either direction (meetings 0004 copies the links, committees 0006 removes the field).

The tests migrate the real test database with Django's MigrationExecutor, so they need real commits (SQLite cannot
change its schema inside the per-test transaction) and end by migrating everything to the latest state again.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("committees", "0005_deliverable_approved_item_deliverable_file"),
    ("meetings", "0003_agendaitem_search_trigram"),
]
AFTER = [
    ("committees", "0006_remove_deliverable_approved_item"),
    ("meetings", "0004_deliverableapproval"),
]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    """Migrate the test database to ``targets`` and return the historical models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def latest_afterwards():
    """Whatever a test does, the database is at the newest migration of every app when it ends."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def make_world(apps):
    """A task committee with a meeting of two items and three deliverables, through the historical models."""
    Municipality = apps.get_model("committees", "Municipality")
    Term = apps.get_model("committees", "Term")
    Committee = apps.get_model("committees", "Committee")
    Deliverable = apps.get_model("committees", "Deliverable")
    Meeting = apps.get_model("meetings", "Meeting")
    AgendaItem = apps.get_model("meetings", "AgendaItem")

    municipality = Municipality.objects.create(name="Migrationskommune", slug="migrationskommune")
    term = Term.objects.create(
        municipality=municipality, slug="2018-2021", starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2021, 12, 31)
    )
    committee = Committee.objects.create(
        kind="opgave", status="nedsat", term=term, name="Opgaveudvalg om Innovation", slug="innovation", seats=5
    )
    meeting = Meeting.objects.create(committee=committee, starts_at=dt.datetime(2018, 1, 31, 16, tzinfo=dt.UTC))
    items = [
        AgendaItem.objects.create(meeting=meeting, position=1, title="Godkendelse af leverancer"),
        AgendaItem.objects.create(meeting=meeting, position=2, title="Personalesag", is_closed=True),
    ]
    deliverables = [
        Deliverable.objects.create(committee=committee, number=n, title=title, handed_over_on=handed_over_on)
        for n, title, handed_over_on in [
            (1, "Politisk model", dt.date(2018, 2, 26)),
            (2, "Idékatalog", None),
            (3, "Læringsopsamling", None),
        ]
    ]
    return items, deliverables


def rows(apps):
    """The deliverables and items as plain tuples, to compare across the migration."""
    Deliverable = apps.get_model("committees", "Deliverable")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    return (
        list(Deliverable.objects.order_by("pk").values_list("pk", "committee", "number", "title", "handed_over_on")),
        list(AgendaItem.objects.order_by("pk").values_list("pk", "meeting", "position", "title", "is_closed")),
    )


def test_forwards_every_approved_item_becomes_an_approval(latest_afterwards):
    old = migrate(BEFORE)
    (open_item, closed_item), (first, second, third) = make_world(old)
    Deliverable = old.get_model("committees", "Deliverable")
    Deliverable.objects.filter(pk=first.pk).update(approved_item=open_item)
    Deliverable.objects.filter(pk=second.pk).update(approved_item=closed_item)
    before = rows(old)

    new = migrate(AFTER)

    Approval = new.get_model("meetings", "DeliverableApproval")
    assert sorted(Approval.objects.values_list("deliverable", "item")) == [
        (first.pk, open_item.pk),
        (second.pk, closed_item.pk),
    ]
    assert rows(new) == before
    assert "approved_item" not in {f.name for f in new.get_model("committees", "Deliverable")._meta.get_fields()}


def test_backwards_every_approval_becomes_the_approved_item_again(latest_afterwards):
    new = migrate(AFTER)
    (open_item, closed_item), (first, second, third) = make_world(new)
    Approval = new.get_model("meetings", "DeliverableApproval")
    Approval.objects.create(deliverable_id=first.pk, item_id=closed_item.pk)
    Approval.objects.create(deliverable_id=third.pk, item_id=open_item.pk)
    before = rows(new)

    old = migrate(BEFORE)

    Deliverable = old.get_model("committees", "Deliverable")
    assert list(Deliverable.objects.order_by("pk").values_list("pk", "approved_item")) == [
        (first.pk, closed_item.pk),
        (second.pk, None),
        (third.pk, open_item.pk),
    ]
    assert rows(old) == before
    assert "meetings_deliverableapproval" not in connection.introspection.table_names()
