"""A real PDF behind every file record of the demo: Vorlagen, Anlagen, Einladungen, Niederschriften.

Called once at the end of the demo build. Documents come from the generators the application
itself uses (meetings.documents, papers.documents) and are stored through the upload service, so
the demo exercises the same path (type sniffing, checksum, storage) as an upload.
"""

from __future__ import annotations

from simple_history.utils import bulk_update_with_history

from ratsinfo.bodies.models import Body
from ratsinfo.files.models import File, FileRole
from ratsinfo.files.services import set_content, store_upload
from ratsinfo.meetings.documents import prefetch_for_documents, render_invitation, render_minutes
from ratsinfo.papers.documents import render_paper_file

MEMBERS_MINUTES = "Niederschrift (vollständig, mit nichtöffentlichem Teil)"


def attach_demo_documents(body: Body) -> int:
    """Generate and store the content of every file of `body` that has none; returns how many."""
    files = prefetch_for_documents(
        File.objects.filter(body=body, content="", external_access_url="", deleted=False)
        .select_related("body", "paper", "meeting__location")
        .order_by("pk"),
        prefix="meeting__",
    )
    done: list[File] = []
    for file in files:
        if file.meeting is not None and file.role == FileRole.INVITATION:
            data = render_invitation(file.meeting)
        elif file.meeting is not None and file.role == FileRole.RESULTS_PROTOCOL:
            data = render_minutes(file.meeting, "public" if file.public else "members")
            if not file.public:
                file.name = MEMBERS_MINUTES
        elif file.paper is not None:
            data = render_paper_file(file)
        else:
            continue
        set_content(file, store_upload(data), file.file_name)
        done.append(file)
    # One bulk write (with history) instead of a save per file: most of the cost otherwise.
    fields = ["content", "size", "sha512", "mime_type", "file_name", "name"]
    bulk_update_with_history(done, File, fields, batch_size=500, default_change_reason="Demo-Dokumente erzeugt")
    return len(done)
