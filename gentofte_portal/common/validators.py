"""Input checks shared by every form: clear Danish messages, nothing odd stored."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROL = {"\n", "\r", "\t"}


def _refused(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROL


def no_control_characters(value: str) -> None:
    """Refuse NUL and other control characters (pasted from other systems, or hostile); newlines and tabs pass."""
    if any(_refused(ch) for ch in value or ""):
        raise ValidationError(_("Teksten indeholder usynlige kontroltegn. Fjern dem og prøv igen."), code="control")


def without_control_characters(value: str) -> str:
    """``value`` without the control characters ``no_control_characters`` refuses. For search words and filters
    read from the query string, where no form shows an error: PostgreSQL refuses a NUL in a query (a 500)."""
    return "".join(ch for ch in value if not _refused(ch))
