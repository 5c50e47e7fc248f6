"""Operational state (not domain data): when each worker was last seen alive."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written every few seconds by `ratsinfo worker`; stale after a kill -9 or a hang.

    No history: it changes every few seconds and holds nothing anyone decided.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    started = models.DateTimeField()
    seen = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "Lebenszeichen eines Workers"
        verbose_name_plural = "Lebenszeichen der Worker"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.seen:%d.%m.%Y %H:%M:%S})"
