"""Catalog tooling for Intake: extract, update, compile, check, stats, pseudo, todo, apply.

Usual round after changing user-visible strings:

    python scripts/i18n.py extract      # intake_app/**/*.py -> translations/messages.pot
    python scripts/i18n.py update       # merge into translations/<lang>/LC_MESSAGES/messages.po
    python scripts/i18n.py todo fi > fi.json     # what is left to translate, as JSON
    python scripts/i18n.py apply fi fi.json      # put the filled-in JSON back (marks a draft)
    python scripts/i18n.py check        # non-zero exit on a malformed or unsafe catalog
    python scripts/i18n.py compile      # build the .mo files (build outputs, not committed)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from intake_app.i18n.catalogs import parse_po, read_report  # noqa: E402
from intake_app.i18n.languages import LANGUAGE_CODES, directory_of, normalize_code  # noqa: E402
from intake_app.i18n.pseudo import pseudo_translate  # noqa: E402
from intake_app.i18n.tools import handoff, maintenance  # noqa: E402 - needs the path above


def _codes(given: list[str]) -> list[str]:
    return [normalize_code(code) for code in given] or list(LANGUAGE_CODES)


def cmd_extract(project: maintenance.Project, args: argparse.Namespace) -> int:
    changed = maintenance.extract(project)
    template = parse_po(project.template)
    count = sum(1 for message in template if message.id)
    print(
        f"{project.template.relative_to(project.root)}: {count} messages",
        "(updated)" if changed else "",
    )
    return 0


def cmd_update(project: maintenance.Project, args: argparse.Namespace) -> int:
    changed = maintenance.update(project, _codes(args.languages))
    print("updated:", ", ".join(changed) if changed else "nothing changed")
    return 0


def cmd_compile(project: maintenance.Project, args: argparse.Namespace) -> int:
    for path in maintenance.compile_all(project, _codes(args.languages)):
        print(path.relative_to(project.root))
    return 0


def cmd_check(project: maintenance.Project, args: argparse.Namespace) -> int:
    failed = False
    template = parse_po(project.template) if project.template.is_file() else None
    general = maintenance.check_sources(project)
    if template is None:
        general.append(f"{project.template} is missing; run extract")
    else:
        general += maintenance.check_template(template)
        if not maintenance.template_is_current(project):
            note = "messages.pot is not up to date with the sources; run extract and update"
            if args.strict:
                general.append(note)
            else:
                print("warning:", note)
    for problem in general:
        print("error:", problem)
        failed = True
    for code in _codes(args.languages):
        result = maintenance.check_language(project, code, template)
        report = result.report
        summary = (
            f"{report.completeness:6.1%} {report.translated}/{report.total} {report.review}"
            if report
            else "unreadable"
        )
        print(f"{code:6} {summary}")
        for warning in result.warnings:
            print(f"  warning: {warning}")
            failed = failed or args.strict
        for error in result.errors:
            print(f"  error: {error}")
            failed = True
    print("FAILED" if failed else "ok")
    return 1 if failed else 0


def cmd_stats(project: maintenance.Project, args: argparse.Namespace) -> int:
    print(f"{'lang':6} {'done':>7} {'trans':>6} {'fuzzy':>6} {'total':>6} {'bad':>4}  review")
    for code in _codes(args.languages):
        report = read_report(project.translations, str(directory_of(code)))
        print(
            f"{code:6} {report.completeness:7.1%} {report.translated:6} {report.fuzzy:6} "
            f"{report.total:6} {len(report.bad):4}  {report.review}"
        )
    return 0


def cmd_pseudo(project: maintenance.Project, args: argparse.Namespace) -> int:
    template = parse_po(project.template)
    for message in template:
        if message.id:
            ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
            for text in ids:
                print(pseudo_translate(str(text)))
    return 0


def cmd_todo(project: maintenance.Project, args: argparse.Namespace) -> int:
    todo = handoff.untranslated(project, normalize_code(args.language))
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def cmd_apply(project: maintenance.Project, args: argparse.Namespace) -> int:
    data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    entries = data["messages"] if isinstance(data, dict) else data
    review = "reviewed" if args.reviewed else "draft"
    code = normalize_code(args.language)
    applied, problems = handoff.apply_translations(
        project, code, entries, review=review, translator=args.translator
    )
    for problem in problems:
        print("error:", problem)
    print(f"{code}: {applied} translations applied; catalog marked {review}")
    return 1 if problems else 0


def parser() -> argparse.ArgumentParser:
    """The command line."""
    main = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    main.add_argument("--root", type=Path, default=ROOT, help="source tree (default: this one)")
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="write translations/messages.pot from the sources")
    for name, text in (
        ("update", "merge messages.pot into each language's .po (creates missing ones)"),
        ("compile", "write the .mo files"),
        ("check", "parse every .po, compare fields, print completeness"),
        ("stats", "completeness per language"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("languages", nargs="*", help="codes (default: all ten)")
    commands.choices["check"].add_argument(
        "--strict", action="store_true", help="also fail on a stale template or catalogs"
    )
    commands.add_parser("pseudo", help="print every message in the pseudo-language qps")
    todo = commands.add_parser("todo", help="untranslated and fuzzy messages as JSON")
    todo.add_argument("language")
    apply = commands.add_parser("apply", help="put translations from a `todo` JSON file")
    apply.add_argument("language")
    apply.add_argument("file")
    apply.add_argument("--reviewed", action="store_true", help="a native speaker reviewed them")
    apply.add_argument("--translator", help="name (and address) for the Last-Translator header")
    return main


COMMANDS = {
    "extract": cmd_extract,
    "update": cmd_update,
    "compile": cmd_compile,
    "check": cmd_check,
    "stats": cmd_stats,
    "pseudo": cmd_pseudo,
    "todo": cmd_todo,
    "apply": cmd_apply,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status."""
    args = parser().parse_args(argv)
    project = maintenance.Project(args.root.resolve())
    return COMMANDS[args.command](project, args)


if __name__ == "__main__":
    sys.exit(main())
