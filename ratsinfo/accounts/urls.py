from django.urls import path

from ratsinfo.accounts import oidc, views

app_name = "accounts"
urlpatterns = [
    path("konto/zwei-faktor/", views.overview, name="overview"),
    path("konto/zwei-faktor/einrichten/", views.setup, name="setup"),
    path("konto/zwei-faktor/pruefen/", views.verify, name="verify"),
    path("konto/zwei-faktor/wiederherstellungscodes/", views.recovery_codes, name="recovery_codes"),
    path("konto/zwei-faktor/ausschalten/", views.disable, name="disable"),
    path("anmelden/sso/", oidc.start, name="sso_start"),
    path("anmelden/sso/rueckkehr/", oidc.callback, name="sso_callback"),
    path("verwaltung/protokoll/", views.audit_log, name="audit_log"),
]
