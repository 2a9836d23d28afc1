"""Small text helpers for templates."""

from django import template

register = template.Library()


@register.filter
def lead_in(label) -> str:
    """A field's label as the lead-in to its error in an error summary: "Samtykke: …", not "… rekruttering.: …".
    A question keeps its question mark and needs no colon ("Hvilke … har du? Vælg …")."""
    text = str(label).strip()
    if text.endswith("?"):
        return text
    return text.rstrip(".:") + ":"
