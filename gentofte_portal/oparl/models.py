"""What the API must remember beyond the domain's own tables: the objects that are gone, and files' checksums."""

from django.db import models


class Tombstone(models.Model):
    """An object the API showed and that is gone (deleted, or no longer public). OParl never forgets: its URL keeps
    answering with ``deleted: true`` and the time it went, and lists show it to a crawler asking what changed."""

    oparl_type = models.CharField(max_length=30)  # the URL's type segment: "agenda-item", "file", "membership" …
    key = models.CharField(max_length=100)  # the URL's key segment: "42", "bilag-7", "udvalg-3" …
    created_at = models.DateTimeField()  # the object's own created time
    deleted_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["oparl_type", "key"], name="oparl_tombstone_unique")]
        indexes = [models.Index(fields=["oparl_type", "id"])]

    def __str__(self):
        return f"{self.oparl_type}/{self.key} (slettet)"


class FileDigest(models.Model):
    """Size and SHA-512 of a stored file, computed once when the API first shows it. A stored file's name changes
    with its content (bilag by document number, PDFs by input hash), so a name's digest never goes stale."""

    name = models.CharField(max_length=300, unique=True)
    size = models.PositiveBigIntegerField()
    sha512 = models.CharField(max_length=128)

    def __str__(self):
        return self.name
