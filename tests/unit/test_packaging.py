"""The package list in pyproject.toml covers every package folder, and data files ship."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _declared() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_package_folder_is_declared() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "intake_app").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = found - _declared()
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_data_folders_are_mapped_into_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    assert mapping["intake_app.resources"] == "resources"
    assert mapping["intake_app.translations"] == "translations"
    assert (ROOT / "resources" / "__init__.py").exists()
    assert (ROOT / "translations" / "__init__.py").exists()
    assert {"intake_app.resources", "intake_app.translations"} <= _declared()
