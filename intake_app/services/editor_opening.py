"""What the editor needs to open an interview, read in one go on the vault thread, so that the
window never waits for the disk: the document (its draft when there is one, or a new empty
interview), where the worker left it, the side-by-side second language, who records (for the
answers a new interview starts with), its attached files and, for a finished interview, where
it stands with the centre. Qt-free.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from intake_app.errors import KnownError
from intake_app.services.editor_memory import (
    EditorPlace,
    SecondLanguage,
    place_in,
    second_language_in,
)
from intake_app.services.interview_defaults import Enrolled, enrolled_in

if TYPE_CHECKING:
    from intake_app.services.worker import WorkerService
    from intake_app.storage import Vault


@dataclass(frozen=True)
class Standing:
    """A finished interview with the centre: changes not finished yet (a draft), delivered,
    refused at its newest revision."""

    has_draft: bool = False
    delivered: bool = False
    refused: bool = False


@dataclass(frozen=True)
class EditorStart:
    """Everything the editor opens with. `standing` is None unless the interview is finished
    and where it stands could be read."""

    document: dict[str, Any]
    new: bool
    place: EditorPlace | None = None
    second: SecondLanguage = field(default_factory=SecondLanguage)
    enrolled: Enrolled = field(default_factory=Enrolled)
    standing: Standing | None = None
    attachments: tuple[Any, ...] = ()  # AttachmentInfo, of an interview in the vault


def read_for_editor(
    service: WorkerService, record_id: str | None, summary: Any | None = None
) -> Future[EditorStart]:
    """Queue the reads for opening `record_id` (None: a new interview) in the editor.
    `summary` is the list's summary of it when the list shows it (saves reading the list)."""

    def read(vault: Vault) -> EditorStart:
        if record_id is None:
            document = service.forms.new_interview().to_dict()
        else:
            document = service.open_interview(record_id)  # on this thread: runs inline
        standing = None
        if record_id is not None and document.get("status") == "final":
            standing = _standing(service, record_id, summary)
        return EditorStart(
            document,
            record_id is None,
            None if record_id is None else place_in(vault, record_id),
            second_language_in(vault),
            enrolled_in(vault),
            standing,
            () if record_id is None else _attachments(service, record_id),
        )

    return service.run(read)


def _attachments(service: WorkerService, record_id: str) -> tuple[Any, ...]:
    try:
        return tuple(service.attachments(record_id))
    except KnownError:  # a draft never saved has nothing in the vault yet
        return ()


def _standing(service: WorkerService, record_id: str, summary: Any | None) -> Standing | None:
    try:
        if summary is None:  # not in the list shown (a search): read the list again
            summary = next((s for s in service.interviews() if s.id == record_id), None)
        refused = record_id in service.refused_interviews()
    except KnownError:
        return None
    return Standing(
        has_draft=bool(getattr(summary, "has_draft", False)),
        delivered=summary is not None and bool(summary.delivered),
        refused=refused,
    )
