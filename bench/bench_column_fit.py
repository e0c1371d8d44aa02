"""Column fitting's cost on the import log (review finding): `LOG_LIMIT` rows with the wrapped
Reason column, against the same table without `fit_columns`, in the same run.

Two figures, each the median of `--runs`, and its ratio to the table without fitting:

- one window resize, until the event loop is idle (the refit and the repaint included);
- `set_rows` with every row replaced, until the event loop is idle.

    QT_QPA_PLATFORM=offscreen python bench/bench_column_fit.py [--runs 7] [--rows 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QTableView, QVBoxLayout, QWidget  # noqa: E402

from intake_app.sync.centre import LogEntry  # noqa: E402
from intake_app.sync.errors import Outcome, Reason  # noqa: E402
from intake_app.ui.admin.column_fit import fit_columns  # noqa: E402
from intake_app.ui.admin.log_tab import LOG_COLUMNS, LOG_LIMIT, REASON  # noqa: E402
from intake_app.ui.admin.rows_model import RowsModel, make_table  # noqa: E402
from intake_app.ui.application import apply_text_size  # noqa: E402

SIZES = ((1280, 720), (1100, 700))  # a resize goes from one to the other


def entries(count: int, shift: int = 0) -> list[LogEntry]:
    """`count` import attempts with every reason in turn (long and short sentences)."""
    reasons = list(Reason)
    rows = []
    for num in range(count):
        reason = reasons[(num + shift) % len(reasons)]
        rows.append(LogEntry(
            num=num, at=f"2026-03-{1 + num % 28:02d}T{num % 24:02d}:{num % 60:02d}:00Z",
            file_name=f"intake-{num + shift:05d}-laptop-{num % 17}.bundle",
            device_id=f"{(num * 7919) % 65536:04x}" * 8, seq=num, payload_sha256=None,
            outcome=reason.outcome if num % 3 else Outcome.ACCEPTED,
            reason=reason if num % 3 else None, records=num % 5, acknowledged=None))
    return rows


def idle(app: QApplication) -> None:
    """Run the event loop until nothing is left in it (queued refits, layouts, paints)."""
    for _turn in range(3):
        app.processEvents()


def timed(action: Callable[[], None], app: QApplication) -> float:
    started = time.perf_counter()
    action()
    idle(app)
    return time.perf_counter() - started


def measure(app: QApplication, rows: int, runs: int, fitted: bool) -> tuple[float, float]:
    """(median resize, median set_rows) in seconds for one table."""
    window = QWidget()
    model = RowsModel(LOG_COLUMNS, window)
    table: QTableView = make_table(window, model)
    if fitted:
        fit_columns(table, wrapping=REASON)
    QVBoxLayout(window).addWidget(table)
    window.resize(*SIZES[0])
    window.show()
    model.set_rows(entries(rows))
    idle(app)
    resizes, sets = [], []
    for run in range(runs):
        resizes.append(timed(partial(window.resize, *SIZES[(run + 1) % 2]), app))
        sets.append(timed(partial(model.set_rows, entries(rows, run + 1)), app))
    window.close()
    window.deleteLater()
    idle(app)
    return statistics.median(resizes), statistics.median(sets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=LOG_LIMIT)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_text_size(app, 0)  # the window's real text size
    plain = measure(app, args.rows, args.runs, fitted=False)
    fitted = measure(app, args.rows, args.runs, fitted=True)
    print(f"{args.rows} log rows, median of {args.runs} runs")
    for name, without, with_fit in zip(("one resize", "set_rows"), plain, fitted, strict=True):
        print(f"{name:>10}: {with_fit * 1000:7.1f} ms fitted, {without * 1000:7.1f} ms without"
              f" fitting, ratio {with_fit / without:.2f}")


if __name__ == "__main__":
    main()
