from django.urls import path

from ratsinfo.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("vorlagen/", views.paper_list, name="papers"),
    path("vorlagen/<slug:slug>/", views.paper_detail, name="paper"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("gremien/<slug:slug>/", views.organization_detail, name="organization"),
    path("personen/<slug:slug>/", views.person_detail, name="person"),
]
