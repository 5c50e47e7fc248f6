from django.urls import path

from ratsinfo.members import views_more

urlpatterns = [
    path("einstellungen/", views_more.settings_page, name="settings"),
    path("einstellungen/kalender/neu/", views_more.feed_renew, name="feed_renew"),
    path("einstellungen/kalender/sperren/", views_more.feed_revoke, name="feed_revoke"),
    path("kalender/<str:token>.ics", views_more.feed, name="feed"),
    path("antraege/", views_more.motion_list, name="motions"),
    path("antraege/<id:pk>/", views_more.motion_detail, name="motion"),
    path("antraege/<id:pk>/<str:action>/", views_more.motion_action, name="motion_action"),
]
