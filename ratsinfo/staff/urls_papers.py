"""/verwaltung/vorlagen/: the Vorlagen screens of the staff area."""

from django.urls import path

from ratsinfo.staff import views_papers as v

app_name = "papers"
urlpatterns = [
    path("", v.worklist, name="worklist"),
    path("neu/", v.new, name="new"),
    path("nummernkreise/", v.number_patterns, name="number_patterns"),
    path("antrag-erfassen/", v.enter_motion, name="enter_motion"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/bearbeiten/", v.edit, name="edit"),
    path("<int:pk>/beratungsfolge/", v.steps, name="steps"),
    path("<int:pk>/anlagen/", v.upload, name="upload"),
    path("<int:pk>/mitzeichnung/", v.send, name="send"),
    path("<int:pk>/mitzeichnen/", v.sign, name="sign"),
    path("<int:pk>/zurueckgeben/", v.give_back, name="give_back"),
    path("<int:pk>/freigeben/", v.release, name="release"),
    path("<int:pk>/zurueckziehen/", v.withdraw, name="withdraw"),
    path("<int:pk>/ergaenzung/", v.follow_up, name="follow_up"),
    path("<int:pk>/eingang/", v.receive, name="receive"),
]
