"""Write a form definition (docs/form-format.md) as an XLSForm workbook.

The whole form (`form_workbook`): sheets `survey`, `choices` and `settings`, groups and repeats
as `begin group`/`end group` rows, a `label::Finnish (fi)` column per language, our own keys in
`intake_` columns. A translator's workbook (`translation_workbook`): only the texts of one
language beside the default language's, for reference.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from intake_app.domain.xlsform.columns import (
    CHOICE_RELEVANT,
    CHOICES,
    CLDR_LISTS,
    DRAFT_NOTICE,
    FORM_STATUS,
    GATE,
    GATE_OPEN,
    MULTILINE,
    NOTE_STATUS,
    SETTINGS,
    SOURCE_COLUMNS,
    SURVEY,
    SURVEY_OWN,
    TITLE,
    TRANSLATION,
    YES,
    YES_NO_UNKNOWN,
    language_label,
    text_column,
)
from intake_app.domain.xlsform.errors import FormNotExportable, NotAFormLanguage

Cells = dict[str, Any]


def form_workbook(data: Mapping[str, Any]) -> bytes:
    """The whole form as an .xlsx workbook; `data` is a checked form definition."""
    languages: list[str] = list(data["languages"])
    _check_exportable(data)
    survey = list(_survey_rows(data, languages))
    choices = list(_choice_rows(data, languages))
    settings = _settings_rows(data, languages)
    return _workbook(survey, choices, settings, [text_column(key, lang) for key in (
        "label", "hint") for lang in languages])


def translation_workbook(data: Mapping[str, Any], language: str) -> bytes:
    """The texts of `language`, with the default language's beside them, for a translator."""
    languages: list[str] = list(data["languages"])
    if language not in languages:
        raise NotAFormLanguage(language=language, languages=", ".join(languages))
    _check_exportable(data)
    default = str(data["default_language"])
    shown = [default] if language == default else [default, language]
    texts = _text_keys(shown)
    survey = [
        {key: value for key, value in row.items() if key in ("type", "name") or key in texts}
        for row in _survey_rows(data, shown)
    ]
    choices = [
        {key: value for key, value in row.items() if key in ("list_name", "name") or key in texts}
        for row in _choice_rows(data, shown)
    ]
    settings: Cells = {
        "form_id": data["id"],
        "version": data["version"],
        "default_language": language_label(default),
        TRANSLATION: language_label(language),
    }
    for lang in shown:
        _put(settings, text_column(TITLE, lang), data.get(f"title::{lang}"))
    for lang in shown:
        _put(settings, text_column(DRAFT_NOTICE, lang), data.get(f"draft_notice::{lang}"))
    return _workbook(survey, choices, [settings])


def _text_keys(languages: Sequence[str]) -> frozenset[str]:
    return frozenset(
        text_column(key, lang) for key in ("label", "hint") for lang in languages
    )


def _check_exportable(data: Mapping[str, Any]) -> None:
    for name in data.get("choices", {}):
        if name in CLDR_LISTS:
            raise FormNotExportable(reason=f"the choice list name {name!r} is reserved")

    def visit(items: Sequence[Mapping[str, Any]]) -> None:
        for item in items:
            if item["type"] in ("select_one", "select_multiple") and (
                item.get("choices") == YES_NO_UNKNOWN
            ):
                raise FormNotExportable(
                    reason=f"{item['name']}: a select question on the list {YES_NO_UNKNOWN}")
            visit(item.get("children", ()))

    visit(data["questions"])


def _put(row: Cells, column: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        row[column] = YES if value else "no"
    elif isinstance(value, list):
        row[column] = " ".join(str(part) for part in value)
    else:
        row[column] = value


def _texts(row: Cells, item: Mapping[str, Any], key: str, languages: Sequence[str]) -> None:
    for lang in languages:
        _put(row, text_column(key, lang), item.get(f"{key}::{lang}"))


def lists_of(data: Mapping[str, Any]) -> dict[str, str]:
    """The choice list of each select question that names one, by question name."""
    found: dict[str, str] = {}

    def visit(items: Sequence[Mapping[str, Any]]) -> None:
        for item in items:
            if item.get("choices") is not None:
                found[item["name"]] = item["choices"]
            visit(item.get("children", ()))

    visit(data["questions"])
    return found


def _survey_rows(data: Mapping[str, Any], languages: Sequence[str]) -> Iterator[Cells]:
    lists = lists_of(data)

    def rows(item: Mapping[str, Any]) -> Iterator[Cells]:
        kind = item["type"]
        row: Cells = {"type": type_cell(item, lists), "name": item["name"]}
        _texts(row, item, "label", languages)
        _texts(row, item, "hint", languages)
        _put(row, "required", item.get("required"))
        _put(row, "relevant", item.get("relevant"))
        if kind == "long_text":
            row["appearance"] = MULTILINE
        if item.get("choices_from") is not None:
            row["choice_filter"] = f"selected(${{{item['choices_from']}}}, name)"
        for column, key in SURVEY_OWN.items():
            _put(row, column, item.get(key))
        for lang, state in item.get("translation_status", {}).items():
            row[text_column(NOTE_STATUS, lang)] = state
        yield row
        if kind in ("group", "repeat"):
            for child in item["children"]:
                yield from rows(child)
            yield {"type": f"end {kind}"}

    for top in data["questions"]:
        yield from rows(top)


def type_cell(item: Mapping[str, Any], lists: Mapping[str, str]) -> str:
    """The `type` cell of an entry: `select_one yes_no`, `begin group`, ..."""
    kind = str(item["type"])
    if kind in ("group", "repeat"):
        return f"begin {kind}"
    if kind == "long_text":
        return "text"
    if kind == "yes_no_unknown":
        return f"select_one {YES_NO_UNKNOWN}"
    if kind in CLDR_LISTS:
        return f"{'select_multiple' if item.get('multiple') else 'select_one'} {kind}"
    if kind in ("select_one", "select_multiple"):
        source = item.get("choices") or lists.get(item.get("choices_from", ""), "")
        return f"{kind} {source}"
    return kind


def _choice_rows(data: Mapping[str, Any], languages: Sequence[str]) -> Iterator[Cells]:
    for list_name, items in data.get("choices", {}).items():
        for item in items:
            row: Cells = {"list_name": list_name, "name": item["name"]}
            _texts(row, item, "label", languages)
            _put(row, CHOICE_RELEVANT, item.get("relevant"))
            yield row


def _settings_rows(data: Mapping[str, Any], languages: Sequence[str]) -> list[Cells]:
    first: Cells = {}
    for lang in languages:
        _put(first, text_column(TITLE, lang), data.get(f"title::{lang}"))
    first.update({
        "form_id": data["id"],
        "version": data["version"],
        "default_language": language_label(str(data["default_language"])),
    })
    for lang, state in data.get("translation_status", {}).items():
        first[text_column(FORM_STATUS, lang)] = state
    for lang in languages:
        _put(first, text_column(DRAFT_NOTICE, lang), data.get(f"draft_notice::{lang}"))
    gate = data.get("consent_gate")
    if gate is not None:
        first[GATE] = gate["condition"]
        first[GATE_OPEN] = " ".join(gate["open"])
    rows = [first]
    for source in data.get("sources", ()):
        row: Cells = {}
        for column, key in SOURCE_COLUMNS.items():
            _put(row, column, source.get(key))
        rows.append(row)
    if len(rows) > 1:
        for column in SOURCE_COLUMNS:
            first.setdefault(column, None)  # the columns exist even if row 2 holds no source
    return rows


def _columns(rows: Sequence[Cells], first: Sequence[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _workbook(survey: Sequence[Cells], choices: Sequence[Cells], settings: Sequence[Cells],
              texts: Sequence[str] = ()) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheets = (
        (SURVEY, survey, ("type", "name", *texts)),
        (CHOICES, choices, ("list_name", "name")),
        (SETTINGS, settings, ()),
    )
    book.remove(book.active) if book.active is not None else None
    for title, rows, first in sheets:
        sheet = book.create_sheet(title)
        columns = [c for c in _columns(rows, first) if any(c in row for row in rows)]
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column)
            cell.font = Font(bold=True)
        for row_index, row in enumerate(rows, start=2):
            for index, column in enumerate(columns, start=1):
                value = row.get(column)
                if value is None:
                    continue
                cell = sheet.cell(row=row_index, column=index, value=value)
                if cell.data_type == "f":
                    cell.data_type = "s"  # a text that starts with "=" stays text
                elif isinstance(value, str):
                    cell.number_format = "@"
        sheet.freeze_panes = "C2"
        for index, column in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            wide = column.startswith(("label", "hint", "intake_source_note"))
            sheet.column_dimensions[letter].width = 50 if wide else max(12, len(column) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
