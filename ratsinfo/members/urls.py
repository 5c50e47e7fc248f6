from django.urls import path

from ratsinfo.members import views

app_name = "members"
urlpatterns = [
    path("", views.start, name="start"),
]
