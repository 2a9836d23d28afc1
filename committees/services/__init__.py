"""Write-side rules for committees and mandates (HackSoft style: keyword-only functions named entity_action)."""

from .mandates import (
    TRANSITIONS,
    ConcurrentEditError,
    mandate_comment_add,
    mandate_new_revision,
    mandate_restore,
    mandate_transition,
    mandate_transitions_available,
    mandate_update,
    task_committee_propose,
)
from .memberships import membership_build, membership_create, membership_ensure, person_for_citizen
from .task_committees import task_committee_next_status, task_committee_set_status

__all__ = [
    "TRANSITIONS",
    "ConcurrentEditError",
    "mandate_comment_add",
    "mandate_new_revision",
    "mandate_restore",
    "mandate_transition",
    "mandate_transitions_available",
    "mandate_update",
    "membership_build",
    "membership_create",
    "membership_ensure",
    "person_for_citizen",
    "task_committee_next_status",
    "task_committee_propose",
    "task_committee_set_status",
]
