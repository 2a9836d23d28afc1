"""Write-side rules for recruitment (calls, applications, allocation, appointment, retention)."""

from .allocation import (
    allocation_confirm,
    allocation_preview,
    apply_transfers,
    committee_appoint,
    default_groups,
    group_votes,
    membership_vacate,
)
from .applications import (
    age_problem,
    application_export,
    application_log_view,
    application_request_deletion,
    application_shortlist,
    application_submit,
    application_withdraw,
    application_withdraw_check,
)
from .calls import approved_mandate, call_open
from .lots import lot_draw_current, lot_draw_new
from .retention import applications_purge
from .selection import (
    selection_appointment_initial,
    selection_draw,
    selection_overview,
    selection_redraw,
    selection_targets_save,
)

__all__ = [
    "age_problem",
    "allocation_confirm",
    "allocation_preview",
    "apply_transfers",
    "application_export",
    "application_log_view",
    "application_request_deletion",
    "application_shortlist",
    "application_submit",
    "application_withdraw",
    "application_withdraw_check",
    "applications_purge",
    "approved_mandate",
    "call_open",
    "committee_appoint",
    "default_groups",
    "group_votes",
    "membership_vacate",
    "lot_draw_current",
    "lot_draw_new",
    "selection_appointment_initial",
    "selection_draw",
    "selection_overview",
    "selection_redraw",
    "selection_targets_save",
]
