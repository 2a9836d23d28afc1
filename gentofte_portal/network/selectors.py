"""What the Sekretariat's network pages read: the search (a fixed number of queries, however many members) and
the numbers (counts only)."""

from django.db.models import Count, Q, QuerySet

from recruitment.models import DISTRICTS

from .models import Competence, Interest, Member


def members_search(*, competences=(), interests=(), districts=()) -> QuerySet[Member]:
    """Confirmed members with at least one of the chosen competences, at least one of the chosen interests, and in
    one of the chosen districts (a facet left empty does not filter)."""
    members = Member.objects.filter(consent_at__isnull=False)
    if competences:
        members = members.filter(
            pk__in=Member.competences.through.objects.filter(competence__in=competences).values("member_id")
        )
    if interests:
        members = members.filter(
            pk__in=Member.interests.through.objects.filter(interest__in=interests).values("member_id")
        )
    if districts:
        members = members.filter(district__in=districts)
    return members.prefetch_related("competences", "interests").order_by("name", "pk")


def network_numbers() -> dict:
    """Members per competence, per interest and per district: counts, nothing personal."""
    confirmed = Q(members__consent_at__isnull=False)
    districts = dict(
        Member.objects.filter(consent_at__isnull=False).values_list("district").annotate(n=Count("pk")).order_by()
    )
    return {
        "total": Member.objects.filter(consent_at__isnull=False).count(),
        "competences": list(
            Competence.objects.annotate(n=Count("members", filter=confirmed)).order_by("position", "name")
        ),
        "interests": list(Interest.objects.annotate(n=Count("members", filter=confirmed)).order_by("position", "name")),
        "districts": [(label, districts.get(key, 0)) for key, label in DISTRICTS],
    }
