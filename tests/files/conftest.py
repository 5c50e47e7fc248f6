"""A released Vorlage of Großenkneten to hang files on, and uploads through the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ratsinfo.bodies.models import Body
from ratsinfo.files.models import File, FileRole
from ratsinfo.files.services import attach_file
from ratsinfo.papers.models import Paper, PaperState, PaperType

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0123456789" * 300 + b"\n%%EOF\n"


@pytest.fixture
def vorlage(body: Body) -> Paper:
    return Paper.objects.create(
        body=body, name="Erstellung eines Integrationskonzeptes", reference="BV/0240/2021-2026",
        date=dt.date(2022, 9, 23), paper_type=PaperType.BESCHLUSSVORLAGE, state=PaperState.FREIGEGEBEN,
    )


def upload(paper: Paper, data: bytes, file_name: str, **fields: Any) -> File:
    """A file of the Vorlage uploaded as the Sitzungsdienst would (through the upload service)."""
    fields.setdefault("role", FileRole.AUXILIARY)
    return attach_file(File(body=paper.body, paper=paper, **fields), data, file_name=file_name)
