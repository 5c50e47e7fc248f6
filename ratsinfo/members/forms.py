"""Forms of Mein Ratsinfo: every POST is validated here (German labels and messages)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from ratsinfo.bodies.models import Organization
from ratsinfo.members.models import Answer, MemberSettings, MotionDraft


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label="Ihre Rückmeldung", choices=[(Answer.ZUSAGE, "zusagen"), (Answer.ABSAGE, "absagen")],
        widget=forms.RadioSelect, error_messages={"required": "Bitte wählen Sie „zusagen“ oder „absagen“."},
    )
    note = forms.CharField(label="Anmerkung (freiwillig)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Meine Notiz", max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Nur für Sie sichtbar. Leer speichern löscht die Notiz.",
    )
    paper = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    agenda_item = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if bool(data.get("paper")) == bool(data.get("agenda_item")):
            raise forms.ValidationError("Die Notiz gehört zu genau einer Vorlage oder einem Tagesordnungspunkt.")
        return data


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MemberSettings
        fields = ["notify_invitations", "notify_documents", "notify_papers", "digest", "followed"]
        widgets = {"followed": forms.CheckboxSelectMultiple}

    def __init__(self, *args: object, organizations: QuerySet[Organization] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["followed"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = organizations if organizations is not None else Organization.objects.none()
        field.required = False


class MotionForm(forms.ModelForm):
    class Meta:
        model = MotionDraft
        fields = ["kind", "group", "title", "text", "reasoning"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "reasoning": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": "Bitte geben Sie einen Betreff an."},
            "text": {"required": "Bitte geben Sie den Antrags- bzw. Fragetext an."},
            "group": {"required": "Bitte wählen Sie Ihre Fraktion oder Gruppe."},
        }

    def __init__(self, *args: object, groups: QuerySet[Organization] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = groups if groups is not None else Organization.objects.none()
