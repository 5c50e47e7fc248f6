"""/verwaltung/vorlagen/: the Vorlagen screens of the staff area."""

from django.urls import path

from ratsinfo.staff import views_papers as v

app_name = "papers"
urlpatterns = [
    path("", v.worklist, name="worklist"),
    path("neu/", v.new, name="new"),
    path("nummernkreise/", v.number_patterns, name="number_patterns"),
    path("antrag-erfassen/", v.enter_motion, name="enter_motion"),
    path("<id:pk>/", v.detail, name="detail"),
    path("<id:pk>/bearbeiten/", v.edit, name="edit"),
    path("<id:pk>/beratungsfolge/", v.steps, name="steps"),
    path("<id:pk>/anlagen/", v.upload, name="upload"),
    path("<id:pk>/mitzeichnung/", v.send, name="send"),
    path("<id:pk>/mitzeichnen/", v.sign, name="sign"),
    path("<id:pk>/zurueckgeben/", v.give_back, name="give_back"),
    path("<id:pk>/freigeben/", v.release, name="release"),
    path("<id:pk>/zurueckziehen/", v.withdraw, name="withdraw"),
    path("<id:pk>/ergaenzung/", v.follow_up, name="follow_up"),
    path("<id:pk>/eingang/", v.receive, name="receive"),
]
