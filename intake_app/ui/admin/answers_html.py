"""An interview's answers laid out as simple HTML, for the detail pane and the referral PDF.

The words come from `sync.centre.answer_text` (one renderer for the window, the PDF and the
CSV); this only lays them out: a heading per section, each question in bold with its answer
below it (so a question never ends in "?:"), paragraphs and repeat items on lines of their own.
Every text is escaped, so nothing an interview holds can become markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from intake_app.i18n import current_language
from intake_app.i18n.languages import direction_of
from intake_app.sync.centre import AnswerLine


def esc(text: object) -> str:
    """Text for HTML: escaped, its line breaks kept."""
    return html.escape(str(text), quote=True).replace("\n", "<br/>")


def direction() -> str:
    """"rtl" or "ltr": the current language's writing direction, for `dir` attributes."""
    return direction_of(current_language())


def answers_html(lines: Sequence[AnswerLine], *, skip: Iterable[str] = (),
                 table: bool = False) -> str:
    """The answers by section; `skip` names questions shown elsewhere (the alias on top).
    As a two-column table per section when `table` (the PDF), else question above answer."""
    dir_ = direction()
    align = "right" if dir_ == "rtl" else "left"
    left_out = set(skip)
    parts: list[str] = []
    rows: list[str] = []
    section: str | None = None

    def flush() -> None:
        if rows:
            parts.append(f"<table dir='{dir_}' cellspacing='0' cellpadding='3' border='1' "
                         f"width='100%'>{''.join(rows)}</table>")
            rows.clear()

    for line in lines:
        if line.name in left_out:
            continue
        if line.section != section:
            flush()
            section = line.section
            if section:
                parts.append(f"<h3 dir='{dir_}'>{esc(section)}</h3>")
        if table:
            rows.append(f"<tr><td width='45%' align='{align}' valign='top'><b>{esc(line.label)}"
                        f"</b></td><td align='{align}' valign='top'>{esc(line.text)}</td></tr>")
        else:
            parts.append(f"<p dir='{dir_}'><b>{esc(line.label)}</b><br/>{esc(line.text)}</p>")
    flush()
    return "".join(parts)
