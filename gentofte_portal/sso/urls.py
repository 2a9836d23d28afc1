from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("log-ind/kommune/", views.SignInStartView.as_view(), name="start"),
    path("log-ind/kommune/retur/", views.SignInCallbackView.as_view(), name="callback"),
]
