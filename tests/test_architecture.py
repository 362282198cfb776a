"""Guard the one-way data flow: loaders → graph → viz, nothing imports upwards."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("policykg", "loaders", "graph", "ontology", "viz")

# package (or module) → top-level imports it must never make
FORBIDDEN: dict[str, set[str]] = {
    "loaders": {"rdflib", "networkx", "pyvis", "pyoxigraph", "pyshacl", "graph", "viz",
                "policykg.cli", "policykg.pipeline"},
    "graph": {"loaders", "viz", "pyvis", "spacy", "jieba", "policykg.cli", "policykg.pipeline"},
    "viz": {"loaders", "graph", "rdflib", "pyoxigraph", "spacy", "jieba",
            "policykg.cli", "policykg.pipeline"},
    "ontology": {"loaders", "graph", "viz", "policykg.cli", "policykg.pipeline"},
    "policykg.records": {"*"},
    "policykg.errors": {"*"},
    "policykg.recordio": {"*"},
    "policykg.pipeline": {"policykg.cli"},
}
STDLIB_OK = {"policykg.records", "policykg.errors"}
NLP_ONLY = {"spacy", "jieba"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _modules() -> list[tuple[str, Path]]:
    out = []
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            out.append((".".join(rel.parts).removesuffix(".__init__"), path))
    return out


def _violates(imported: str, banned: set[str]) -> bool:
    if "*" in banned:
        top = imported.split(".")[0]
        return top in PACKAGES and imported not in STDLIB_OK
    return any(imported == b or imported.startswith(b + ".") for b in banned)


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_no_upward_imports(module: str, path: Path) -> None:
    rules = {k: v for k, v in FORBIDDEN.items() if module == k or module.startswith(k + ".")}
    bad = [
        imp for imp in _imports(path)
        for banned in rules.values() if _violates(imp, banned)
    ]
    if module != "loaders.nlp":
        bad += [imp for imp in _imports(path) if imp.split(".")[0] in NLP_ONLY]
    assert not bad, f"{module} imports {sorted(set(bad))} against ARCHITECTURE.md"


def test_nothing_imports_cli() -> None:
    users = [m for m, p in _modules() if m != "policykg.__main__" and "policykg.cli" in _imports(p)]
    assert users == []


def test_rule_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("import rdflib\nfrom graph.build import build_graph\n", encoding="utf-8")
    assert _violates("graph.build", FORBIDDEN["loaders"])
    assert [i for i in _imports(bad) if _violates(i, FORBIDDEN["loaders"])] == [
        "rdflib", "graph.build"]
