"""A bilag whose transaction is rolled back after its file was written leaves a file no row points to; the daily
clean-up (and `manage.py clean_private_files`) removes such files once they are a day old, and nothing else."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from gentofte_portal.common.private_files import delete_orphaned_private_files, orphaned_private_files
from meetings import services
from meetings.models import Attachment

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_rolled_back_upload_leaves_a_file_that_the_clean_up_removes(
    meeting, add_item, staff, upload, sample_files, private_files
):
    item = add_item(meeting, "Status")
    kept = services.attachment_add(item=item, upload=upload("plan.pdf", sample_files["pdf"]), title="", by=staff)
    before = private_files()
    with pytest.raises(Boom), transaction.atomic():
        services.attachment_add(item=item, upload=upload("tabt.pdf", sample_files["pdf"]), title="", by=staff)
        raise Boom  # something later in the same request fails
    orphan = (private_files() - before).pop()
    assert list(Attachment.objects.all()) == [kept]

    # (The test session's folder also holds files of earlier tests, whose rows were rolled back: orphans too.)
    assert orphan not in orphaned_private_files()  # a fresh file may belong to a transaction still open
    in_two_days = timezone.now() + dt.timedelta(days=2)
    found = orphaned_private_files(now=in_two_days)
    assert orphan in found
    assert Path(kept.file.path) not in found
    assert delete_orphaned_private_files(now=in_two_days) >= 1
    assert not orphan.exists()
    assert kept.file.storage.exists(kept.file.name)  # the bilag in use stays
    assert delete_orphaned_private_files(now=in_two_days) == 0


def test_the_command_lists_without_deleting_on_dry_run(meeting, add_item, staff, upload, sample_files, settings):
    import os

    stray = Path(settings.PRIVATE_MEDIA_ROOT) / "bilag" / "gammel-fil.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(sample_files["pdf"])
    old = (timezone.now() - dt.timedelta(days=3)).timestamp()
    os.utime(stray, (old, old))

    out = StringIO()
    call_command("clean_private_files", "--dry-run", stdout=out)
    assert str(stray) in out.getvalue() and stray.exists()
    call_command("clean_private_files", stdout=out)
    assert not stray.exists()
    assert "Slettede 1 forældreløse filer." in out.getvalue()
