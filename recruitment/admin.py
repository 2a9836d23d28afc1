"""Admin for recruitment. Applications are deliberately not here: applicants' data is seen only through the
caseworker pages, where every view is logged. Administrators can read that log."""

from django.contrib import admin

from .models import Allocation, ApplicationView, Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "published_at", "deadline", "purged_at"]
    list_select_related = ["committee"]
    filter_horizontal = ["caseworkers"]
    readonly_fields = ["text_html", "purged_at", "purged_counts"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["committee", "final_seats", "seed", "confirmed_by", "confirmed_at", "appointed_at"]
    list_select_related = ["committee", "confirmed_by"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Allocation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ApplicationView)
class ApplicationViewAdmin(admin.ModelAdmin):
    """The access log: who saw or changed which application, and when."""

    list_display = ["at", "user", "action", "application_name", "call"]
    list_filter = ["action", "call"]
    list_select_related = ["user", "call"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ApplicationView._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
