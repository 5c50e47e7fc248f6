"""Legal texts of the demo Gemeinde (a real installation writes its own in the admin)."""

from __future__ import annotations

from datetime import date

from ratsinfo.bodies.models import Body
from ratsinfo.portal.models import LegalPage, LegalPageKind

DEMO_NOTE = "Demo-Text: Jede Gemeinde trägt hier ihren eigenen Text ein (Verwaltungsoberfläche, „Rechtstexte“)."


def build_legal_demo(body: Body) -> None:
    LegalPage.objects.update_or_create(kind=LegalPageKind.IMPRESSUM, defaults={"made_on": date(2024, 1, 15), "text": (
        f"{body.name}\nvertreten durch den Bürgermeister\nMarkt 1\n26197 Großenkneten\n\n"
        "Telefon: 04435 600-0\nE-Mail: info@grossenkneten.de\n\n"
        "Die Gemeinde ist eine Körperschaft des öffentlichen Rechts.\n"
        "Umsatzsteuer-Identifikationsnummer: wird auf Anfrage genannt.\n\n"
        "Verantwortlich für den Inhalt: der Sitzungsdienst der Gemeinde, Anschrift wie oben.\n\n" + DEMO_NOTE
    )})
    LegalPage.objects.update_or_create(kind=LegalPageKind.DATENSCHUTZ, defaults={"made_on": date(2024, 1, 15), "text": (
        "Verantwortlich im Sinne der Datenschutz-Grundverordnung (DSGVO) ist die Gemeinde Großenkneten, "
        "Markt 1, 26197 Großenkneten. Die oder den Datenschutzbeauftragten erreichen Sie unter datenschutz@grossenkneten.de.\n\n"
        "Beim Aufruf dieser Seiten verarbeitet der Server die IP-Adresse, Datum und Uhrzeit, die aufgerufene Seite "
        "und den Browser, um die Seiten auszuliefern und ihre Sicherheit zu gewährleisten (Art. 6 Abs. 1 lit. e DSGVO). "
        "Es werden keine Cookies zu Werbe- oder Analysezwecken gesetzt; ein Sitzungs-Cookie gibt es nur nach der Anmeldung.\n\n"
        "Karten werden erst geladen, wenn Sie „Karte anzeigen“ wählen; dann wird Ihre IP-Adresse an den Kartenserver "
        "übermittelt.\n\n"
        "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und Widerspruch "
        "sowie das Recht auf Beschwerde bei der Landesbeauftragten für den Datenschutz Niedersachsen.\n\n" + DEMO_NOTE
    )})
    LegalPage.objects.update_or_create(
        kind=LegalPageKind.BARRIEREFREIHEIT, defaults={"made_on": date(2024, 1, 15), "reviewed_on": date(2026, 11, 2)},
    )


def build_profiles_demo(body: Body) -> None:
    """Wahlbereich for the council's members; a published contact only where the person agreed."""
    from ratsinfo.bodies.models import Membership, OrganizationKind, Person

    council = Membership.objects.filter(organization__body=body, organization__kind=OrganizationKind.RAT)
    for i, person_id in enumerate(sorted(set(council.values_list("person_id", flat=True)))):
        area = "Wahlbereich I (Großenkneten, Huntlosen)" if i % 2 == 0 else "Wahlbereich II (Ahlhorn, Sage)"
        Person.objects.filter(pk=person_id).update(electoral_area=area)
    Person.objects.filter(body=body, family_name="Vosteen").update(
        public_contact="maren.vosteen@rat.grossenkneten.example", contact_consent=True)
    # Given, but not agreed to publish: never shown.
    Person.objects.filter(body=body, family_name="Grotelüschen").update(public_contact="0171 0000000", contact_consent=False)
