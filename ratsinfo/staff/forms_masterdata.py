"""Forms of the master-data screens (/verwaltung/stammdaten/): every GET and POST parameter passes one of these.
They check shapes and ranges; the rules (overlaps, deputies, short names) are `bodies.masterdata`'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from ratsinfo.bodies.masterdata import (
    PLACES,
    FixedItemChange,
    GremiumFields,
    LocationFields,
    MasterDataError,
    MembershipFields,
    PersonFields,
    RulesFields,
)
from ratsinfo.bodies.models import (
    GROUP_KINDS,
    LegislativeTerm,
    Location,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.lib.forms import IdField, ModelChoiceField, ModelMultipleChoiceField, QueryForm
from ratsinfo.meetings.models import Signatory
from ratsinfo.staff.forms_papers import DATE_WIDGET

TRI_STATE = [("", "nach NKomVG"), ("ja", "ja"), ("nein", "nein")]


def show_error(form: forms.Form, error: MasterDataError) -> None:
    """Put a refused change's German message at its field (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _tri(value: str) -> bool | None:
    return {"ja": True, "nein": False}.get(value)


def _tri_initial(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nein")


def gremien() -> QuerySet[Organization]:
    return Organization.objects.alive().order_by("name", "pk")


class EditsForm(forms.Form):
    """A create-or-edit form: editing requires the version the screen showed (optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = editing


class TermFilterForm(QueryForm):
    wahlperiode = IdField(label="Wahlperiode")


class GremiumForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    name = forms.CharField(label="Name", max_length=300)
    short_name = forms.CharField(label="Kurzname", max_length=100, required=False,
                                 help_text="eindeutig je Gemeinde und Wahlperiode, z. B. VA, JOS")
    kind = forms.ChoiceField(label="Art", choices=OrganizationKind.choices)
    parent = ModelChoiceField(label="übergeordnet", queryset=Organization.objects.none(), required=False,
                              help_text="z. B. der Rat eines Ausschusses oder der Fachbereich einer Verwaltungseinheit")
    term = ModelChoiceField(label="Wahlperiode", queryset=LegislativeTerm.objects.none(), required=False,
                            help_text="setzt Beginn und Ende, wenn diese leer sind")
    start_date = forms.DateField(label="Beginn (gegründet)", required=False, widget=DATE_WIDGET)
    end_date = forms.DateField(label="Ende (aufgelöst)", required=False, widget=DATE_WIDGET)
    predecessor = ModelChoiceField(label="fortgeführt aus (Vorgänger der letzten Wahlperiode)",
                                   queryset=Organization.objects.none(), required=False)
    meetings_public = forms.BooleanField(label="Sitzungen grundsätzlich öffentlich", required=False, initial=True,
                                         help_text="Der Verwaltungsausschuss tagt nie öffentlich (§ 78 NKomVG).")
    council_members_listen = forms.ChoiceField(label="Ratsmitglieder sehen den nichtöffentlichen Teil", choices=TRI_STATE,
                                               required=False, help_text="nach NKomVG: nur beim Verwaltungsausschuss ja")
    extra_audiences = ModelMultipleChoiceField(
        label="weitere Gremien, deren Mitglieder den nichtöffentlichen Teil sehen", queryset=Organization.objects.none(),
        required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    former_member_access_days = forms.IntegerField(
        label="Einsicht ehemaliger Mitglieder (Tage)", min_value=0, max_value=3650, initial=0,
        help_text="So viele Tage nach dem Ende der Mitgliedschaft sieht ein ehemaliges Mitglied noch den nichtöffentlichen Teil.",
    )
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    location = ModelChoiceField(label="Sitzungsort (üblich)", queryset=Location.objects.none(), required=False)

    def __init__(self, *args: Any, organization: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = organization is not None  # an edit names the state it started from
        others = gremien().exclude(pk=organization.pk) if organization else gremien()
        for name in ("parent", "predecessor", "extra_audiences"):
            self.fields[name].queryset = others  # type: ignore[attr-defined]
        self.fields["term"].queryset = LegislativeTerm.objects.alive()  # type: ignore[attr-defined]
        self.fields["location"].queryset = Location.objects.alive().order_by("description", "pk")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        term = data.get("term")
        if term is not None:
            data["start_date"] = data.get("start_date") or term.start_date
            data["end_date"] = data.get("end_date") or term.end_date
        return data

    def fields_value(self) -> GremiumFields:
        d = self.cleaned_data
        return GremiumFields(
            name=d["name"], short_name=d["short_name"], kind=d["kind"], parent=d["parent"], start_date=d["start_date"],
            end_date=d["end_date"], predecessor=d["predecessor"], meetings_public=d["meetings_public"],
            council_members_listen=_tri(d["council_members_listen"]), extra_audiences=tuple(d["extra_audiences"]),
            former_member_access_days=d["former_member_access_days"], website=d["website"], location=d["location"],
        )

    @staticmethod
    def initial_of(organization: Organization, version: int, term: LegislativeTerm | None) -> dict[str, Any]:
        initial = {name: getattr(organization, name) for name in (
            "name", "short_name", "kind", "parent", "start_date", "end_date", "predecessor", "meetings_public",
            "former_member_access_days", "website", "location")}
        initial.update(version=version, term=term, council_members_listen=_tri_initial(organization.council_members_listen),
                       extra_audiences=list(organization.extra_audiences.all()))
        return initial


class RulesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    invitation_period_days = forms.IntegerField(label="Ladungsfrist (Tage)", min_value=1, max_value=60, initial=7,
                                                help_text="§ 59 NKomVG: die Geschäftsordnung bestimmt sie, üblich eine Woche")
    signatory = forms.ChoiceField(label="Unterschrift der Einladung", required=False,
                                  choices=[("", "nach Art des Gremiums"), *Signatory.choices])
    signatory_name = forms.CharField(label="Name der/des Einladenden", max_length=200, required=False)
    statutory_members = forms.IntegerField(label="gesetzliche Mitgliederzahl", min_value=1, max_value=500, required=False,
                                           help_text="leer: aus den stimmberechtigten Mitgliedschaften")
    hybrid_allowed = forms.BooleanField(label="Teilnahme per Video erlaubt (Hauptsatzung)", required=False)
    nkomvg_checks = forms.ChoiceField(label="NKomVG-Prüfungen (Ladungsfrist, Beschlussfähigkeit, § 41, Mehrheiten)",
                                      choices=[("", "nach Art des Gremiums"), ("ja", "ein"), ("nein", "aus")], required=False)

    def fields_value(self) -> RulesFields:
        d = self.cleaned_data
        return RulesFields(
            invitation_period_days=d["invitation_period_days"], signatory=d["signatory"], signatory_name=d["signatory_name"],
            statutory_members=d["statutory_members"], hybrid_allowed=d["hybrid_allowed"], nkomvg_checks=_tri(d["nkomvg_checks"]),
        )


class FixedItemAddForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    name = forms.CharField(label="Bezeichnung des festen Punkts", max_length=300)
    public = forms.ChoiceField(label="Teil", choices=[("oe", "Ö – öffentlich"), ("n", "N – nichtöffentlich")])
    place = forms.ChoiceField(label="Stelle", choices=list(PLACES.items()))

    def change(self) -> FixedItemChange:
        d = self.cleaned_data
        return FixedItemChange("add", name=d["name"], public=d["public"] == "oe", place=d["place"])


class FixedItemMoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    action = forms.ChoiceField(choices=[("up", "nach oben"), ("down", "nach unten"), ("remove", "entfernen"),
                                        ("reset", "Standard")])
    index = forms.IntegerField(min_value=0, max_value=200, required=False)

    def change(self) -> FixedItemChange:
        return FixedItemChange(self.cleaned_data["action"], index=self.cleaned_data["index"])


class PersonFilterForm(QueryForm):
    name = forms.CharField(label="Name enthält", max_length=100, required=False)
    nach = IdField(label="weiter nach", minimum=1)


class PersonForm(EditsForm):
    form_of_address = forms.CharField(label="Anrede", max_length=50, required=False)
    titles = forms.CharField(label="Titel", max_length=200, required=False, help_text="mehrere durch Komma getrennt, z. B. Dr.")
    given_name = forms.CharField(label="Vorname", max_length=150, required=False)
    family_name = forms.CharField(label="Familienname", max_length=150)
    affix = forms.CharField(label="Namenszusatz", max_length=100, required=False)
    name = forms.CharField(label="Angezeigter Name", max_length=300, required=False,
                           help_text="leer: aus Titel, Vor- und Familienname")
    gender = forms.CharField(label="Geschlecht", max_length=20, required=False)
    electoral_area = forms.CharField(label="Wahlbereich", max_length=200, required=False)
    life = forms.CharField(label="Lebenslauf", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    life_source = forms.CharField(label="Quelle des Lebenslaufs", max_length=300, required=False)
    public_contact = forms.CharField(label="Kontakt zur Veröffentlichung", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}), help_text="E-Mail, Telefon oder Anschrift")
    contact_consent = forms.BooleanField(label="Zustimmung zur Veröffentlichung des Kontakts liegt vor", required=False)
    photo = forms.FileField(label="Foto (PNG oder JPG)", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}))
    remove_photo = forms.BooleanField(label="vorhandenes Foto entfernen", required=False)
    photo_alt = forms.CharField(label="Bildbeschreibung des Fotos", max_length=300, required=False)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and not str(photo.name).lower().endswith((".png", ".jpg", ".jpeg")):
            raise forms.ValidationError("Bitte ein Foto als PNG oder JPG hochladen.")
        if photo and photo.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Das Foto ist größer als 5 MB.")
        return photo

    def fields_value(self) -> PersonFields:
        d = self.cleaned_data
        return PersonFields(
            family_name=d["family_name"], given_name=d["given_name"], name=d["name"], form_of_address=d["form_of_address"],
            affix=d["affix"], titles=tuple(t for t in d["titles"].split(",")), gender=d["gender"],
            electoral_area=d["electoral_area"], life=d["life"], life_source=d["life_source"],
            public_contact=d["public_contact"], contact_consent=d["contact_consent"], photo=d["photo"] or None,
            remove_photo=d["remove_photo"], photo_alt=d["photo_alt"],
        )

    @staticmethod
    def initial_of(person: Person, version: int) -> dict[str, Any]:
        initial = {name: getattr(person, name) for name in (
            "form_of_address", "given_name", "family_name", "affix", "name", "gender", "electoral_area", "life",
            "life_source", "public_contact", "contact_consent", "photo_alt")}
        initial.update(version=version, titles=", ".join(person.titles or []))
        return initial


class MembershipForm(EditsForm):
    """A Mitgliedschaft; on a Gremium's page the person is chosen, on a person's page the Gremium."""

    person = ModelChoiceField(label="Person", queryset=Person.objects.none())
    organization = ModelChoiceField(label="Gremium", queryset=Organization.objects.none())
    role = forms.CharField(label="Rolle", max_length=200, initial="Mitglied", help_text="z. B. Mitglied, Vorsitz, stellv. Vorsitz")
    voting_right = forms.BooleanField(label="stimmberechtigt", required=False, initial=True)
    deputy = forms.BooleanField(label="stellvertretendes Mitglied (vertritt Mitglieder der Fraktion/Gruppe)", required=False)
    on_behalf_of = ModelChoiceField(label="für Fraktion/Gruppe", queryset=Organization.objects.none(), required=False)
    start_date = forms.DateField(label="von", required=False, widget=DATE_WIDGET)
    end_date = forms.DateField(label="bis", required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, person: Person | None = None, organization: Organization | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.alive().order_by("family_name", "name", "pk")  # type: ignore[attr-defined]
        self.fields["organization"].queryset = gremien()  # type: ignore[attr-defined]
        self.fields["on_behalf_of"].queryset = gremien().filter(kind__in=GROUP_KINDS)  # type: ignore[attr-defined]
        # The fixed side of the page is not a choice: it is given and shown in the heading.
        for name, fixed in (("person", person), ("organization", organization)):
            if fixed is not None:
                self.fields[name].widget = forms.HiddenInput()
                self.fields[name].initial = fixed.pk

    def fields_value(self) -> MembershipFields:
        d = self.cleaned_data
        return MembershipFields(
            person=d["person"], organization=d["organization"], role=d["role"], voting_right=d["voting_right"],
            deputy=d["deputy"], on_behalf_of=d["on_behalf_of"], start_date=d["start_date"], end_date=d["end_date"],
        )


class EndMembershipForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    end_date = forms.DateField(label="Mitgliedschaft endet am", widget=DATE_WIDGET)


class LocationForm(EditsForm):
    description = forms.CharField(label="Beschreibung", max_length=500, required=False, help_text="z. B. Rathaus, Ratssaal")
    room = forms.CharField(label="Raum", max_length=200, required=False)
    street_address = forms.CharField(label="Straße und Hausnummer", max_length=200, required=False)
    postal_code = forms.RegexField(label="Postleitzahl", regex=r"^\d{5}$", required=False,
                                   error_messages={"invalid": "Eine Postleitzahl hat fünf Ziffern."})
    locality = forms.CharField(label="Ort", max_length=200, required=False)
    sub_locality = forms.CharField(label="Ortsteil", max_length=200, required=False)
    latitude = forms.FloatField(label="Breite (Grad, z. B. 52.9436)", min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(label="Länge (Grad, z. B. 8.2576)", min_value=-180, max_value=180, required=False)

    def fields_value(self) -> LocationFields:
        d = self.cleaned_data
        return LocationFields(
            description=d["description"], street_address=d["street_address"], room=d["room"], postal_code=d["postal_code"],
            sub_locality=d["sub_locality"], locality=d["locality"], latitude=d["latitude"], longitude=d["longitude"],
        )
