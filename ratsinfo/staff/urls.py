from django.urls import include, path

from ratsinfo.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("vorlagen/", include("ratsinfo.staff.urls_papers")),
    path("", include("ratsinfo.staff.urls_meetings")),
    path("stammdaten/", include("ratsinfo.staff.urls_masterdata")),
    path("wahlperiode/", include("ratsinfo.staff.urls_term")),
]
