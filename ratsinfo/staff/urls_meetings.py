"""/verwaltung/sitzungen/: the Sitzungsdienst's screens (included from staff/urls.py)."""

from django.urls import path

from ratsinfo.staff import views_meetings as v

urlpatterns = [
    path("sitzungen/", v.meeting_list, name="meetings"),
    path("sitzungen/beschlusskontrolle/", v.control_list, name="meeting_control"),
    path("sitzungen/beschlusskontrolle/<int:pk>/", v.control_update, name="meeting_control_update"),
    path("sitzungen/sitzungsgeld/", v.allowance_list, name="meeting_allowance"),
    path("sitzungen/<int:pk>/", v.meeting_detail, name="meeting"),
    path("sitzungen/<int:pk>/verlegen/", v.meeting_move, name="meeting_move"),
    path("sitzungen/<int:pk>/absagen/", v.meeting_cancel, name="meeting_cancel"),
    path("sitzungen/<int:pk>/tagesordnung/vorlagen/", v.agenda_compose, name="meeting_compose"),
    path("sitzungen/<int:pk>/tagesordnung/punkt/", v.agenda_add, name="meeting_add_item"),
    path("sitzungen/<int:pk>/tagesordnung/aendern/", v.agenda_item_action, name="meeting_item_action"),
    path("sitzungen/<int:pk>/einladung/", v.meeting_invite, name="meeting_invite"),
    path("sitzungen/<int:pk>/protokoll/", v.meeting_record, name="meeting_record"),
    path("sitzungen/<int:pk>/protokoll/anwesenheit/<int:person_pk>/", v.record_attendance, name="meeting_record_attendance"),
    path("sitzungen/<int:pk>/protokoll/beschlussfaehigkeit/", v.record_quorum, name="meeting_record_quorum"),
    path("sitzungen/<int:pk>/protokoll/top/<int:item_pk>/", v.record_item, name="meeting_record_item"),
    path("sitzungen/<int:pk>/protokoll/vertagen/", v.record_postpone, name="meeting_record_postpone"),
    path("sitzungen/<int:pk>/abschliessen/", v.meeting_close, name="meeting_close"),
    path("sitzungen/<int:pk>/niederschrift/<int:approved_pk>/veroeffentlichen/", v.minutes_publish, name="meeting_minutes_publish"),
    path("sitzungen/<int:pk>/bekanntgabe/", v.announce, name="meeting_announce"),
]
