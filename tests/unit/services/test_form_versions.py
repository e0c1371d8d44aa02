"""The worker's forms include the versions picked up from the centre: new interviews start with
the highest current one, and every interview keeps the version it was started with for ever."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.domain.document import interview_from_dict
from intake_app.domain.registry import OpenedInterview
from intake_app.services.form_versions import FormVersion
from intake_app.services.sync_runner import SyncRunner
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams, Vault
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.sync.format.form_package import FormState
from tests.helpers.bundles import CentreKeys
from tests.helpers.form_share import FormShare, new_version

PASSPHRASE = "several words for the forms test"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[WorkerService, FormShare]]:
    centre = CentreKeys.make(tmp_path)
    assert centre.profile_path is not None
    profile = read_profile_file(centre.profile_path)
    worker = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM)
    try:
        worker.create_vault(PASSPHRASE).result(timeout=60)

        def enrol(vault: Vault) -> None:
            ensure_device_schema(vault)
            accept_profile(vault, profile, device_name="Laptop 7", worker="W-12")

        worker.run(enrol).result(timeout=30)
        yield worker, FormShare(centre, centre.share)
    finally:
        worker.shutdown()


def _round(worker: WorkerService) -> None:
    runner = SyncRunner(worker, lambda _status: None)
    try:
        future = runner.check(now=True)
        assert future is not None
        future.result(timeout=60)
    finally:
        runner.close()
    worker.run(lambda _vault: None).result(timeout=30)  # the forms read again behind it


def _start(worker: WorkerService) -> dict[str, object]:
    """A new interview, saved as a draft (as the editor does on the first change)."""
    document = worker.forms.new_interview().to_dict()
    worker.save_draft(document).result(timeout=30)
    return document


def _opens_with(worker: WorkerService, document: dict[str, object]) -> str:
    opened = worker.forms.open(worker.open_interview(str(document["id"])))
    assert isinstance(opened, OpenedInterview) and opened.exact
    return opened.form.version


def test_new_interviews_use_the_new_version_and_old_drafts_keep_theirs(service) -> None:  # type: ignore[no-untyped-def]
    worker, forms = service
    old = _start(worker)
    assert old["form_version"] == "2026.2"  # the newest shipped version
    forms.publish(new_version("2026.3"))
    _round(worker)
    new = _start(worker)
    assert new["form_version"] == "2026.3"
    assert _opens_with(worker, old) == "2026.2" and _opens_with(worker, new) == "2026.3"
    # After a lock and an unlock the vault's versions are known again before anything opens.
    worker.lock()
    worker.unlock(PASSPHRASE).result(timeout=60)
    assert worker.forms.new_interview().form_version == "2026.3"
    assert _opens_with(worker, old) == "2026.2" and _opens_with(worker, new) == "2026.3"
    # Retired at the centre: new interviews go back to the newest current one, and an
    # interview started on the retired version still opens on it.
    forms.set_state("intake-fi", "2026.3", FormState.RETIRED)
    _round(worker)
    assert worker.forms.new_interview().form_version == "2026.2"
    assert _opens_with(worker, new) == "2026.3"


def test_a_locked_vault_forgets_its_versions(service) -> None:  # type: ignore[no-untyped-def]
    worker, forms = service
    forms.publish(new_version("2026.3"))
    _round(worker)
    assert worker.forms.registry.get("intake-fi", "2026.3") is not None
    worker.lock()
    assert worker.forms.registry.get("intake-fi", "2026.3") is None
    assert worker.forms.new_interview().form_version == "2026.2"


def test_the_versions_listed_say_state_source_and_which_starts_new_interviews(service) -> None:  # type: ignore[no-untyped-def]
    worker, forms = service
    listed = worker.form_versions().result(timeout=30)
    assert listed.checked is None
    assert [(v.version, v.state, v.source, v.new_interviews) for v in listed.versions] == [
        ("2026.1", "current", "shipped", False),
        ("2026.2", "current", "shipped", True),
    ]
    forms.publish(new_version("2026.3"))
    forms.publish(new_version("2026.4", label="Alias, version 4"), FormState.RETIRED)
    _round(worker)
    listed = worker.form_versions().result(timeout=30)
    assert listed.checked is not None
    assert listed.versions[2:] == (
        FormVersion("intake-fi", "2026.3", "current", "share", listed.checked, True),
        FormVersion("intake-fi", "2026.4", "retired", "share", listed.checked, False),
    )
    assert not listed.versions[1].new_interviews


def test_an_interview_of_a_version_never_received_still_opens_read_only(service) -> None:  # type: ignore[no-untyped-def]
    worker, _forms = service
    document = worker.forms.new_interview().to_dict()
    document["form_version"] = "2026.9"  # made elsewhere, on a version this laptop lacks
    opened = worker.forms.open(document)
    assert not isinstance(opened, OpenedInterview)
    assert interview_from_dict(document).form_version == "2026.9"
