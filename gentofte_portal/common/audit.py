"""The audit log: who created, changed, published, allocated or deleted what, and who viewed citizens' data.

django-auditlog records every save and delete of the models listed in ``AUDITLOG_INCLUDE_TRACKING_MODELS``
(settings), with the logged-in user as actor (its middleware), so publishing a meeting or mandate shows as the
change of its publication field, and an allocation as its creation. Views of personal data are not saves, so the
views that show applicants call ``record_access``. The log is read in the admin (superusers).

What the log keeps of an application is limited to its status fields (settings), and its text to "Ansøgning nr. N":
the log outlives the application, which is deleted after the retention period, so it must hold nothing personal.
"""

from auditlog.signals import accessed


def record_access(instance) -> None:
    """Log that the current user opened ``instance`` (an application, or a call's list of applicants)."""
    accessed.send(sender=instance.__class__, instance=instance)
