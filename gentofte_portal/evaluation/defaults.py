"""The survey's scale and its default statements, written from Gentofte's own evaluation of the model (seed 000,
"Evaluering": "87 % af borgerne oplevede, at arbejdet i opgaveudvalget har bidraget til at udvikle nogle gode og
brugbare løsninger", "65% af politikerne er helt eller delvist enige i, at det er lykkedes at rekruttere bredt", ...).
Staff edit them per committee before sending; the same wording in several committees is counted together."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Choice(models.TextChoices):
    """The five-point agreement scale, and "ved ikke" (counted in the total, never as agreement)."""

    AGREE = "helt_enig", _("Helt enig")
    PARTLY_AGREE = "delvis_enig", _("Delvis enig")
    NEUTRAL = "hverken", _("Hverken enig eller uenig")
    PARTLY_DISAGREE = "delvis_uenig", _("Delvis uenig")
    DISAGREE = "helt_uenig", _("Helt uenig")
    DONT_KNOW = "ved_ikke", _("Ved ikke")


AGREEING = (Choice.AGREE, Choice.PARTLY_AGREE)
DISAGREEING = (Choice.PARTLY_DISAGREE, Choice.DISAGREE)

# Stored in Danish, the survey's language: they are data staff edit, not interface text.
DEFAULT_STATEMENTS = [
    "Arbejdet i opgaveudvalget har bidraget til at udvikle gode og brugbare løsninger",
    "Det er lykkedes at rekruttere bredt",
    "Politikerne var lydhøre over for borgernes idéer og forslag",
    "Det var svært at følge med i diskussionerne, fordi jeg ikke havde al den relevante viden",
    "Dialogen i opgaveudvalget har været konstruktiv og produktiv",
    "Det er lykkedes at klæde borgerne på uden at drukne dem i information",
    "Arbejdet i opgaveudvalget betyder, at borgerne vil bidrage mere aktivt til nye initiativer og løsninger",
]

# Results are shown for a group of respondents only when at least this many of them answered.
MIN_RESPONDENTS = 5
