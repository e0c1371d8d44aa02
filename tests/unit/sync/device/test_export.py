"""Export into the outbox: bundles per the spec, checked with the standard tools and the reader."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from intake_app.errors import NotFound
from intake_app.storage import Vault
from intake_app.sync.device import export as device_export
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.outbox import Outbox, OutboxState
from intake_app.sync.device.transport import copy_bundle, file_sha256
from intake_app.sync.errors import Outcome
from intake_app.sync.format import keys
from intake_app.sync.format.strict_json import dumps_canonical
from tests.helpers.bundles import needs_cli, payload_of, run
from tests.helpers.device import (
    Clock,
    change_interview,
    enrolled,
    manifest_of,
    random_bytes,
    save_interview,
)


def _copy_all(vault, folder: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True, exist_ok=True)
    return [copy_bundle(vault, b, folder) for b in Outbox(vault).bundles()]


@needs_cli
@pytest.mark.cli_tools
def test_bundle_verifies_with_minisign_and_decrypts_with_age(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    photo = random_bytes(300_000)
    first = save_interview(vault, attachment=photo, alias="Ä.")
    second = save_interview(vault)
    vault.interviews.delete(second, "consent-withdrawn")
    result = export_changes(vault)
    assert [b.seq for b in result.bundles] == [1]
    [bundle] = _copy_all(vault, tmp_path / "usb")
    assert bundle.name == f"{identity.device_id}-00000001.ibundle"

    work = tmp_path / "work"
    work.mkdir()
    unzipped = run("unzip", "-o", bundle, "payload.age", "payload.age.minisig", cwd=work)
    assert unzipped.returncode == 0
    checked = run("/usr/bin/minisign", "-Vm", work / "payload.age", "-P", identity.public_key)
    assert checked.returncode == 0, checked.stderr
    comment = checked.stdout.decode().split("Trusted comment: ", 1)[1].strip()
    identity_file = centre.identity_file(tmp_path)
    decrypted = run("/usr/bin/age", "-d", "-i", identity_file, "-o", work / "payload.zip",
                    work / "payload.age")
    assert decrypted.returncode == 0, decrypted.stderr

    with zipfile.ZipFile(work / "payload.zip") as payload:
        names = payload.namelist()
        manifest_bytes = payload.read("manifest.json")
        manifest = json.loads(manifest_bytes)
        assert names[0] == "manifest.json"
        assert comment == (f"intake-bundle v1 device={identity.device_id} seq=1 "
                           f"created={manifest['created']} "
                           f"manifest={hashlib.sha256(manifest_bytes).hexdigest()}")
        for entry in manifest["records"] + manifest["attachments"]:
            data = payload.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
        assert sorted(names) == sorted(["manifest.json"] + [e["path"] for e in
                                        manifest["records"] + manifest["attachments"]])
    assert [r["id"] for r in manifest["records"]] == [first]
    assert manifest["records"][0]["path"] == f"records/{first}.json"
    with zipfile.ZipFile(work / "payload.zip") as payload:
        stored = json.loads(payload.read(f"records/{first}.json"))
    assert stored == vault.interviews.get(first)  # the exact revision, byte for byte below
    assert payload_of(bundle, centre)[f"records/{first}.json"] == dumps_canonical(stored)
    assert manifest["attachments"][0]["sha256"] == hashlib.sha256(photo).hexdigest()
    assert manifest["deleted"] == [{"id": second, "revision": 2, "reason": "consent-withdrawn"}]
    assert manifest["centre_id"] == centre.profile.centre_id
    assert manifest["abandoned_seqs"] == []


def test_the_centre_reader_accepts_what_the_device_makes(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    for _ in range(3):
        save_interview(vault, attachment=random_bytes(50_000))
    export_changes(vault)
    [bundle] = _copy_all(vault, tmp_path / "usb")
    verdict = centre.check(bundle, identity.public_key, identity.device_id)
    assert verdict.outcome is Outcome.ACCEPTED, verdict.reason
    assert verdict.payload is not None
    assert len(verdict.payload.records) == 3
    verdict.payload.close()


def test_only_new_or_changed_revisions_are_exported_and_attachments_once(tmp_path: Path) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    photo = random_bytes(10_000)
    kept = save_interview(vault, attachment=photo)
    changed = save_interview(vault)
    assert [b.seq for b in export_changes(vault).bundles] == [1]
    # While bundle 1 waits for its receipt, nothing it carries is exported again.
    assert export_changes(vault).bundles == ()
    change_interview(vault, changed, alias="B.")
    [second] = export_changes(vault).bundles
    [path] = [p for p in _copy_all(vault, tmp_path / "usb") if p.name.endswith("2.ibundle")]
    manifest = manifest_of(path, centre)
    assert second.seq == 2
    assert [(r.id, r.revision) for r in manifest.records] == [(changed, 2)]
    assert manifest.attachments == ()  # the photo of `kept` went with bundle 1
    assert kept not in {r.id for r in manifest.records}


def test_size_cap_splits_into_consecutive_bundles_under_the_cap(tmp_path: Path) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    ids = [save_interview(vault, attachment=random_bytes(200_000)) for _ in range(5)]
    cap = 520_000
    result = export_changes(vault, max_size=cap)
    assert [b.seq for b in result.bundles] == list(range(1, len(result.bundles) + 1))
    assert len(result.bundles) >= 3
    paths = _copy_all(vault, tmp_path / "usb")
    carried: list[str] = []
    for path in paths:
        assert path.stat().st_size <= cap
        manifest = manifest_of(path, centre)
        carried += [r.id for r in manifest.records]
        # A record travels with its own attachments.
        assert {a.record_id for a in manifest.attachments} <= {r.id for r in manifest.records}
    assert sorted(carried) == sorted(ids)


def test_a_record_too_large_for_any_bundle_stays_and_the_rest_go(tmp_path: Path) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    big = save_interview(vault, attachment=random_bytes(400_000))
    small = save_interview(vault)
    result = export_changes(vault, max_size=200_000)
    assert result.skipped == (big,)
    [path] = _copy_all(vault, tmp_path / "usb")
    assert [r.id for r in manifest_of(path, centre).records] == [small]


def test_resend_is_byte_for_byte_from_the_outbox(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    save_interview(vault, attachment=random_bytes(2_500_000))  # several outbox chunks
    export_changes(vault)
    first = _copy_all(vault, tmp_path / "a")
    again = _copy_all(vault, tmp_path / "b")
    assert [file_sha256(p) for p in first] == [file_sha256(p) for p in again]
    outbox = Outbox(vault)
    assert first[0].read_bytes() == b"".join(outbox.chunks(outbox.get(1)))  # type: ignore[arg-type]


def test_abandoned_seq_is_reported_and_never_reused(tmp_path: Path) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    clock = Clock()
    outbox = Outbox(vault)
    # A crash after the seq was committed and before the bundle was stored:
    assert outbox.reserve("2026-11-28T16:00:00Z") == 1
    save_interview(vault)
    [bundle] = export_changes(vault, clock=clock).bundles
    assert bundle.seq == 2
    assert outbox.get(1) is not None and outbox.get(1).state is OutboxState.ABANDONED  # type: ignore[union-attr]
    [path] = _copy_all(vault, tmp_path / "usb")
    assert manifest_of(path, centre).abandoned_seqs == (1,)
    # Reported once it is in a waiting bundle; the next bundle does not repeat it.
    save_interview(vault)
    [third] = export_changes(vault, clock=clock).bundles
    [path3] = [p for p in _copy_all(vault, tmp_path / "usb2") if p.name.endswith("3.ibundle")]
    assert third.seq == 3 and manifest_of(path3, centre).abandoned_seqs == ()


def test_failed_export_abandons_its_seq(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    record = save_interview(vault, attachment=random_bytes(1000))
    sha = vault.interviews.attachments(record)[0].sha256
    original = device_export.write_bundle_to

    def attachment_removed_meanwhile(*args: Any, **kwargs: Any) -> Any:
        # The worker removes the attachment between planning and writing.
        vault.interviews.remove_attachment(record, sha)
        return original(*args, **kwargs)

    monkeypatch.setattr(device_export, "write_bundle_to", attachment_removed_meanwhile)
    with pytest.raises(NotFound):
        export_changes(vault)
    monkeypatch.undo()
    assert Outbox(vault).get(1).state is OutboxState.ABANDONED  # type: ignore[union-attr]
    assert _outbox_files(vault) == []  # the partial file went with the failure
    [bundle] = export_changes(vault).bundles
    [path] = _copy_all(vault, tmp_path / "usb")
    assert bundle.seq == 2
    manifest = manifest_of(path, centre)
    assert manifest.abandoned_seqs == (1,)
    assert [r.id for r in manifest.records] == [record]
    assert manifest.attachments == ()


def test_device_key_stays_inside_the_vault(tmp_path: Path) -> None:
    vault, _centre, identity = enrolled(tmp_path)
    save_interview(vault)
    export_changes(vault)
    with vault.transaction() as conn:
        secret = conn.execute("SELECT secret_key FROM device_identity").fetchone()[0]
    raw = keys.import_secret_key(secret.encode("ascii"), identity.public_key)
    assert raw is not None
    needle = secret.encode("ascii")[:40]
    vault.lock()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path


def test_a_file_attached_later_too_large_for_any_bundle_stays(tmp_path: Path) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    record = save_interview(vault)
    export_changes(vault, max_size=200_000)
    with vault.transaction() as conn:  # as if a receipt had come: the record went home
        conn.execute("UPDATE device_outbox SET state = 'delivered'")
    vault.interviews.add_attachment(record, io.BytesIO(random_bytes(300_000)), "video/mp4",
                                    "clip.mp4")
    other = save_interview(vault)
    result = export_changes(vault, max_size=200_000)
    assert result.skipped == (record,)
    [bundle] = result.bundles
    [path] = [p for p in _copy_all(vault, tmp_path / "usb") if p.name.endswith("2.ibundle")]
    assert [r.id for r in manifest_of(path, centre).records] == [other]
    assert bundle.seq == 2


def _outbox_files(vault: Vault) -> list[str]:
    """The outbox folder's files, but for the export lock file."""
    folder = Outbox(vault).files.folder
    names = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    return [name for name in names if name != ".export.lock"]


def test_stray_outbox_files_are_swept_and_stored_ones_kept(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    save_interview(vault)
    [first] = export_changes(vault).bundles
    folder = Outbox(vault).files.folder
    # What a crash can leave: a partial file, and a complete file whose row never got stored.
    (folder / f".{first.name}.partial").write_bytes(b"half")
    (folder / "0f0e0d0c-0000-4000-8000-000000000000-00000009.ibundle").write_bytes(b"x")
    save_interview(vault)
    [second] = export_changes(vault).bundles
    assert _outbox_files(vault) == sorted([first.name, second.name])  # type: ignore[type-var]


def test_a_version_1_outbox_is_moved_out_of_the_database(tmp_path: Path) -> None:
    from intake_app.storage import KdfParams
    from intake_app.sync.device.schema import COMPONENT, DEVICE_V1, ensure_device_schema

    vault, _code = Vault.create(tmp_path / "vault", "a passphrase for the test 2026",
                                kdf=KdfParams.MINIMUM)
    vault.ensure_schema(COMPONENT, [DEVICE_V1])
    pieces = [random_bytes(1 << 20), random_bytes(1 << 20), b"tail"]
    with vault.transaction() as conn:
        for seq, state in ((1, "ready"), (2, "delivered")):
            conn.execute("INSERT INTO device_outbox (seq, state, reserved, name, size) VALUES "
                         "(?, ?, 'x', ?, ?)", (seq, state, f"b-{seq}.ibundle",
                                               sum(map(len, pieces))))
            conn.executemany("INSERT INTO device_outbox_chunk (seq, n, data) VALUES (?, ?, ?)",
                             [(seq, n, piece) for n, piece in enumerate(pieces)])
    ensure_device_schema(vault)
    assert _outbox_files(vault) == ["b-1.ibundle"]  # the delivered one is not brought back
    outbox = Outbox(vault)
    assert b"".join(outbox.chunks(outbox.get(1))) == b"".join(pieces)  # type: ignore[arg-type]
    with vault.transaction() as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = "
                            "'device_outbox_chunk'").fetchone()[0] == 0


def test_exports_of_one_vault_take_turns_across_processes(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    from intake_app.sync.device.outbox import export_lock

    vault, _centre, _identity = enrolled(tmp_path)
    folder = Outbox(vault).files.folder
    with subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from pathlib import Path\n"
         "from intake_app.sync.device.outbox_files import OutboxFiles\n"
         "with OutboxFiles(Path(sys.argv[1])).exclusive():\n"
         "    print('held', flush=True)\n"
         "    time.sleep(1.5)\n",
         str(vault.folder)],
        stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parents[4], text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with export_lock(vault):
            waited = time.monotonic() - started
        assert waited > 0.5  # it waited for the other process to finish
        assert holder.wait(timeout=30) == 0
    # The lock file is not swept away as a stray file.
    save_interview(vault)
    export_changes(vault)
    assert (folder / ".export.lock").is_file()
