"""Imports follow the data flow: extract → nlp → schema → vanban, never backwards."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "extract": {"nlp", "schema", "vanban"},
    "nlp": {"schema", "vanban"},
    "schema": {"vanban"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_reverse_imports(package):
    bad = {}
    for f in (ROOT / package).rglob("*.py"):
        wrong = _imports(f) & FORBIDDEN[package]
        if wrong:
            bad[str(f.relative_to(ROOT))] = sorted(wrong)
    assert not bad
