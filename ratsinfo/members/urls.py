from django.urls import include, path

from ratsinfo.members import views, views_mappe

app_name = "members"
urlpatterns = [
    path("", views.start, name="start"),
    path("sitzungen/<id:pk>/", views.meeting, name="meeting"),
    path("sitzungen/<id:pk>/rueckmeldung/", views.reply, name="reply"),
    path("sitzungen/<id:pk>/mappe/", views_mappe.mappe, name="mappe"),
    path("sitzungen/<id:pk>/mappe.pdf", views_mappe.mappe_pdf, name="mappe_pdf"),
    path("sitzungen/<id:pk>/mappe.zip", views_mappe.mappe_zip, name="mappe_zip"),
    path("notizen/", views.note, name="note"),
    path("notizen/export.md", views.notes_export, name="notes_export"),
    path("", include("ratsinfo.members.urls_more")),
    path("", include("ratsinfo.members.urls_alerts")),
]
