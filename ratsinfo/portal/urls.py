from django.urls import path

from ratsinfo.portal import feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sitzungen/", views.meeting_list, name="meetings"),
    path("sitzungen/<id:pk>/", views.meeting_detail, name="meeting"),
    path("sitzungen/<id:pk>/sitzung.ics", feeds.ical_meeting, name="meeting_ical"),
    path("vorlagen/", views.paper_list, name="papers"),
    path("vorlagen/<slug:slug>/", views.paper_detail, name="paper"),
    path("gremien/", views.organization_list, name="organizations"),
    path("gremien/<slug:slug>/", views.organization_detail, name="organization"),
    path("personen/", views.person_list, name="persons"),
    path("personen/<slug:slug>/", views.person_detail, name="person"),
    path("personen/<slug:slug>/foto", views.person_photo, name="person_photo"),
    # Several Gemeinden in one installation: each one's start page and lists (the detail pages stay above).
    path("gemeinden/", views.gemeinde_list, name="gemeinden"),
    path("gemeinden/<slug:slug>/", views.gemeinde_pages(views.home), name="gemeinde_home"),
    path("gemeinden/<slug:slug>/sitzungen/", views.gemeinde_pages(views.meeting_list), name="gemeinde_meetings"),
    path("gemeinden/<slug:slug>/vorlagen/", views.gemeinde_pages(views.paper_list), name="gemeinde_papers"),
    path("gemeinden/<slug:slug>/gremien/", views.gemeinde_pages(views.organization_list), name="gemeinde_organizations"),
    path("gemeinden/<slug:slug>/personen/", views.gemeinde_pages(views.person_list), name="gemeinde_persons"),
    path("suche/", views.search, name="search"),
    path("dateien/<id:pk>/", views.file_download, name="file"),
    path("ical/", feeds.subscriptions, name="subscriptions"),
    path("ical/sitzungen.ics", feeds.ical_all, name="ical"),
    path("ical/gremien/<slug:slug>.ics", feeds.ical_organization, name="ical_organization"),
    path("feeds/vorlagen.rss", feeds.PaperFeed(), name="feed_papers"),
    path("feeds/vorlagen.atom", feeds.PaperAtomFeed(), name="feed_papers_atom"),
    path("feeds/beschluesse.rss", feeds.DecisionFeed(), name="feed_decisions"),
    path("feeds/beschluesse.atom", feeds.DecisionAtomFeed(), name="feed_decisions_atom"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("impressum/", views.legal_page, {"kind": "impressum"}, name="imprint"),
    path("datenschutz/", views.legal_page, {"kind": "datenschutz"}, name="privacy"),
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", views.LogoutView.as_view(), name="logout"),
    # Password reset by e-mail: Django's own views with German pages.
    path("passwort-vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path("passwort-vergessen/gesendet/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("passwort-neu/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("passwort-neu/fertig/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
