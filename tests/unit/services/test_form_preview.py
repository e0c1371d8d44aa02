"""A form preview's service: it opens its one form's empty, finished interview, and refuses every
read and write (there is no vault, and no vault thread)."""

from __future__ import annotations

import pytest

from intake_app.domain.registry import OpenedInterview
from intake_app.errors import KnownError
from intake_app.services.editor_memory import second_language_in
from intake_app.services.form_preview import FormPreview, PreviewSavesNothing
from tests.helpers.centre import REGISTRY


def test_a_preview_opens_its_form_and_can_save_nothing() -> None:
    [form] = REGISTRY.forms()
    preview = FormPreview(form)
    document = preview.document()
    opened = preview.forms.open(document)
    assert isinstance(opened, OpenedInterview)
    assert opened.form is form and opened.interview.status == "final"
    assert opened.interview.answers == {}
    assert not preview.vault_exists()

    with pytest.raises(PreviewSavesNothing):
        preview.save_draft(document).result(timeout=5)
    for write in (
        lambda: preview.queue_revision(document).result(timeout=5),
        lambda: preview.queue_discard_draft(document["id"]).result(timeout=5),
        lambda: preview.attachments(document["id"]),
        lambda: preview.queue_delete(document["id"], "test").result(timeout=5),
        lambda: preview.queue_attachment_removal(document["id"], "0" * 64).result(timeout=5),
    ):
        with pytest.raises(PreviewSavesNothing):
            write()
    for started in (preview.create_vault("a passphrase"), preview.unlock("a passphrase")):
        with pytest.raises(KnownError):
            started.result(timeout=5)
    with pytest.raises(PreviewSavesNothing):  # the editor's reads find nothing
        preview.run(second_language_in).result(timeout=5)
    assert preview._thread.closed  # no thread was left running
