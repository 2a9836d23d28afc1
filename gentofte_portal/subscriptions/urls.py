from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("abonnement/", views.subscribe, name="subscribe"),
    path("abonnement/tak/", views.requested, name="requested"),
    path("abonnement/privatliv/", views.privacy, name="privacy"),
    path("abonnement/bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("abonnement/afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("abonnement/<str:token>/", views.manage, name="manage"),
    path("abonnement/<str:token>/eksport/", views.export, name="export"),
    path("abonnement/<str:token>/slet/", views.delete, name="delete"),
]
