from django.urls import path

from . import views

app_name = "oparl"

urlpatterns = [
    path("oparl/v1.1/", views.system, name="system"),
    path("oparl/v1.1/bodies/", views.bodies, name="bodies"),
    path("oparl/v1.1/body/<int:body_pk>/<str:name>/", views.list_view, name="list"),
    path("oparl/v1.1/<slug:oparl_type>/<str:key>/", views.object_view, name="object"),
    path("aabne-data/", views.about, name="about"),
]
