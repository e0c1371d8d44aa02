"""The command line end to end: real vaults in temporary folders, secrets on standard input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASS = "correct horse battery staple"
EXAMPLE = ROOT / "docs" / "document-format.md"


def run(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, INTAKE_KDF="minimum", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "intake_app", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def example_document() -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("```json") + len("```json")
    return text[start : text.index("```", start)]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    data = tmp_path / "cli-data"
    done = run(data, "init", stdin=PASS + "\n")
    assert done.returncode == 0, done.stderr
    return data


def test_init_prints_a_recovery_code_once_and_refuses_a_second_vault(vault: Path) -> None:
    again = run(vault, "init", stdin=PASS + "\n")
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert run(vault, "has-vault").returncode == 0


def test_add_list_show_search_and_check(vault: Path) -> None:
    added = run(vault, "record", "add", "-", stdin=PASS + "\n" + example_document())
    assert added.returncode == 0, added.stderr
    record_id = json.loads(added.stdout)["id"]

    listed = run(vault, "record", "list", "--json", stdin=PASS + "\n")
    assert [row["id"] for row in json.loads(listed.stdout)] == [record_id]

    shown = run(vault, "record", "show", record_id, stdin=PASS + "\n")
    assert json.loads(shown.stdout)["id"] == record_id

    document = json.loads(shown.stdout)
    word = document["answers"]["alias"].split()[0]
    found = run(vault, "record", "search", word, "--json", stdin=PASS + "\n")
    assert [row["id"] for row in json.loads(found.stdout)] == [record_id]

    checked = run(vault, "vault", "check", "--json", stdin=PASS + "\n")
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"] is True


def test_invalid_document_is_refused_with_a_clear_message(vault: Path) -> None:
    document = json.loads(example_document())
    document["answers"]["consent_interview"] = "maybe"
    refused = run(vault, "record", "add", "-", stdin=PASS + "\n" + json.dumps(document))
    assert refused.returncode == 2
    assert "could not be saved" in refused.stderr
    listed = run(vault, "record", "list", "--json", stdin=PASS + "\n")
    assert json.loads(listed.stdout) == []


def test_not_json_and_wrong_passphrase_are_known_errors(vault: Path) -> None:
    not_json = run(vault, "record", "add", "-", stdin=PASS + "\n{not json")
    assert not_json.returncode == 2 and "Traceback" not in not_json.stderr
    wrong = run(vault, "record", "list", stdin="wrong passphrase here\n")
    assert wrong.returncode == 2 and "passphrase is not correct" in wrong.stderr


def test_passphrase_change(vault: Path) -> None:
    new = "a different long passphrase"
    changed = run(vault, "passphrase", "change", stdin=f"{PASS}\n{new}\n")
    assert changed.returncode == 0, changed.stderr
    assert run(vault, "record", "list", stdin=PASS + "\n").returncode == 2
    assert run(vault, "record", "list", stdin=new + "\n").returncode == 0
