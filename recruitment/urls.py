from django.urls import path

from .views import public, staff

app_name = "recruitment"

urlpatterns = [
    path("opslag/", public.call_list, name="calls"),
    path("opslag/privatliv/", public.privacy, name="privacy"),
    path("opslag/<int:pk>/", public.call_detail, name="call"),
    path("opslag/<int:pk>/ansoeg/", public.apply, name="apply"),
    path("opslag/<int:pk>/kvittering/", public.receipt, name="receipt"),
    path("ansoegning/<str:token>/", public.status, name="status"),
    path("ansoegning/<str:token>/data.json", public.export, name="export"),
    path("ansoegning/<str:token>/traek-tilbage/", public.withdraw, name="withdraw"),
    path("ansoegning/<str:token>/slet/", public.delete_data, name="delete"),
    path("arbejde/udvalg/<slug:slug>/rekruttering/", staff.recruitment_overview, name="overview"),
    path("arbejde/udvalg/<slug:slug>/opslag/nyt/", staff.call_create, name="call_create"),
    path("arbejde/udvalg/<slug:slug>/fordeling/", staff.allocation, name="allocation"),
    path("arbejde/udvalg/<slug:slug>/fordeling/ny-lodtraekning/", staff.lot_redraw, name="lot_redraw"),
    path("arbejde/udvalg/<slug:slug>/udpegning/", staff.appoint, name="appoint"),
    path("arbejde/udvalg/<slug:slug>/medlemmer/<int:membership_pk>/udtraeden/", staff.vacancy, name="vacancy"),
    path("arbejde/opslag/<int:pk>/", staff.review, name="review"),
    path("arbejde/opslag/<int:pk>/udvaelgelse/", staff.selection, name="selection"),
    path("arbejde/opslag/<int:pk>/udvaelgelse/traek/", staff.selection_draw_panel, name="selection_draw"),
    path("arbejde/opslag/<int:pk>/udvaelgelse/ny-lodtraekning/", staff.selection_redraw_panel, name="selection_redraw"),
    path("arbejde/opslag/<int:pk>/ansoegninger/<int:application_pk>/", staff.application_detail, name="application"),
]
