"""The work lists of the staff area: what waits for whom. Always within `visible_to(viewer)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ratsinfo.lib.access import Viewer
from ratsinfo.papers.models import Consultation, Cosignature, CosignatureState, Paper, PaperState

OPEN_COSIGNATURE = (CosignatureState.REQUESTED, CosignatureState.INVALIDATED)
LIST_LIMIT = 50


def editorial_deadline_days() -> int:
    """Redaktionsschluss: Vorlagen are due this many days before their meeting (Geschäftsordnung)."""
    return int(settings.RATSINFO_REDAKTIONSSCHLUSS_TAGE)


@dataclass(frozen=True)
class WorkList:
    key: str
    title: str
    papers: QuerySet[Paper]


def work_lists(viewer: Viewer, may_release: bool) -> list[WorkList]:
    visible = Paper.objects.visible_to(viewer).select_related("created_by").order_by("-modified")
    open_requests = Cosignature.objects.filter(paper=OuterRef("pk"), state__in=(*OPEN_COSIGNATURE, CosignatureState.RETURNED))
    mine_to_sign = Q(department__in=viewer.department_ids)
    if viewer.person_id is not None:
        mine_to_sign |= Q(person_id=viewer.person_id)
    to_sign = Cosignature.objects.filter(mine_to_sign, state__in=OPEN_COSIGNATURE).values("paper_id")
    deadline = timezone.now() + timedelta(days=editorial_deadline_days())
    due = Consultation.objects.filter(paper=OuterRef("pk"), deleted=False, meeting__start__lte=deadline)
    on_agenda = Consultation.objects.filter(paper=OuterRef("pk"), deleted=False, agenda_item__isnull=False)
    drafting = (PaperState.ENTWURF, PaperState.MITZEICHNUNG)
    released = visible.filter(state=PaperState.FREIGEGEBEN).filter(
        Exists(Consultation.objects.filter(paper=OuterRef("pk"), deleted=False))
    ).exclude(Exists(on_agenda))
    if not (viewer.sees_everything or viewer.sees_all_papers):
        released = released.filter(
            Q(created_by_id=viewer.user_id) | Q(under_direction_of__in=viewer.department_ids)
        ).distinct()
    lists = [
        WorkList("entwuerfe", "Meine Entwürfe", visible.filter(created_by_id=viewer.user_id, state__in=drafting)),
        WorkList("mitzeichnen", "Warten auf meine Mitzeichnung",
                 visible.filter(pk__in=to_sign, state=PaperState.MITZEICHNUNG).exclude(created_by_id=viewer.user_id)),
        WorkList("freigabe", "Warten auf Freigabe",
                 visible.filter(state=PaperState.MITZEICHNUNG).exclude(Exists(open_requests))) if may_release else None,
        WorkList("eingegangen", "Eingereichte Anträge und Anfragen", visible.filter(state=PaperState.EINGEREICHT))
        if viewer.sees_everything else None,
        WorkList("ohne-tagesordnung", "Freigegeben, noch auf keiner Tagesordnung", released),
        WorkList("ueberfaellig", f"Überfällig (Redaktionsschluss {editorial_deadline_days()} Tage vor der Sitzung)",
                 visible.filter(state__in=drafting).filter(Exists(due))),
    ]
    return [w for w in lists if w is not None]
