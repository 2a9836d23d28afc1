"""Deliverable.approved_item is gone: the approval is meetings.DeliverableApproval, filled from this field by
meetings 0004 before the field is removed (and copied back by it when migrating backwards)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0005_deliverable_approved_item_deliverable_file"),
        ("meetings", "0004_deliverableapproval"),
    ]

    operations = [
        migrations.RemoveField(model_name="deliverable", name="approved_item"),
    ]
