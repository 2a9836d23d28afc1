from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluering/<str:token>/", views.answer, name="answer"),
    path("arbejde/evaluering/", views.survey_list, name="list"),
    path("arbejde/evaluering/resultater/", views.results_across, name="across"),
    path("arbejde/evaluering/resultater.csv", views.results_across_csv, name="across_csv"),
    path("arbejde/evaluering/<int:pk>/", views.survey_detail, name="detail"),
    path("arbejde/evaluering/<int:pk>/send/", views.survey_send, name="send"),
    path("arbejde/evaluering/<int:pk>/paamind/", views.survey_remind, name="remind"),
    path("arbejde/evaluering/<int:pk>/offentliggoer/", views.survey_publish, name="publish"),
    path("arbejde/evaluering/<int:pk>/resultater.csv", views.survey_csv, name="csv"),
]
