"""Unlock benchmark: from the passphrase to a usable list, minus the KDF, by attachment size.

One laptop vault with 1,000 interviews (`--quick`: 100) is measured with 0, 200 MiB (one
recording) and 1 GiB (that recording and 824 photos of 1 MiB) of attachments (`--quick`:
0, 20 and 100 MiB):

- unlock: `Vault.unlock` (read vault.json, Argon2id, open and check the database, the
  attachment sweep) and `interviews.list()`;
- KDF: Argon2id alone with the vault's own parameters and salt (`derive_key`), measured in the
  same run, interleaved with the unlocks.

Each case runs in a fresh child process (imports untimed); the best of `--runs` is kept.
Printed: unlock - KDF (target <= 0.5 s at 1 GiB; it must not grow with the attachments) and
each case's peak RSS over the timed part (VmHWM).

Run: `.venv/bin/python bench/bench_unlock.py [--quick] [--runs 5]`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bundle_kit as kit

from intake_app.storage import KdfParams, Vault
from intake_app.storage.kdf import derive_key, normalize_secret
from intake_app.storage.keyfile import VaultFile
from intake_app.storage.vault import VAULT_FILE


def unlock(folder: Path) -> dict[str, Any]:
    with kit.Peak() as peak:
        vault = Vault.unlock(folder, kit.PASSPHRASE)
        listed = len(vault.interviews.list())
    vault.lock()
    return peak.report(listed=listed)


def kdf(folder: Path) -> dict[str, Any]:
    slot = VaultFile.parse((folder / VAULT_FILE).read_bytes()).passphrase
    with kit.Peak() as peak:
        derive_key(normalize_secret(kit.PASSPHRASE), slot.salt, slot.params)
    return peak.report()


CASES = {"kdf": kdf, "unlock": unlock}


def main() -> None:
    args = kit.common_arguments(__doc__.splitlines()[0]).parse_args()
    if args.child:
        kit.child_main(CASES, *args.child)
        return
    scale = 10 if args.quick else 1
    stages = [("0", ()), (f"{200 // scale} MiB", (200 * kit.MiB // scale,)),
              (f"{1024 // scale} MiB", (kit.MiB,) * (824 // scale))]
    lines = []
    with kit.work_folder("unlock") as work:
        folder = work / "vault"
        vault, _code = Vault.create(folder, kit.PASSPHRASE, kdf=KdfParams.MINIMUM)
        try:
            kit.fill_vault(vault, 1000 // scale, ())
            ids = [summary.id for summary in vault.interviews.list()]
        finally:
            vault.lock()
        held = 0
        for label, sizes in stages:
            vault = Vault.unlock(folder, kit.PASSPHRASE)
            try:
                kit.add_attachments(vault, ids, sizes)
            finally:
                vault.lock()
            held += sum(sizes)
            results = kit.run_cases(__file__, [("kdf", folder, None), ("unlock", folder, None)],
                                    args.runs)
            bare, ours = kit.best(results["kdf"]), kit.best(results["unlock"])
            files = len(list((folder / "attachments").glob("*.age"))) if held else 0
            lines.append(
                f"unlock with {label:>8} of attachments ({files:4d} files, {len(ids)} interviews):"
                f" unlock {ours:6.3f} s, KDF {bare:6.3f} s, unlock - KDF {ours - bare:6.3f} s "
                f"(target <= 0.5)  peak RSS unlock {kit.peak(results['unlock']):.0f} MiB, "
                f"KDF {kit.peak(results['kdf']):.0f} MiB")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
