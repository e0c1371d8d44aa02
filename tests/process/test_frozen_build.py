"""The frozen application's recipe and, after `scripts/build_frozen.sh`, the bundle it made.

The first tests read build.spec and the sources and always run. The others look at a built
folder: they run when INTAKE_FROZEN_DIR names one (build_frozen.sh sets it) and skip otherwise,
because building takes minutes and CI builds once, in build_frozen.sh.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from intake_app.i18n.languages import LANGUAGE_CODES, directory_of

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build.spec"
FROZEN = Path(os.environ["INTAKE_FROZEN_DIR"]) if os.environ.get("INTAKE_FROZEN_DIR") else None
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]

needs_build = pytest.mark.skipif(FROZEN is None, reason="no frozen build (INTAKE_FROZEN_DIR)")


def _spec_constant(name: str) -> object:
    """A literal assigned at the top of build.spec (read with ast, not run)."""
    for node in ast.parse(SPEC.read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"build.spec has no {name}")


def _qt_modules_imported() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "intake_app").rglob("*.py"):
        found.update(re.findall(r"\bPySide6\.(Qt\w+)", path.read_text("utf-8")))
    return found


def _internal() -> Path:
    assert FROZEN is not None
    return FROZEN / "_internal"


# -- the recipe -------------------------------------------------------------------------------


def test_spec_excludes_no_qt_module_the_code_imports() -> None:
    excluded = set(_spec_constant("UNUSED_QT_MODULES"))  # type: ignore[arg-type]
    clash = _qt_modules_imported() & excluded
    assert not clash, f"build.spec excludes Qt modules intake_app imports: {sorted(clash)}"


def test_spec_keeps_a_platform_plugin_for_each_system() -> None:
    plugins = _spec_constant("QT_PLUGINS")
    assert isinstance(plugins, dict)
    assert {"qoffscreen", "qxcb", "qwindows", "qcocoa"} <= plugins["platforms"]
    assert "qjpeg" in plugins["imageformats"]


def test_spec_names_our_languages_for_qt() -> None:
    qt_languages = set(_spec_constant("QT_LANGUAGES"))  # type: ignore[arg-type]
    ours = {code.split("-")[0] for code in LANGUAGE_CODES}
    assert ours == qt_languages


# -- the built folder -------------------------------------------------------------------------


@needs_build
def test_version_is_the_projects() -> None:
    assert FROZEN is not None
    program = FROZEN / ("intake-app-cli.exe" if sys.platform == "win32" else "intake-app")
    out = subprocess.run([str(program), "--version"], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == f"intake-app {VERSION}"
    info = json.loads((_internal() / "build-info.json").read_text("utf-8"))
    assert info["app"] == f"intake-app {VERSION}"
    metadata = _internal() / f"intake_app-{VERSION}.dist-info" / "METADATA"
    assert f"Version: {VERSION}" in metadata.read_text("utf-8")


@needs_build
def test_catalogs_are_shipped_compiled_and_current() -> None:
    for code in LANGUAGE_CODES:
        folder = _internal() / "translations" / str(directory_of(code)) / "LC_MESSAGES"
        mo, po = folder / "messages.mo", folder / "messages.po"
        assert mo.is_file() and po.is_file(), code
        # The loader ignores a .mo older than its .po (and compiles the .po at every start).
        assert mo.stat().st_mtime_ns >= po.stat().st_mtime_ns, code


@needs_build
def test_forms_and_resources_are_shipped() -> None:
    source = sorted(p.relative_to(ROOT / "resources") for p in (ROOT / "resources").rglob("*")
                    if p.is_file() and p.suffix not in {".py", ".pyc"})
    assert source
    for relative in source:
        shipped = _internal() / "resources" / relative
        assert shipped.read_bytes() == (ROOT / "resources" / relative).read_bytes(), relative


@needs_build
def test_only_qtbase_translations_of_our_languages() -> None:
    languages = set(_spec_constant("QT_LANGUAGES"))  # type: ignore[arg-type]
    qm = sorted(p.name for p in _internal().rglob("*.qm"))
    assert "qtbase_fi.qm" in qm and "qtbase_ar.qm" in qm
    for name in qm:
        catalog, _, lang = name[:-3].rpartition("_")
        assert catalog == "qtbase" and lang in languages, name


@needs_build
def test_unused_qt_parts_are_left_out() -> None:
    names = [p.name for p in _internal().rglob("*") if p.is_file() or p.is_symlink()]
    unused = _spec_constant("UNUSED_QT_MODULES")
    assert isinstance(unused, list)
    # Each excluded module: neither its Python binding nor its Qt library ("QtSql" -> "Qt6Sql").
    patterns = [re.compile(rf"^({module}\.|(lib)?Qt6{module[2:]}\.)") for module in unused]
    # Parts that only the dropped plugins pulled in.
    patterns += [re.compile(r"VirtualKeyboard|Wayland|EglFs|opengl32sw", re.IGNORECASE)]
    hits = sorted(n for n in names if any(p.search(n) for p in patterns))
    assert not hits, hits[:10]


@needs_build
def test_no_link_points_nowhere() -> None:
    broken = sorted(str(p.relative_to(_internal())) for p in _internal().rglob("*")
                    if p.is_symlink() and not p.exists())
    assert not broken, broken


@needs_build
def test_native_modules_are_shipped() -> None:
    internal = _internal()
    assert list((internal / "sqlcipher3").glob("_sqlite3*"))
    assert list((internal / "pyrage").glob("pyrage*"))
    assert list((internal / "cryptography" / "hazmat" / "bindings").glob("_rust*"))


@needs_build
@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"),
                    reason="ldd is Linux's")
def test_every_bundled_library_finds_its_libraries() -> None:
    # The spec drops Qt libraries nothing links to; a wrong drop shows up here as "not found".
    # libqgtk3 links GTK, which the bundle does not carry: Qt loads it only where GTK is installed.
    internal = _internal()
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    missing: dict[str, list[str]] = {}
    for path in sorted(internal.rglob("*.so*")):
        if not path.is_file() or path.name == "libqgtk3.so":
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env,
                             timeout=60).stdout
        lost = [line.split()[0] for line in out.splitlines() if "not found" in line]
        if lost:
            missing[str(path.relative_to(internal))] = lost
    assert not missing, missing
