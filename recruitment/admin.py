from django.contrib import admin

from .models import Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "published_at", "deadline"]
    list_select_related = ["committee"]
