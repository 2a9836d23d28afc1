from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("netvaerk/tilmeld/", views.signup, name="signup"),
    path("netvaerk/tak/", views.requested, name="requested"),
    path("netvaerk/privatliv/", views.privacy, name="privacy"),
    path("netvaerk/bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("netvaerk/bliv-medlem/<str:token>/", views.join, name="join"),
    path("netvaerk/fra-ansoegning/<str:token>/", views.join_from_application, name="join_from_application"),
    path("netvaerk/medlem/<str:token>/", views.manage, name="manage"),
    path("netvaerk/medlem/<str:token>/forny/", views.renew, name="renew"),
    path("netvaerk/medlem/<str:token>/eksport/", views.export, name="export"),
    path("netvaerk/medlem/<str:token>/slet/", views.delete, name="delete"),
    path("netvaerk/medlem/<str:token>/invitationer/<int:invitation_pk>/afslaa/", views.decline, name="decline"),
    path("arbejde/netvaerk/", views.staff_search, name="staff_search"),
    path("arbejde/netvaerk/inviter/", views.staff_invite, name="staff_invite"),
]
