"""The sources app sits below briefs: briefs may import it, never the other way round."""

import ast
from pathlib import Path

import sources

SOURCES_DIR = Path(sources.__file__).parent
# The shared text helpers, and the one path for side effects (an outlet's change purges pages).
ALLOWED_PROJECT_IMPORTS = {"core.text", "core.changes"}
PROJECT_PACKAGES = {
    "briefs",
    "glossary",
    "accounts",
    "api",
    "search",
    "newsletter",
    "pagecache",
    "briefs_cms",
    "core",
}


def imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_sources_imports_no_other_app_of_the_project():
    found = {
        (path.relative_to(SOURCES_DIR).as_posix(), name)
        for path in SOURCES_DIR.rglob("*.py")
        for name in imports(path)
        if name.split(".")[0] in PROJECT_PACKAGES and name not in ALLOWED_PROJECT_IMPORTS
    }
    assert found == set()
