from django.db.models import Q, QuerySet

from committees.models import Committee, Term


def committees_to_subscribe(*, include=()) -> QuerySet[Committee]:
    """The latest term's committees, and any given (the committee whose page the visitor came from, those a
    subscriber has already): the choices of the subscription forms."""
    latest = Term.objects.order_by("-starts_on").values_list("pk", flat=True).first()
    return (
        Committee.objects.filter(Q(term_id=latest) | Q(pk__in=[c.pk for c in include]))
        .select_related("term")
        .order_by("kind", "name", "pk")
    )
