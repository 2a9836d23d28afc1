from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import DeliverableApproval, Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "starts_at", "location", "kind"]
    list_filter = ["kind", "committee__term"]
    list_select_related = ["committee"]
    date_hierarchy = "starts_at"


@admin.register(DeliverableApproval)
class DeliverableApprovalAdmin(admin.ModelAdmin):
    """Read-only, as it is set in /arbejde/ (deleting stays allowed, so a meeting can still be deleted with its
    items). The item is shown by meeting and number only: a closed item's title must not reach admin users outside
    the secretariat and the committee."""

    list_display = ["deliverable", "committee", "approved_at"]
    list_filter = ["deliverable__committee__term"]
    list_select_related = ["deliverable__committee", "item__meeting"]
    search_fields = ["deliverable__title", "deliverable__committee__name"]
    fields = ["deliverable", "committee", "approved_at"]
    readonly_fields = fields

    @admin.display(description=_("udvalg"))
    def committee(self, obj):
        return obj.deliverable.committee

    @admin.display(description=_("godkendt under"))
    def approved_at(self, obj):
        return obj.item_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
