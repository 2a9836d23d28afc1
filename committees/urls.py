from django.urls import path

from .views import public, staff

app_name = "committees"

urlpatterns = [
    path("udvalg/", public.committee_list, name="list"),
    path("udvalg/<slug:slug>/kommissorium/", public.mandate_public, name="mandate_public"),
    path("udvalg/<slug:slug>/kommissorium.pdf", public.mandate_pdf, name="mandate_pdf"),
    path("udvalg/<slug:slug>/kommissorium/pdf-status/", public.mandate_pdf_status, name="mandate_pdf_status"),
    path("arbejde/", staff.workspace, name="workspace"),
    path("arbejde/nyt-opgaveudvalg/", staff.task_committee_propose_view, name="propose"),
    path("arbejde/kommissorier/<int:pk>/", staff.mandate_detail, name="mandate_detail"),
    path("arbejde/kommissorier/<int:pk>/rediger/", staff.mandate_edit, name="mandate_edit"),
    path(
        "arbejde/kommissorier/<int:pk>/status/<slug:name>/",
        staff.mandate_transition_view,
        name="mandate_transition",
    ),
    path("arbejde/kommissorier/<int:pk>/ny-revision/", staff.mandate_new_revision_view, name="mandate_new_revision"),
    path("arbejde/kommissorier/<int:pk>/kommentar/", staff.mandate_comment_view, name="mandate_comment"),
    path("arbejde/kommissorier/<int:pk>/historik/", staff.mandate_history, name="mandate_history"),
    path("arbejde/kommissorier/<int:pk>/historik/sammenlign/", staff.mandate_compare, name="mandate_compare"),
    path(
        "arbejde/kommissorier/<int:pk>/historik/<int:history_id>/gendan/",
        staff.mandate_restore_view,
        name="mandate_restore",
    ),
]
