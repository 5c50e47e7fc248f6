"""ratsinfo: Ratsinformationssystem für Gemeinden in Niedersachsen."""
