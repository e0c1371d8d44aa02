"""Where a finished interview stands with the centre, for the banner over it in the editor:
delivered, waiting to be sent, or refused (read from the list's summaries and the refusals)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from intake_app.errors import KnownError
from intake_app.services.worker import WorkerService
from intake_app.ui.editor.finished_banner import DELIVERED, REFUSED, WAITING


def finished_state(service: WorkerService, summaries: Iterable[Any], record_id: str) -> str | None:
    """DELIVERED, WAITING or REFUSED for a finished interview; None when it has unfinished
    changes (a draft made before finished interviews opened read-only): those open to edit."""
    summary = next((s for s in summaries if s.id == record_id), None)
    try:
        if summary is None:  # not in the list shown (a search): read the list again
            summary = next((s for s in service.interviews() if s.id == record_id), None)
        refused = service.refused_interviews()
    except KnownError:
        return WAITING
    if summary is not None and getattr(summary, "has_draft", False):
        return None
    if record_id in refused:
        return REFUSED
    return DELIVERED if summary is not None and summary.delivered else WAITING
