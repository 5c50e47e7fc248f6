from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.files.models import File


@admin.register(File)
class FileAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "file_name", "mime_type", "size", "public", "role"]
    list_filter = ["public", "role", "mime_type"]
    search_fields = ["name", "file_name"]
    raw_id_fields = ["paper", "meeting", "agenda_item"]
    readonly_fields = ["size", "sha512"]
