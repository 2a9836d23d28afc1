"""The layers' restructuring moved models between apps without dropping a table: from the migration state of the
last release (the accessibility statement in the project package's app, gentofte_portal 0003), migrating forward
keeps every row, and what pointed at the model (permissions, the audit log) follows it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

RELEASED = [("gentofte_portal", "0003_document_queued_at"), ("pages", None)]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps  # the project's state once there


@pytest.fixture
def released_state():
    apps = migrate_to(RELEASED)
    yield apps
    call_command("migrate", verbosity=0)  # leave the test database as every other test expects it
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_the_accessibility_statement_and_documents_survive_the_move(released_state):
    apps = released_state
    statement = apps.get_model("gentofte_portal", "AccessibilityStatement").objects.create(
        body="# Erklæring\nSidst revideret 2026.", body_html="<h2>Erklæring</h2>"
    )
    apps.get_model("gentofte_portal", "HistoricalAccessibilityStatement").objects.create(
        id=statement.pk,
        body=statement.body,
        updated_at=statement.updated_at,
        history_date="2026-11-01T10:00:00+01:00",
        history_type="+",
    )
    document = apps.get_model("gentofte_portal", "Document").objects.create(
        kind="dagsorden", object_id=7, variant="offentlig", status="klar", input_hash="abc"
    )
    # The released database's content type, with what points at it: a permission and an audit entry.
    ContentType.objects.filter(model="accessibilitystatement").delete()
    old_type = ContentType.objects.create(app_label="gentofte_portal", model="accessibilitystatement")
    permission_model = apps.get_model("auth", "Permission")
    permission = permission_model.objects.create(
        content_type_id=old_type.pk, codename="change_accessibilitystatement", name="Can change"
    )
    entry = apps.get_model("auditlog", "LogEntry").objects.create(
        content_type_id=old_type.pk, object_pk=str(statement.pk), object_repr="Tilgængelighedserklæring", action=1
    )

    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    from auditlog.models import LogEntry
    from django.contrib.auth.models import Permission

    from gentofte_portal.documents.models import Document
    from gentofte_portal.pages.models import AccessibilityStatement

    moved = AccessibilityStatement.objects.get(pk=statement.pk)
    assert moved.body == "# Erklæring\nSidst revideret 2026."
    assert moved.history.count() == 1
    assert Document.objects.get(pk=document.pk).input_hash == "abc"
    new_type = ContentType.objects.get_for_model(AccessibilityStatement)
    assert new_type.pk == old_type.pk and new_type.app_label == "pages"
    assert Permission.objects.get(pk=permission.pk).content_type_id == new_type.pk
    assert LogEntry.objects.get(pk=entry.pk).content_type_id == new_type.pk


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_reversed_without_losing_the_statement(released_state):
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
    from gentofte_portal.pages.models import AccessibilityStatement

    statement = AccessibilityStatement.objects.create(body="Erklæringen")
    apps = migrate_to(RELEASED)
    assert apps.get_model("gentofte_portal", "AccessibilityStatement").objects.get(pk=statement.pk).body == (
        "Erklæringen"
    )
