"""Issue 18, item 2: the Forms tab of the administrator's window with a real centre vault and
real workbooks (the XLSForm export, edited with openpyxl): problems listed with their sheet,
row and column and nothing kept; a good workbook imported under the next free version,
previewed read-only in the worker's editor (nothing written anywhere meanwhile), published to
the share, retired; the share written again after it could not be; accelerators, 1280×720,
right to left; screenshots with INTAKE_SCREENSHOTS=folder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from intake_app.domain.xlsform import form_workbook
from intake_app.i18n import LANGUAGE_CODES, set_language
from intake_app.services import centre_forms
from intake_app.services.centre import CentreService
from intake_app.sync.centre.form_drafts import shipped_definition
from intake_app.ui.admin import forms_tab
from intake_app.ui.admin.form_preview_dialog import FormPreviewDialog
from intake_app.ui.admin.forms_tab import FormsTab, next_version
from intake_app.ui.admin.window import AdminWindow
from intake_app.ui.application import apply_text_size
from intake_app.ui.editor import editor as editor_module
from intake_app.ui.editor.question_row import QuestionRow
from tests.gui.admin.test_keyboard import problems as unnamed
from tests.gui.admin.test_window import run, shown_window, unlock, window
from tests.gui.worker.test_accelerators import accelerator_clashes
from tests.helpers.centre import FORM, make_centre
from tests.unit.sync.centre.real_form import installed_forms

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")
__all__ = ["window"]  # the fixture

SCREEN = QSize(1280, 720)
WAIT = 30_000
ENGLISH = "label::English (en)"
FINNISH = "label::Finnish (fi)"


@pytest.fixture(autouse=True)
def _side_by_side_stays_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor may keep side by side on for the session: not beyond this test."""
    monkeypatch.setattr(editor_module, "_session", {"side_by_side": False}, raising=False)


def exported(path: Path, definition: dict[str, Any] = FORM) -> Path:
    path.write_bytes(form_workbook(definition))
    return path


def edit_label_and_add_choice(path: Path) -> Path:
    """What an administrator does in a spreadsheet: a label changed, a choice added."""
    book = load_workbook(path)
    survey, choices = book["survey"], book["choices"]
    header = [cell.value for cell in survey[1]]
    names = [row[header.index("name")].value for row in survey.iter_rows(min_row=2)]
    row = names.index("alias") + 2
    survey.cell(row=row, column=header.index(ENGLISH) + 1).value = "Alias or nickname"
    choice_header = [cell.value for cell in choices[1]]
    new: list[object] = [None] * len(choice_header)
    new[choice_header.index("list_name")] = "setting"
    new[choice_header.index("name")] = "home"
    new[choice_header.index(ENGLISH)] = "Private home"
    if FINNISH in choice_header:  # the installed form's default language
        new[choice_header.index(FINNISH)] = "Yksityiskoti"
    choices.append(new)
    book.save(path)
    return path


def break_three_ways(path: Path, typed: str = "setting", conditioned: str = "needs",
                     renamed: str = "account") -> Path:
    """An unsupported type, a name used twice and a condition naming no question."""
    book = load_workbook(path)
    survey = book["survey"]
    header = [cell.value for cell in survey[1]]
    names = [row[header.index("name")].value for row in survey.iter_rows(min_row=2)]
    if "relevant" not in header:
        header.append("relevant")
        survey.cell(row=1, column=len(header)).value = "relevant"

    def put(name: str, column: str, value: str) -> None:
        survey.cell(row=names.index(name) + 2, column=header.index(column) + 1).value = value

    put(typed, "type", "geopoint")
    put(conditioned, "relevant", "${nowhere} = 'yes'")
    put(renamed, "name", "alias")
    book.save(path)
    return path


def forms_of(window: AdminWindow, qtbot: QtBot) -> FormsTab:
    unlock(window, qtbot)
    window.tabs.setCurrentWidget(window.forms)
    qtbot.waitUntil(lambda: window.forms.model.rowCount() > 0, timeout=WAIT)
    return window.forms


def idle(tab: FormsTab, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not tab._busy, timeout=WAIT)


def import_file(tab: FormsTab, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, path: Path,
                asked: list[tuple[str, str]] | None = None) -> None:
    """Through the button: the file dialog answers `path`; a taken version asks for the
    suggested one (noted in `asked`)."""
    monkeypatch.setattr(forms_tab, "choose_file", lambda *_args: str(path))

    def ask(why: str, suggested: str) -> str:
        if asked is not None:
            asked.append((why, suggested))
        return suggested

    monkeypatch.setattr(tab, "ask_version", ask)
    tab.import_button.click()
    idle(tab, qtbot)


def rows(tab: FormsTab) -> list[tuple[str, str, str]]:
    return [(row.version, row.source, row.state) for row in tab.model.rows()]


def cells(tab: FormsTab, row: int) -> list[str]:
    model = tab.model
    return [model.data(model.index(row, column)) for column in range(model.columnCount())]


def select(tab: FormsTab, version: str, source: str) -> None:
    number = next(i for i, row in enumerate(tab.model.rows())
                  if (row.version, row.source) == (version, source))
    tab.choose_row(number)


def files_under(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under `folder`: size, time of change and contents' hash."""
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns,
                                            hashlib.sha256(path.read_bytes()).hexdigest())
            for path in sorted(folder.rglob("*")) if path.is_file()}


def open_preview(tab: FormsTab, qtbot: QtBot) -> FormPreviewDialog:
    tab.preview = None
    tab.preview_button.click()
    qtbot.waitUntil(lambda: tab.preview is not None and tab.preview.isVisible(), timeout=WAIT)
    assert tab.preview is not None
    return tab.preview


def fits(widget: Any) -> None:
    hint = widget.minimumSizeHint()
    assert hint.boundedTo(SCREEN) == hint, hint
    assert widget.size().boundedTo(SCREEN) == widget.size(), widget.size()


def test_next_version_follows_the_highest() -> None:
    assert next_version(["2026.1", "2026.9", "2026.10"]) == "2026.11"
    assert next_version(["3"]) == "4"
    assert next_version(["", "v2"]) == ""


def test_a_workbook_with_problems_lists_each_where_it_is_and_keeps_nothing(
    window: AdminWindow, qtbot: QtBot, qapp: QApplication, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = forms_of(window, qtbot)
    assert rows(tab) == [("2026.1", "built-in", "current")]
    assert cells(tab, 0)[:3] == ["intake-fi", "2026.1", "Built into Intake"]
    assert not tab.problems_box.isVisible() and not tab.publish_button.isEnabled()
    bad = break_three_ways(exported(tmp_path / "broken.xlsx"))
    import_file(tab, qtbot, monkeypatch, bad)

    assert tab.problems_box.isVisible()
    problems = tab.problems_model
    shown = [[problems.data(problems.index(r, c)) for c in range(4)]
             for r in range(problems.rowCount())]
    assert [row[:3] for row in shown] == [  # by sheet and row
        ["survey", "5", "type"], ["survey", "6", "relevant"], ["survey", "7", "name"]]
    assert any("geopoint" in row[3] for row in shown)
    assert "broken.xlsx" in tab.message.text() and "nothing was kept" in tab.message.text()
    table = tab.problems_table
    font = qapp.font()
    from intake_app.ui.focus_ring import show_focus_clearly, stop_showing_focus
    show_focus_clearly(qapp)  # as the application runs: its style sheet must not freeze fonts
    try:
        apply_text_size(qapp, 8)  # large text in a narrow window: reasons wrap, never cut off
        window.resize(700, 720)
        qtbot.waitUntil(lambda: table.width() < 700)

        def heights() -> list[int]:
            return [table.rowHeight(row) for row in range(problems.rowCount())]

        # The rows are fitted to their text after the resize has been laid out (later under
        # load): the longest reason takes two lines.
        qtbot.waitUntil(lambda: max(heights()) > min(heights()), timeout=WAIT)
        assert all(height >= table.sizeHintForRow(row) for row, height in enumerate(heights()))
    finally:
        qapp.setFont(font)
        stop_showing_focus(qapp)
    rows_now = centre_forms.list_versions(window.service).result(timeout=30)
    assert [(r.version, r.source) for r in rows_now] == [("2026.1", "built-in")]
    assert rows(tab) == [("2026.1", "built-in", "current")]


def test_a_good_workbook_is_previewed_published_and_retired(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = forms_of(window, qtbot)
    workbook = edit_label_and_add_choice(exported(tmp_path / "form.xlsx"))
    asked: list[tuple[str, str]] = []
    import_file(tab, qtbot, monkeypatch, workbook, asked)
    # The workbook still says 2026.1, which is built in: the next number is offered.
    [(why, suggested)] = asked
    assert "built into Intake" in why and suggested == "2026.2"
    qtbot.waitUntil(lambda: ("2026.2", "draft", "draft") in rows(tab), timeout=WAIT)
    assert "ready to publish" in tab.message.text() and not tab.problems_box.isVisible()
    assert tab.chosen() is not None and tab.chosen().version == "2026.2"
    assert "form.xlsx" in cells(tab, 1)[5]
    assert tab.publish_button.text() == "P&ublish as version 2026.2…"

    before = files_under(tmp_path)
    preview = open_preview(tab, qtbot)
    editor = preview.editor
    assert editor.read_only and not editor.banner.isVisible()
    assert not editor.actions_bar.isVisible() and not editor.finish_button.isVisible()
    alias = editor.block("alias")
    assert isinstance(alias, QuestionRow) and not alias.input.isEnabled()
    assert "Alias or nickname" in alias.label.text()
    setting = editor.block("setting")
    assert isinstance(setting, QuestionRow)
    # The new choice, with its Finnish words under it: side by side is on.
    assert setting.input.buttons["home"].text() == "Private home\nYksityiskoti"
    assert editor.side_by_side.toggle.isChecked()
    assert editor.second_language() == "fi"
    assert setting.input.buttons["home"].isVisible()
    fits(preview)
    for section in editor.form.questions:  # look around as an administrator would
        editor.show_section(section.name)
    editor.side_by_side.toggle.click()
    qtbot.wait(1500)  # longer than the editor waits before keeping its place

    preview.trying.click()  # answer on screen: every save is refused
    editor = preview.editor
    assert not editor.read_only and not editor.actions_bar.isVisible()
    assert not editor.attachments.add_button.isEnabled()
    editor.block("consent_interview").input.buttons["yes"].click()
    alias = editor.block("alias")
    assert isinstance(alias, QuestionRow) and alias.input.isEnabled()
    alias.input.set_value("Typed in a preview")
    editor.focus_first()
    qtbot.wait(2500)  # longer than autosave waits
    editor.finish_button.click()
    editor.review_page.finish_requested.emit()  # queued: the refusal comes back in words
    qtbot.waitUntil(lambda: "preview" in editor.message.text(), timeout=WAIT)
    assert files_under(tmp_path) == before, "the preview wrote something"
    preview.buttons.rejected.emit()
    qtbot.waitUntil(lambda: not preview.isVisible(), timeout=WAIT)
    assert files_under(tmp_path) == before, "the preview wrote something"

    confirmations: list[tuple[str, ...]] = []
    monkeypatch.setattr(tab, "confirm", lambda *texts: confirmations.append(texts) or True)
    tab.publish_button.click()
    idle(tab, qtbot)
    qtbot.waitUntil(lambda: ("2026.2", "published", "current") in rows(tab), timeout=WAIT)
    assert "is published" in tab.message.text() and "next sync" in tab.message.text()
    [(question, detail, yes, _no)] = confirmations
    assert "2026.2" in question and "next sync" in detail and "never changed" in detail
    assert yes == "Publish version 2026.2"
    forms = tmp_path / "share" / "forms"
    assert sorted(path.name for path in forms.iterdir()) == [
        "index.json", "index.json.minisig", "intake-fi_2026.2.json",
        "intake-fi_2026.2.json.minisig"]
    assert b"Alias or nickname" in (forms / "intake-fi_2026.2.json").read_bytes()
    assert not tab.share_button.isVisible()
    published = cells(tab, 1)
    assert published[2] == "Current" and published[3]
    assert window.service.registry().get("intake-fi", "2026.2") is not None

    select(tab, "2026.2", "published")
    assert tab.retire_button.isEnabled()
    tab.retire_button.click()
    idle(tab, qtbot)
    qtbot.waitUntil(lambda: ("2026.2", "published", "retired") in rows(tab), timeout=WAIT)
    assert "is retired" in tab.message.text()
    assert "start no new" in confirmations[1][1] and "finishing" in confirmations[1][1]
    assert cells(tab, 1)[2] == "Retired" and cells(tab, 1)[4]
    select(tab, "2026.2", "published")
    assert not tab.retire_button.isEnabled()  # retired already
    select(tab, "2026.1", "built-in")
    assert not tab.retire_button.isEnabled() and tab.preview_button.isEnabled()
    preview = open_preview(tab, qtbot)  # a built-in version previews too
    assert preview.editor.form.version == "2026.1"
    preview.reject()


def test_a_share_not_written_is_written_again(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = forms_of(window, qtbot)
    workbook = edit_label_and_add_choice(exported(tmp_path / "form.xlsx"))
    import_file(tab, qtbot, monkeypatch, workbook)
    # The list is read again after the import: Publish waits for the draft to be listed.
    qtbot.waitUntil(tab.publish_button.isEnabled, timeout=WAIT)
    monkeypatch.setattr(tab, "confirm", lambda *texts: True)
    tab.publish_button.click()
    idle(tab, qtbot)
    forms = tmp_path / "share" / "forms"
    aside = tmp_path / "share" / "forms-aside"
    forms.rename(aside)
    forms.symlink_to(aside)  # the share's rule: never written through a link
    qtbot.waitUntil(lambda: ("2026.2", "published", "current") in rows(tab), timeout=WAIT)
    select(tab, "2026.2", "published")
    tab.retire_button.click()
    idle(tab, qtbot)
    assert "could not be written" in tab.message.text()
    assert tab.share_button.isVisible() and tab.share_button.isEnabled()
    qtbot.waitUntil(lambda: ("2026.2", "published", "retired") in rows(tab), timeout=WAIT)
    forms.unlink()
    aside.rename(forms)
    tab.share_button.click()
    idle(tab, qtbot)
    assert "written to the share" in tab.message.text()
    assert not tab.share_button.isVisible()
    assert b'"retired"' in (forms / "index.json").read_bytes()


def test_publish_and_retire_read_the_list_once_and_keep_the_version_and_the_focus(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list was read twice (by the tab, then by the window's refresh it asked for): the
    second reading looked for the draft that was just published and left no row chosen, and
    the keyboard focus fell out of the tab with the disabled button."""
    tab = forms_of(window, qtbot)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    import_file(tab, qtbot, monkeypatch, edit_label_and_add_choice(exported(
        tmp_path / "form.xlsx")))
    qtbot.waitUntil(tab.publish_button.isEnabled, timeout=WAIT)
    monkeypatch.setattr(tab, "confirm", lambda *texts: True)
    readings: list[list[tuple[str, str, str]]] = []
    tab.model.modelReset.connect(lambda: readings.append(rows(tab)))

    def chosen() -> tuple[str, str, str] | None:
        row = tab.chosen()
        return None if row is None else (row.form_id, row.version, row.source)

    for button, then in ((tab.publish_button, ("2026.2", "published", "current")),
                         (tab.retire_button, ("2026.2", "published", "retired"))):
        readings.clear()
        button.setFocus()
        assert QApplication.focusWidget() is button
        button.click()
        idle(tab, qtbot)
        qtbot.waitUntil(lambda t=then: t in rows(tab), timeout=WAIT)
        run(window, lambda _centre: None)  # behind any reading asked meanwhile: all done
        qtbot.wait(200)  # and their answers delivered
        assert len(readings) == 1, readings
        assert chosen() == ("intake-fi", "2026.2", "published")
        # The button is disabled now (nothing left to publish; retired already): the focus
        # is on the version it acted on.
        assert not button.isEnabled()
        assert QApplication.focusWidget() is tab.table
        assert tab.table.currentIndex().row() == rows(tab).index(then)


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_controls_are_named_and_share_no_accelerator(
    window: AdminWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    lang: str
) -> None:
    tab = forms_of(window, qtbot)
    import_file(tab, qtbot, monkeypatch, break_three_ways(exported(tmp_path / "bad.xlsx")))
    tab.share_button.show()
    set_language(lang)
    assert accelerator_clashes(window) == []
    assert unnamed(window.workspace) == []
    import_file(tab, qtbot, monkeypatch, edit_label_and_add_choice(exported(tmp_path / "f.xlsx")))
    qtbot.waitUntil(lambda: tab.draft() is not None, timeout=WAIT)
    preview = open_preview(tab, qtbot)
    for trying in (False, True):
        preview.trying.setChecked(trying)
        assert accelerator_clashes(preview) == []
        assert unnamed(preview) == []
    preview.reject()


@pytest.fixture
def real_window(tmp_path: Path, qtbot: QtBot, qapp: object) -> Iterator[AdminWindow]:
    """The window over a centre whose built-in form is the installed one."""
    make_centre(tmp_path).close()
    service = CentreService(tmp_path / "centre-data", registry=installed_forms())
    with shown_window(service, qtbot, qapp) as made:
        yield made


@pytest.mark.parametrize("lang", ["en", "fi", "ar"])
def test_the_tab_and_the_preview_fit_1280_by_720_in_three_languages(
    real_window: AdminWindow, qtbot: QtBot, qapp: QApplication, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """With the installed form; screenshots of the problems, the versions and a preview."""
    font = qapp.font()
    apply_text_size(qapp, 0)  # the window's real text size
    folder = os.environ.get("INTAKE_SCREENSHOTS")
    try:
        window = real_window
        tab = forms_of(window, qtbot)
        form = installed_forms().get("intake-fi", "2026.1")
        assert form is not None
        definition = shipped_definition(form)
        set_language(lang)
        window.resize(SCREEN)
        import_file(tab, qtbot, monkeypatch, break_three_ways(
            exported(tmp_path / "intake-form-edited.xlsx", definition), "interview_setting",
            "worker_code", "organisation"))
        assert tab.problems_model.rowCount() == 3
        qtbot.wait(50)
        fits(window)
        assert tab.isRightToLeft() == (lang == "ar")
        if folder:
            window.grab().save(str(Path(folder) / f"admin-forms-problems-{lang}.png"))
        monkeypatch.setattr(tab, "confirm", lambda *texts: True)
        for version in ("2027.1", "2027.2"):  # above every built-in version
            import_file(tab, qtbot, monkeypatch, edit_label_and_add_choice(exported(
                tmp_path / f"intake-form-{version}.xlsx", {**definition, "version": version})))
            qtbot.waitUntil(lambda: tab.draft() is not None, timeout=WAIT)
            tab.publish_button.click()
            idle(tab, qtbot)
            qtbot.waitUntil(lambda v=version: (v, "published", "current") in rows(tab),
                            timeout=WAIT)
        chosen = tab.chosen()  # the version just published stays chosen
        assert chosen is not None and (chosen.version, chosen.source) == ("2027.2", "published")
        qtbot.wait(50)
        fits(window)
        if folder:
            window.grab().save(str(Path(folder) / f"admin-forms-published-{lang}.png"))
        select(tab, "2027.1", "published")
        tab.retire_button.click()
        idle(tab, qtbot)
        import_file(tab, qtbot, monkeypatch, edit_label_and_add_choice(exported(
            tmp_path / "intake-form-2027.3.xlsx", {**definition, "version": "2027.3"})))
        qtbot.waitUntil(lambda: tab.draft() is not None, timeout=WAIT)
        qtbot.wait(50)
        fits(window)
        # Every cell whole: the long "imported" one (Arabic dates are long) wraps, never cut.
        qtbot.waitUntil(lambda: all(tab.table.rowHeight(row) >= tab.table.sizeHintForRow(row)
                                    for row in range(tab.model.rowCount())), timeout=WAIT)
        if folder:
            window.grab().save(str(Path(folder) / f"admin-forms-versions-{lang}.png"))
        preview = open_preview(tab, qtbot)
        preview.resize(SCREEN - QSize(100, 60))
        qtbot.wait(50)
        fits(preview)
        assert preview.isRightToLeft() == (lang == "ar")
        assert preview.editor.read_only
        if folder:
            preview.grab().save(str(Path(folder) / f"admin-form-preview-read-only-{lang}.png"))
        preview.trying.click()
        editor = preview.editor
        for name in ("consent_interview", "consent_data"):
            editor.block(name).input.buttons["yes"].click()
        if lang != "en":
            editor.side_by_side.set_language("en")  # where the label was changed
        editor.show_section("person")
        qtbot.wait(50)
        alias = editor.block("alias")
        assert isinstance(alias, QuestionRow)
        assert "Alias or nickname" in alias.label.text() + alias.second_label.text()
        assert [label for label in preview.findChildren(QLabel) if label.isVisible()]
        if folder:
            preview.grab().save(str(Path(folder) / f"admin-form-preview-{lang}.png"))
        preview.reject()
    finally:
        qapp.setFont(font)
        set_language("en")
