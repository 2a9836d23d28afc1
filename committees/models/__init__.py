"""The committees app's models: the council and its committees (council.py) and mandates (mandate.py)."""

from .council import (
    Committee,
    CommitteeMembership,
    CouncilMembership,
    Deliverable,
    Municipality,
    Party,
    Person,
    StandingCommittee,
    TaskCommittee,
    Term,
)
from .mandate import Mandate, MandateComment, MandateTransition

__all__ = [
    "Committee",
    "CommitteeMembership",
    "CouncilMembership",
    "Deliverable",
    "Mandate",
    "MandateComment",
    "MandateTransition",
    "Municipality",
    "Party",
    "Person",
    "StandingCommittee",
    "TaskCommittee",
    "Term",
]
