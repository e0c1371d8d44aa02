"""The command line end to end: real vaults in temporary folders, secrets on standard input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import close_log_handlers

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


# --- global options before or after the subcommand -------------------------------------------

COMMANDS = [
    ["demo"],
    ["has-vault"],
    ["record", "list"],
    ["record", "search", "word"],
    ["vault", "check"],
    ["device", "show"],
    ["sync"],
    ["centre", "devices"],
    ["centre", "export-csv", "--out", "x.csv"],
]


def _placed(command: list[str], where: str, options: list[str]) -> list[str]:
    if where == "before":
        return [*options, *command]
    if where == "between":  # after the command's first word, before its action
        return [command[0], *options, *command[1:]]
    return [*command, *options]


@pytest.mark.parametrize("where", ["before", "between", "after"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_global_options_are_taken_before_or_after_the_command(command: list[str],
                                                              where: str) -> None:
    from intake_app.cli import build_parser

    args = build_parser().parse_args(_placed(command, where, ["--data-dir", "X", "--lang", "FI"]))
    assert (args.data_dir, args.lang) == (Path("X"), "fi")
    plain = build_parser().parse_args(command)
    assert (plain.data_dir, plain.lang) == (None, None)
    assert plain.handler is args.handler


def test_the_value_after_the_command_wins() -> None:
    from intake_app.cli import build_parser

    args = build_parser().parse_args(["--data-dir", "A", "--lang", "sv", "centre", "--lang", "en",
                                      "devices", "--data-dir", "B", "--lang", "fi", "--json"])
    assert (args.data_dir, args.lang, args.json) == (Path("B"), "fi", True)


def test_an_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "intake_app", "record", "list", "--lang", "xx"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--lang: xx is not a language of Intake" in done.stderr


def test_data_dir_after_the_command_opens_that_vault(vault: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "intake_app", "record", "list", "--json", "--data-dir", str(vault)],
        input=PASS + "\n", capture_output=True, text=True, cwd=ROOT, timeout=120,
        env=dict(os.environ, INTAKE_KDF="minimum", PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_lang_after_the_command_gives_finnish_output(vault: Path) -> None:
    from intake_app.i18n import _, set_language

    set_language("fi")
    try:
        finnish = _("Database integrity: {state}", state=_("ok"))
    finally:
        set_language("en")
    assert finnish != "Database integrity: ok"
    checked = run(vault, "vault", "check", "--lang", "fi", stdin=PASS + "\n")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[0] == finnish


class _WindowStarted(BaseException):
    """Stops a window's start right after it chose its language (before the event loop)."""


WINDOWS = [["--lang", "ar"], ["demo", "--lang", "ar"], ["--lang", "ar", "demo"],
           ["centre", "window", "--lang", "ar"]]


@pytest.mark.parametrize("command", WINDOWS, ids=" ".join)
def test_lang_sets_the_window_s_language_for_this_run_only(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from intake_app.cli import main
    from intake_app.i18n import current_language
    from intake_app.ui import application
    from intake_app.ui.preferences import Preferences

    application.make_application()  # the settings live under the application's name
    Preferences().language = "sv"
    real_start = application.start_language
    chosen: list[str | None] = []

    def start(saved: str | None) -> str:
        chosen.append(saved)
        real_start(saved)
        raise _WindowStarted

    monkeypatch.setattr(application, "start_language", start)
    try:
        with pytest.raises(_WindowStarted):
            main(["--data-dir", str(tmp_path / "data"), *command])
    finally:
        close_log_handlers()
    assert chosen == ["ar"] and current_language() == "ar"
    assert Preferences().language == "sv"  # the saved choice stays as it was
