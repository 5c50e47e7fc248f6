from django.urls import include, path

from ratsinfo.members import views, views_mappe

app_name = "members"
urlpatterns = [
    path("", views.start, name="start"),
    path("sitzungen/<int:pk>/", views.meeting, name="meeting"),
    path("sitzungen/<int:pk>/rueckmeldung/", views.reply, name="reply"),
    path("sitzungen/<int:pk>/mappe/", views_mappe.mappe, name="mappe"),
    path("sitzungen/<int:pk>/mappe.pdf", views_mappe.mappe_pdf, name="mappe_pdf"),
    path("sitzungen/<int:pk>/mappe.zip", views_mappe.mappe_zip, name="mappe_zip"),
    path("notizen/", views.note, name="note"),
    path("notizen/export.md", views.notes_export, name="notes_export"),
    path("", include("ratsinfo.members.urls_more")),
]
