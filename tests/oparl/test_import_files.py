"""`oparl-import --with-files`: the bytes of each file are copied and checked, their text extracted in the
background; files a server answers with an HTML page are marked failed with the reason, and the import goes on."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from ratsinfo.files.models import File
from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportOptions, ImportResult, run_import
from ratsinfo.oparl.models import FileFetch
from tests.oparl.test_import_support import FixtureServer, town_routes

FAST = ClientConfig(retries=1, backoff=0.01, timeout=5, connections=3)


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (Helvetica), with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


PDF = tiny_pdf("Bebauungsplan Nr. 12 Ahlhorn")
HTML = "<!DOCTYPE html><html><body>Sitzung abgelaufen</body></html>"


def town_with_files() -> dict[str, Any]:
    routes = town_routes(papers=4, per_page=10)
    papers = routes["/oparl/body/1/paper"]["json"]["data"]
    # paper 1: size and checksum given and right; 2: HTML with 200; 3: HTML with 404;
    # 4: no size, no checksum; the meeting's minutes: the same bytes as paper 1 under another URL
    papers[0]["mainFile"] |= {"size": len(PDF), "sha512Checksum": hashlib.sha512(PDF).hexdigest()}
    papers[3]["mainFile"].pop("size")
    routes["/oparl/file/1/access"] = {"raw": PDF.decode("latin-1"), "content_type": "application/pdf"}
    routes["/oparl/file/2/access"] = {"raw": HTML, "content_type": "text/html"}
    routes["/oparl/file/3/access"] = {"raw": HTML, "content_type": "text/html", "status": 404}
    routes["/oparl/file/4/access"] = {"raw": PDF.decode("latin-1"), "content_type": "application/pdf"}
    routes["/oparl/file/900/access"] = {"raw": PDF.decode("latin-1"), "content_type": "application/pdf"}
    return routes


def import_with_files(url: str, **kwargs: Any) -> ImportResult:
    return run_import(ImportOptions(url=url, client=FAST, progress=False, with_files=True, **kwargs))


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def file_of(paper: int) -> File:
    return File.objects.get(source_url__endswith=f"/oparl/file/{paper}")


def test_file_bytes_are_copied_checked_and_their_text_extracted(
        db: Any, media: None, django_capture_on_commit_callbacks: Any) -> None:
    with FixtureServer(town_with_files()) as server, django_capture_on_commit_callbacks(execute=True):
        result = import_with_files(server.url("/oparl/"))
    assert result.complete
    main = file_of(1)
    assert main.content.read() == PDF
    assert main.size == len(PDF) and main.sha512 == hashlib.sha512(PDF).hexdigest()
    assert main.text == "Bebauungsplan Nr. 12 Ahlhorn"  # extracted by the queued task
    assert main.oparl_fetch.state == FileFetch.State.DONE
    # no size or checksum from the server: those of the bytes are stored
    assert file_of(4).size == len(PDF) and file_of(4).sha512 == main.sha512
    minutes = file_of(900)
    assert minutes.content.read() == PDF and minutes.text == main.text
    # an HTML page instead of the file, with 200 or 404: failed with the reason, the rest goes on
    assert not file_of(2).content and file_of(2).oparl_fetch.state == FileFetch.State.FAILED
    assert file_of(2).oparl_fetch.reason == "HTML-Seite statt Datei (Status 200)"
    assert file_of(3).oparl_fetch.reason == "HTTP 404"
    assert result.files == "Dateien: 2 fehlgeschlagen, 3 geladen"


def test_a_re_run_downloads_nothing_again_and_writes_no_history(
        db: Any, media: None, django_capture_on_commit_callbacks: Any) -> None:
    with FixtureServer(town_with_files()) as server, django_capture_on_commit_callbacks(execute=True):
        import_with_files(server.url("/oparl/"))
        history = File.history.count()
        server.hits.clear()
        again = import_with_files(server.url("/oparl/"), full=True)
        downloads = [hit for hit in server.hits if hit.endswith("/access")]
    # only the two failed files are asked for again; the stored ones keep their size and checksum
    assert sorted(downloads) == ["/oparl/file/2/access", "/oparl/file/3/access"]
    assert again.stats.counts["File"]["geändert"] == 0 and File.history.count() == history
    assert file_of(2).oparl_fetch.attempts == 2


def test_a_file_that_failed_for_a_while_is_fetched_by_the_next_run(
        db: Any, media: None, django_capture_on_commit_callbacks: Any) -> None:
    routes = town_with_files()
    good = routes["/oparl/file/4/access"]
    routes["/oparl/file/4/access"] = {"status": 500, "json": {}}
    with FixtureServer(routes) as server, django_capture_on_commit_callbacks(execute=True):
        import_with_files(server.url("/oparl/"))
        assert file_of(4).oparl_fetch.reason == "HTTP 500" and not file_of(4).content
        server.routes["/oparl/file/4/access"] = good
        server.hits.clear()
        import_with_files(server.url("/oparl/"))
        assert "/oparl/file/1/access" not in server.hits
    assert file_of(4).content.read() == PDF and file_of(4).oparl_fetch.state == FileFetch.State.DONE


def test_without_the_flag_files_stay_links(db: Any, media: None) -> None:
    with FixtureServer(town_with_files()) as server:
        run_import(ImportOptions(url=server.url("/oparl/"), client=FAST, progress=False))
        assert not [hit for hit in server.hits if hit.endswith("/access")]
    assert not FileFetch.objects.exists() and not file_of(1).content
