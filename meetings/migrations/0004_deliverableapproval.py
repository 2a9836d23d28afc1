"""The agenda item a deliverable was approved under moves from committees.Deliverable.approved_item to a row of
its own on the meetings side (DeliverableApproval), so the core app holds no reference to meetings.

This migration creates the table and copies every existing link into it; committees 0006 then removes the old
field. Backwards, the links are copied back once committees 0006 has restored the field.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_to_approvals(apps, schema_editor):
    Deliverable = apps.get_model("committees", "Deliverable")
    DeliverableApproval = apps.get_model("meetings", "DeliverableApproval")
    db = schema_editor.connection.alias
    links = Deliverable.objects.using(db).filter(approved_item__isnull=False).values_list("pk", "approved_item_id")
    DeliverableApproval.objects.using(db).bulk_create(
        (DeliverableApproval(deliverable_id=deliverable_id, item_id=item_id) for deliverable_id, item_id in links),
        batch_size=1000,
    )


def copy_to_deliverables(apps, schema_editor):
    Deliverable = apps.get_model("committees", "Deliverable")
    DeliverableApproval = apps.get_model("meetings", "DeliverableApproval")
    db = schema_editor.connection.alias
    approvals = DeliverableApproval.objects.using(db).filter(deliverable_id=OuterRef("pk"))
    Deliverable.objects.using(db).filter(pk__in=approvals.values("deliverable_id")).update(
        approved_item_id=Subquery(approvals.values("item_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0005_deliverable_approved_item_deliverable_file"),
        ("meetings", "0003_agendaitem_search_trigram"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeliverableApproval",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "deliverable",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="approval",
                        to="committees.deliverable",
                        verbose_name="leverance",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="approved_deliverables",
                        to="meetings.agendaitem",
                        verbose_name="godkendt under punkt",
                    ),
                ),
            ],
            options={
                "verbose_name": "godkendelse af leverance",
                "verbose_name_plural": "godkendelser af leverancer",
            },
        ),
        migrations.RunPython(copy_to_approvals, copy_to_deliverables, elidable=False),
    ]
