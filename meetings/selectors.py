from django.db.models import QuerySet
from django.utils import timezone

from .models import Meeting


def meetings_upcoming(*, limit: int = 10, now=None) -> QuerySet[Meeting]:
    now = now or timezone.now()
    return Meeting.objects.filter(starts_at__gte=now).select_related("committee").order_by("starts_at")[:limit]
