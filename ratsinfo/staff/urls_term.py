"""/verwaltung/wahlperiode/: the change of Wahlperiode (included from staff/urls.py)."""

from django.urls import path

from ratsinfo.staff import views_term as v

urlpatterns = [
    path("", v.term_index, name="term_index"),
    path("<id:pk>/", v.term_detail, name="term"),
    path("<id:pk>/rat/", v.term_council, name="term_council"),
    path("<id:pk>/gremien/", v.term_gremien, name="term_gremien"),
    path("<id:pk>/sitze/", v.term_seats, name="term_seats"),
    path("<id:pk>/sitze/<id:plan_pk>/", v.term_plan, name="term_plan"),
    path("<id:pk>/konstituierende-sitzung/", v.term_session, name="term_session"),
    path("<id:pk>/konten/", v.term_accounts, name="term_accounts"),
]
