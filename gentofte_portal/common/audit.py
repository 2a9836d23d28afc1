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


def record_event(*, description: str, data: dict, user=None) -> None:
    """Log an event that is no save of a tracked model, such as a sign-in or a refused one, on the user's account
    (or on no object, when there is no account). ``data`` must hold nothing secret: subjects and role names, never
    tokens."""
    from auditlog.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_pk=str(user.pk) if user else "",
        object_id=user.pk if user else None,
        object_repr=description,
        action=LogEntry.Action.ACCESS,
        actor=user,
        additional_data=data,
    )
