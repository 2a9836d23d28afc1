from django.urls import path

from .views import public, workspace

app_name = "committees"

urlpatterns = [
    path("udvalg/", public.committee_list, name="list"),
    path("udvalg/<slug:slug>/kommissorium/", public.mandate_public, name="mandate_public"),
    path("udvalg/<slug:slug>/kommissorium.pdf", public.mandate_pdf, name="mandate_pdf"),
    path("arbejde/", workspace.workspace, name="workspace"),
    path("arbejde/nyt-opgaveudvalg/", workspace.task_committee_propose_view, name="propose"),
    path("arbejde/kommissorier/<int:pk>/", workspace.mandate_detail, name="mandate_detail"),
    path("arbejde/kommissorier/<int:pk>/rediger/", workspace.mandate_edit, name="mandate_edit"),
    path(
        "arbejde/kommissorier/<int:pk>/status/<slug:name>/",
        workspace.mandate_transition_view,
        name="mandate_transition",
    ),
    path(
        "arbejde/kommissorier/<int:pk>/ny-revision/", workspace.mandate_new_revision_view, name="mandate_new_revision"
    ),
    path("arbejde/kommissorier/<int:pk>/kommentar/", workspace.mandate_comment_view, name="mandate_comment"),
    path("arbejde/kommissorier/<int:pk>/historik/", workspace.mandate_history, name="mandate_history"),
    path("arbejde/kommissorier/<int:pk>/historik/sammenlign/", workspace.mandate_compare, name="mandate_compare"),
    path(
        "arbejde/kommissorier/<int:pk>/historik/<int:history_id>/gendan/",
        workspace.mandate_restore_view,
        name="mandate_restore",
    ),
]
