from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gentofte_portal.common.admin_history import GuardedHistoryAdmin

from .models import (
    Committee,
    CommitteeMembership,
    CouncilMembership,
    Deliverable,
    Mandate,
    MandateComment,
    MandateTransition,
    Municipality,
    Party,
    Person,
    StandingCommittee,
    TaskCommittee,
    Term,
)
from .services import task_committee_next_status, task_committee_set_status


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CouncilMembershipInline(admin.TabularInline):
    model = CouncilMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "municipality", "starts_on", "ends_on"]
    inlines = [CouncilMembershipInline]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["letter", "name", "municipality"]
    search_fields = ["letter", "name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    search_fields = ["name", "email"]


@admin.register(CouncilMembership)
class CouncilMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "party", "role", "term"]
    list_filter = ["term", "party", "role"]
    list_select_related = ["person", "party", "term"]
    autocomplete_fields = ["person"]


class CommitteeMembershipInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ["person"]


class DeliverableInline(admin.TabularInline):
    """The meeting item a deliverable was approved under is kept by meetings (its admin lists the approvals)."""

    model = Deliverable
    extra = 0
    fields = ["number", "title", "description", "due_on", "handed_over_on"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "term", "seats", "starts_on", "ends_on"]
    list_filter = ["kind", "status", "term"]
    list_select_related = ["term"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["proposed_by"]
    inlines = [CommitteeMembershipInline, DeliverableInline]


@admin.register(StandingCommittee)
class StandingCommitteeAdmin(CommitteeAdmin):
    list_display = ["name", "term", "seats"]
    list_filter = ["term"]
    exclude = ["kind", "status", "politician_seats", "citizen_seats", "proposed_by"]
    inlines = [CommitteeMembershipInline]


@admin.register(TaskCommittee)
class TaskCommitteeAdmin(CommitteeAdmin):
    list_display = ["name", "status", "term", "seats", "starts_on", "ends_on"]
    list_filter = ["status", "term"]
    exclude = ["kind"]
    # The status moves only through the action below, so no step is skipped (committees.services).
    readonly_fields = ["status"]
    actions = ["advance_status"]

    @admin.action(description=_("Flyt til næste status"))
    def advance_status(self, request, queryset):
        for committee in queryset:
            step = task_committee_next_status(committee=committee)
            if step is None:
                self.message_user(
                    request, _("%(committee)s er afsluttet.") % {"committee": committee}, messages.WARNING
                )
                continue
            try:
                committee = task_committee_set_status(committee=committee, status=step)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, f"{committee}: {committee.get_status_display()}", messages.SUCCESS)


class MandateTransitionInline(admin.TabularInline):
    model = MandateTransition
    extra = 0
    can_delete = False
    readonly_fields = ["name", "from_status", "to_status", "by", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class MandateCommentInline(admin.TabularInline):
    model = MandateComment
    extra = 0
    readonly_fields = ["section", "author", "text", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mandate)
class MandateAdmin(GuardedHistoryAdmin):
    """Read-mostly: mandates are drafted and moved on in the workspace (/arbejde/), where the rules live."""

    list_display = ["committee", "revision", "status", "approved_on", "updated_at"]
    list_filter = ["status", "committee__term"]
    list_select_related = ["committee"]
    search_fields = ["committee__name"]
    readonly_fields = [f.name for f in Mandate._meta.fields]
    inlines = [MandateTransitionInline, MandateCommentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Every field is read-only, and a revert from the history would step outside the workflow: no one changes
        # a mandate here, superusers included.
        return False
