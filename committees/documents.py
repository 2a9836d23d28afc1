"""The committees' document: a published kommissorium (one public variant). Registered with the documents module
in CommitteesConfig.ready."""

from gentofte_portal.documents.kinds import Kind, Variant
from gentofte_portal.documents.services import register_document_kind

from .models import Mandate


def mandate_context(object_id: int, variant: str) -> dict:
    mandate = Mandate.objects.select_related("committee", "committee__term").get(pk=object_id)
    return {"mandate": mandate, "committee": mandate.committee}


def register() -> None:
    register_document_kind(
        Kind.MANDATE,
        template="pdf/mandate.html",
        context=mandate_context,
        published=lambda: Mandate.objects.filter(status=Mandate.Status.PUBLISHED).values_list("pk", flat=True),
        variants=(Variant.PUBLIC,),
    )
