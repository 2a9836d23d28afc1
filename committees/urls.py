from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.home, name="home"),
    path("udvalg/", views.committee_list, name="list"),
    path("udvalg/<slug:slug>/", views.committee_detail, name="detail"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
]
