from django.urls import path

from gentofte_portal.common.public_cache import public_page, shared_page

from .views import public, staff

app_name = "meetings"

urlpatterns = [
    path("moeder/", public.meeting_list, name="list"),
    path("moeder/<int:pk>/", public.meeting_detail, name="detail"),
    path("moeder/<int:pk>/bilag/<int:attachment_pk>/", public.attachment_download, name="attachment"),
    path("moeder/<int:pk>/dagsorden.pdf", public.meeting_pdf, {"kind": "dagsorden"}, name="agenda_pdf"),
    path("moeder/<int:pk>/referat.pdf", public.meeting_pdf, {"kind": "referat"}, name="minutes_pdf"),
    path(
        "moeder/<int:pk>/dagsorden/pdf-status/",
        public.meeting_pdf_status,
        {"kind": "dagsorden"},
        name="agenda_pdf_status",
    ),
    path(
        "moeder/<int:pk>/referat/pdf-status/", public.meeting_pdf_status, {"kind": "referat"}, name="minutes_pdf_status"
    ),
    path("udvalg/<slug:slug>/moeder.ics", public.committee_calendar, name="ics"),
    path("feeds/dagsordener-og-referater.atom", public_page(shared_page(public.DocumentsFeed())), name="feed"),
    path(
        "udvalg/<slug:slug>/feed.atom", public_page(shared_page(public.CommitteeDocumentsFeed())), name="committee_feed"
    ),
    path("leverancer/<int:pk>/fil/", public.deliverable_download, name="deliverable_file"),
    path("mine/", public.my_page, name="mine"),
    path("arbejde/moeder/", staff.meeting_list, name="staff_list"),
    path("arbejde/moeder/nyt/", staff.meeting_create_view, name="create"),
    path("arbejde/moeder/<int:pk>/", staff.agenda_builder, name="builder"),
    path("arbejde/moeder/<int:pk>/punkter/nyt/", staff.item_edit, name="item_add"),
    path("arbejde/moeder/<int:pk>/punkter/<int:item_pk>/", staff.item_edit, name="item_edit"),
    path("arbejde/moeder/<int:pk>/punkter/<int:item_pk>/flyt/", staff.item_move, name="item_move"),
    path("arbejde/moeder/<int:pk>/punkter/<int:item_pk>/slet/", staff.item_delete, name="item_delete"),
    path("arbejde/moeder/<int:pk>/punkter/<int:item_pk>/bilag/", staff.attachment_upload, name="attachment_upload"),
    path("arbejde/moeder/<int:pk>/bilag/<int:attachment_pk>/slet/", staff.attachment_remove, name="attachment_delete"),
    path("arbejde/moeder/<int:pk>/standardpunkt/", staff.standard_item, name="standard_item"),
    path("arbejde/moeder/<int:pk>/offentliggoer/", staff.publish_agenda, name="publish"),
    path("arbejde/moeder/<int:pk>/referat/", staff.minutes_edit, name="minutes"),
    path("arbejde/moeder/<int:pk>/referat/status/", staff.minutes_status, name="minutes_status"),
    path("arbejde/udvalg/<slug:slug>/leverancer/<int:deliverable_pk>/", staff.deliverable_edit, name="deliverable"),
]
