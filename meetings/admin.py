from django.contrib import admin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "starts_at", "location", "kind"]
    list_filter = ["kind", "committee__term"]
    list_select_related = ["committee"]
    date_hierarchy = "starts_at"
