"""Texts each installation writes itself: Impressum, Datenschutzerklärung and the dates of the
Erklärung zur Barrierefreiheit. Edited in the admin (/verwaltung/admin/portal/legalpage/)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class LegalPageKind(models.TextChoices):
    IMPRESSUM = "impressum", "Impressum"
    DATENSCHUTZ = "datenschutz", "Datenschutzerklärung"
    BARRIEREFREIHEIT = "barrierefreiheit", "Erklärung zur Barrierefreiheit"


class LegalPage(models.Model):
    kind = models.CharField("Seite", max_length=30, choices=LegalPageKind.choices, unique=True)
    text = models.TextField(
        "Text", blank=True,
        help_text="Absätze durch eine Leerzeile trennen. Bei der Erklärung zur Barrierefreiheit: Ergänzungen zum Standardtext.",
    )
    made_on = models.DateField("erstellt am", null=True, blank=True)
    reviewed_on = models.DateField("zuletzt überprüft am", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Rechtstext"
        verbose_name_plural = "Rechtstexte (Impressum, Datenschutz, Barrierefreiheit)"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()
