"""The Sitzungsmappe of a small council: documents that are no PDF, the ZIP with its stamped entries."""

from __future__ import annotations

import io
import zipfile

from django.contrib.auth.models import User

from ratsinfo.files.models import File, FileRole
from ratsinfo.members.mappe import STAMP_TEXT
from tests.members.conftest import Council, logged_in
from tests.members.test_mappe import outline, page_texts


def test_a_document_that_is_no_pdf_goes_only_into_the_zip(member: User, council: Council) -> None:
    sheet = File(body=council.body, paper=council.secret_paper, role=FileRole.AUXILIARY, name="Kostenaufstellung",
                 file_name="kosten.csv", mime_type="text/csv", public=False)
    sheet.set_content(b"Posten;Betrag\nGrundstueck;412000\n")
    sheet.save()
    client = logged_in(member)
    pdf = client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/mappe.pdf").content
    texts = page_texts(pdf)
    assert "Kostenaufstellung (nur in der ZIP-Datei)" in texts[0].replace("\r\n", " ").replace("\n", " ")
    assert [title for depth, title in outline(pdf) if depth == 1] == [
        "Einladung", "Vorlage BV/0240/2021-2026", "Vorlage BV/0300/2021-2026"
    ]
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/mappe.zip").content))
    names = archive.namelist()
    assert len(names) == 4 and names[-1].endswith("kosten.csv")
    secret_pdf = archive.read(names[2])
    assert STAMP_TEXT in page_texts(secret_pdf)[0] and STAMP_TEXT not in page_texts(archive.read(names[1]))[0]
