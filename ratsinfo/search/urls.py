from django.urls import path

from ratsinfo.search import views

app_name = "search"
urlpatterns = [
    path("abo/", views.alert_subscribe, name="alert"),
    path("abo/bestaetigen/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("abo/abbestellen/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("feed/", views.SearchFeed(), name="feed"),
]
