from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("udvalg/<slug:slug>/", views.committee, name="committee"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
]
