"""The kinds and variants of document, as names the domain apps use to register and ask for their documents
without touching the Document model (services.register_document_kind, views.serve_document)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MANDATE = "kommissorium", _("Kommissorium")
    AGENDA = "dagsorden", _("Dagsorden")
    MINUTES = "referat", _("Referat")


class Variant(models.TextChoices):
    PUBLIC = "offentlig", _("Offentlig udgave")  # closed items as "Lukket"
    FULL = "fuld", _("Fuld udgave")  # for the secretariat and the committee's members
