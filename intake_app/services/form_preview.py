"""A form shown at the centre in the worker's own editor, before or after publishing (issue 18).

The editor works through a `WorkerService`. A preview gives it `FormPreview`: a worker's
service that knows exactly the previewed form and has no vault and no vault thread. Every read
finds nothing and every write is refused with `PreviewSavesNothing`, so looking at a form can
never write anything anywhere. The interview shown is an empty one that exists only in memory:
finished, so that the editor opens it read-only, or a draft for trying the questions out (what
is typed stays on the screen). Qt-free.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from intake_app.domain.document import Status, new_interview
from intake_app.domain.form import Form
from intake_app.domain.registry import FormRegistry
from intake_app.errors import KnownError
from intake_app.i18n.core import N_
from intake_app.services.interviews import FormCatalogue
from intake_app.services.worker import WorkerService

if TYPE_CHECKING:
    from intake_app.storage import Vault

# Never opened: every way to the folder is refused below (a path that cannot hold a vault).
NO_FOLDER = Path(os.devnull)


class PreviewSavesNothing(KnownError):
    code = "form-preview"
    message = N_("This is a preview of the form: nothing can be saved in it.")


class FormPreview(WorkerService):
    """The editor's service for a preview: one form, no vault, nothing read or written."""

    def __init__(self, form: Form) -> None:
        super().__init__(NO_FOLDER, forms=FormCatalogue(FormRegistry([form])))
        self.form = form
        self.shutdown()  # no vault thread either: nothing can run for a preview

    def document(self, *, finished: bool = True) -> dict[str, Any]:
        """An empty interview made with the form, for the editor (never stored): finished, so
        that the editor shows it read-only, or a draft to try answering."""
        made = new_interview(self.form.id, self.form.version)
        status: Status = "final" if finished else "draft"
        return made.with_status(status).to_dict()

    def vault_exists(self) -> bool:
        return False

    def run(self, work: Callable[[Vault], Any]) -> Future[Any]:
        refused: Future[Any] = Future()
        refused.set_exception(PreviewSavesNothing())
        return refused

    def _call(self, work: Callable[[Vault], Any]) -> NoReturn:
        raise PreviewSavesNothing()

    def create_vault(self, passphrase: str) -> Future[str]:
        return self.run(lambda _vault: None)

    def unlock(self, passphrase: str) -> Future[None]:
        return self.run(lambda _vault: None)

    def unlock_with_recovery(self, recovery_code: str, new_passphrase: str) -> Future[None]:
        return self.run(lambda _vault: None)

    def change_passphrase(self, current: str, new: str) -> Future[None]:
        return self.run(lambda _vault: None)
