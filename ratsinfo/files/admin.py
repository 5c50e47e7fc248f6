from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.bodies.admin_access import AudienceAdminMixin
from ratsinfo.files import services
from ratsinfo.files.models import File


class FileAdminForm(forms.ModelForm):
    """Uploads go through the upload service (type from the content, size limit, stored by checksum)."""

    upload = forms.FileField(label="Inhalt hochladen", required=False)
    public_upload = forms.FileField(
        label="Geschwärzte öffentliche Fassung hochladen", required=False,
        help_text="Die Öffentlichkeit und OParl sehen dann nur diese Fassung, das Original bleibt nichtöffentlich.",
    )

    class Meta:
        model = File
        fields = [
            "body", "name", "file_name", "date", "role", "order", "public", "paper", "meeting", "agenda_item",
            "license", "external_access_url", "text", "keywords", "source_url", "deleted",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file_name"].required = False  # taken from the upload when left empty

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is None and not (self.instance.pk and self.instance.content) and not data.get("external_access_url"):
            raise ValidationError("Bitte eine Datei hochladen.")
        for field in ("upload", "public_upload"):
            limit = services.max_upload_bytes()
            if data.get(field) is not None and data[field].size > limit:
                self.add_error(field, f"Die Datei ist zu groß (höchstens {limit // (1024 * 1024)} MB).")
        if data.get("upload") is not None and not data.get("file_name"):
            data["file_name"] = services.clean_file_name(data["upload"].name)
        return data


@admin.register(File)
class FileAdmin(AudienceAdminMixin, SimpleHistoryAdmin):
    form = FileAdminForm
    list_display = ["__str__", "file_name", "mime_type", "size", "public", "is_redacted_version", "role"]
    list_filter = ["public", "is_redacted_version", "role", "mime_type"]
    search_fields = ["name", "file_name"]
    raw_id_fields = ["paper", "meeting", "agenda_item"]
    readonly_fields = ["size", "sha512", "mime_type", "public_version", "is_redacted_version"]

    def save_model(self, request: HttpRequest, obj: File, form: Any, change: bool) -> None:
        upload = form.cleaned_data.get("upload")
        try:
            if upload is not None:
                services.attach_file(obj, upload, file_name=form.cleaned_data.get("file_name") or upload.name)
            else:
                super().save_model(request, obj, form, change)
            public_upload = form.cleaned_data.get("public_upload")
            if public_upload is not None:
                services.add_public_version(obj, public_upload)
        except services.FileError as exc:
            # The size was checked in clean(); what is left (empty file) is reported like a form error.
            self.message_user(request, str(exc), level="error")
