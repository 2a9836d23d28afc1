from django.db.models import QuerySet
from django.utils import timezone

from .models import Call


def calls_open(*, now=None) -> QuerySet[Call]:
    """Calls the public can apply to now: published, deadline not passed."""
    now = now or timezone.now()
    return (
        Call.objects.filter(published_at__isnull=False, published_at__lte=now, deadline__gt=now)
        .select_related("committee")
        .order_by("deadline")
    )
