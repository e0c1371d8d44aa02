"""What the interview editor remembers per vault, kept inside the vault: where each interview
was left, and the side-by-side second language. Qt-free; the work runs on the vault thread
(the readers take the open vault: the editor reads them with the interview, in the background).

Remembering is a convenience: a read that fails finds nothing, and the window carries on.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from intake_app.errors import KnownError

if TYPE_CHECKING:
    from intake_app.services.worker import WorkerService
    from intake_app.storage import Vault

SECOND_LANGUAGE = "second_language"
SIDE_BY_SIDE = "side_by_side"


@dataclass(frozen=True)
class EditorPlace:
    """Where an interview was left: a section, and the question (with its repeat entry) when
    the cursor was in one."""

    section: str
    question: str | None = None
    item: int | None = None


@dataclass(frozen=True)
class SecondLanguage:
    """The side-by-side choice: the language picked (None: none yet) and whether it shows."""

    code: str | None = None
    shown: bool = False


def prepare(service: WorkerService) -> Future[Any]:
    """Make the tables now (after an unlock), so that the first save finds them."""
    from intake_app.storage import ensure_editor_state

    return service.run(ensure_editor_state)


def place_in(vault: Vault, record_id: str) -> EditorPlace | None:
    """On the vault thread: where the worker left `record_id`, or None (also when it cannot
    be read)."""
    from intake_app.storage import read_place

    try:
        found = read_place(vault, record_id)
    except KnownError:
        return None
    return None if found is None else EditorPlace(*found)


def remember_place(service: WorkerService, record_id: str, where: EditorPlace) -> Future[Any]:
    """Keep where the worker is in `record_id` (queued; typing never waits)."""
    from intake_app.storage import save_place

    kept = (where.section, where.question, where.item)
    return service.run(lambda vault: save_place(vault, record_id, kept))


def second_language_in(vault: Vault) -> SecondLanguage:
    """On the vault thread: the second language last chosen in this vault (none when it
    cannot be read)."""
    from intake_app.storage import read_choice

    try:
        return SecondLanguage(
            read_choice(vault, SECOND_LANGUAGE), read_choice(vault, SIDE_BY_SIDE) == "on"
        )
    except KnownError:
        return SecondLanguage()


def remember_second_language(service: WorkerService, choice: SecondLanguage) -> Future[Any]:
    """Keep the side-by-side choice for the next interview in this vault."""
    from intake_app.storage import save_choices

    choices = {SECOND_LANGUAGE: choice.code, SIDE_BY_SIDE: "on" if choice.shown else None}
    return service.run(lambda vault: save_choices(vault, choices))
