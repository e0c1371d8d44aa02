"""Page images of the statistics reports (annual and overview) for docs/screenshots.

Makes a throwaway centre with the statistics tests' known interviews (tests/helpers/stats.py),
renders each report as the window and `centre stats --format pdf` do, and turns every page into
a PNG with pdftoppm (poppler-utils):

    python scripts/screenshots_stats.py --langs fi en ar --to docs/screenshots
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake_app.app import render_stats_pdf
from intake_app.i18n import set_language
from intake_app.sync.centre.stats_report import ReportChoice, make_report
from tests.helpers.centre import make_centre
from tests.helpers.stats import YEAR, import_known, open_real_centre
from tests.unit.sync.centre.real_form import installed_forms

REPORTS = {"annual": ReportChoice("annual", year=YEAR), "overview": ReportChoice("overview")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--langs", nargs="+", default=["fi", "en", "ar"])
    parser.add_argument("--to", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.to.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        make_centre(work).close()
        centre = open_real_centre(work)
        try:
            import_known(centre, work / "out")
            for lang in args.langs:
                set_language(lang)
                for name, choice in REPORTS.items():
                    report = make_report(
                        centre.vault, installed_forms(), choice, lang, "Example centre",
                        dt.date(YEAR + 1, 1, 20),
                    )
                    pdf = work / f"{name}-{lang}.pdf"
                    pdf.write_bytes(render_stats_pdf(report))
                    for old in args.to.glob(f"statistics-{name}-{lang}-*.png"):
                        old.unlink()
                    prefix = args.to / f"statistics-{name}-{lang}"
                    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)],
                                   check=True)
                    for page in sorted(args.to.glob(f"statistics-{name}-{lang}-*.png")):
                        number = int(page.stem.rsplit("-", 1)[1])
                        page.rename(page.with_name(f"statistics-{name}-{lang}-{number}.png"))
                        print(page.with_name(f"statistics-{name}-{lang}-{number}.png"))
        finally:
            centre.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
