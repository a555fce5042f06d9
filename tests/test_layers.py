"""The house is layered: each app imports only the layers below it (pyproject.toml, [tool.importlinter])."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = [
    "briefs_cms",
    "bench",
    "api",
    "search",
    "newsletter",
    "briefs",
    "accounts",
    "background",
    "glossary",
    "pagecache",
    "sources",
    "core",
]


def lint(cwd):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_every_import_follows_the_declared_layers():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_against_the_order_is_caught(tmp_path):
    """The same check on a copy of the code with one import pointing back up: it fails, naming it."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "glossary" / "upward.py").write_text("from briefs import models  # noqa\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "glossary.upward -> briefs.models" in result.stdout
