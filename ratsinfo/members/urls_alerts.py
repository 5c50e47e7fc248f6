from django.urls import path

from ratsinfo.members import views_alerts

urlpatterns = [
    path("suchauftraege/", views_alerts.alert_list, name="alerts"),
    path("suchauftraege/<id:pk>/abbestellen/", views_alerts.alert_remove, name="alert_remove"),
]
