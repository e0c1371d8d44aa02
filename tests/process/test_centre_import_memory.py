"""Importing a bundle costs memory that does not grow with the bundle: the payload is
decrypted as a stream and its attachments go straight into the centre's encrypted files.

The import runs in a child process of its own, which reports its resident memory before
the import and its peak during it (VmHWM, reset first; Linux)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.bundles import Laptop, attachment
from tests.helpers.centre import PASSPHRASE, make_centre, register, write_forms_folder
from tests.helpers.documents import make_document

REPO = Path(__file__).resolve().parents[2]
ATTACHMENT_BYTES = 200 * 1024 * 1024
ALLOWED_GROWTH_KIB = 64 * 1024

CHILD = """
import json, sys
from pathlib import Path
from intake_app.domain import registry
forms = Path(sys.argv[1])
registry.forms_dir = lambda: forms
from intake_app.sync.centre.vault import Centre
from intake_app.sync.centre.importer import import_bundle

def status(field):
    with open("/proc/self/status") as lines:
        for line in lines:
            if line.startswith(field + ":"):
                return int(line.split()[1])

centre = Centre.open(Path(sys.argv[2]), sys.stdin.readline().rstrip("\\n"))
before = status("VmRSS")
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # the peak so far (unlocking's Argon2id) does not count
result = import_bundle(centre, Path(sys.argv[3]))
peak = status("VmHWM")
centre.close()
print(json.dumps({"outcome": result.outcome.value, "before": before, "peak": peak}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's VmHWM")
def test_import_of_a_200_mb_attachment_stays_within_64_mb(tmp_path: Path) -> None:
    centre = make_centre(tmp_path)
    laptop = Laptop()
    register(centre, laptop)
    doc = make_document()
    carried = attachment(os.urandom(ATTACHMENT_BYTES), doc["id"], "audio/ogg")
    bundle = laptop.bundle(tmp_path / "out", centre, records=[doc], attachments=[carried]).path
    del carried
    centre.close()
    forms = write_forms_folder(tmp_path / "forms")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(forms), str(tmp_path / "centre-data"), str(bundle)],
        input=(PASSPHRASE + "\n").encode(), capture_output=True, env=env, timeout=600,
        check=False)
    assert child.returncode == 0, child.stderr.decode()
    report = json.loads(child.stdout.splitlines()[-1])
    assert report["outcome"] == "accepted"
    assert report["peak"] - report["before"] < ALLOWED_GROWTH_KIB, report
