"""django-simple-history's admin, with its history pages as read-only as the model's own admin.

SimpleHistoryAdmin.history_form_view saves a POST to ``…/history/<version>/`` (a revert) after checking only that
the user may *view* history: a user who may only view mandates could write an old version over the current one,
outside the workflow (status back to "kladde"). Here a revert needs the permission to change.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_history_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
