"""The lists members choose from, kept by the Sekretariat. Members and invitations are deliberately not here: their
data is seen on the workspace's network page only."""

from django.contrib import admin

from .models import Competence, Interest


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
