from __future__ import annotations

from django import forms

from ratsinfo.accounts.models import AuditKind

CHANGE_KIND = "change"  # rows of simple-history (Vorlagen, Sitzungen, TOPs, Dateien)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
    )


class AuditFilterForm(forms.Form):
    art = forms.ChoiceField(
        label="Art", required=False, choices=[("", "alle"), *AuditKind.choices, (CHANGE_KIND, "Änderung an Daten")]
    )
    konto = forms.CharField(label="Konto", required=False, max_length=150)
    von = forms.DateField(label="von", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    bis = forms.DateField(label="bis", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # Keyset cursor "<microseconds since epoch>-<source>-<id>" of the last row shown.
    aeltere = forms.RegexField(required=False, regex=r"^\d{1,18}-\d-\d{1,18}$", max_length=40)
