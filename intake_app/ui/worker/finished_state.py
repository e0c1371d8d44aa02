"""Where a finished interview stands with the centre, for the banner over it in the editor:
delivered, waiting to be sent, or refused (read with the interview, from the list's summaries
and the refusals)."""

from __future__ import annotations

from intake_app.services.editor_opening import Standing
from intake_app.ui.editor.finished_banner import DELIVERED, REFUSED, WAITING


def finished_state(standing: Standing | None) -> str | None:
    """DELIVERED, WAITING or REFUSED for a finished interview (WAITING when it could not be
    read); None when it has unfinished changes (a draft made before finished interviews opened
    read-only): those open to edit."""
    if standing is None:
        return WAITING
    if standing.has_draft:
        return None
    if standing.refused:
        return REFUSED
    return DELIVERED if standing.delivered else WAITING
