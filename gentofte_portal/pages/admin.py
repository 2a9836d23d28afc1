"""The accessibility statement in the admin: the secretariat keeps it current (one statement, never deleted)."""

from django.contrib import admin

from gentofte_portal.common.admin_history import GuardedHistoryAdmin

from .models import AccessibilityStatement


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(GuardedHistoryAdmin):
    list_display = ["__str__", "updated_at"]
    fields = ["body", "body_en"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
