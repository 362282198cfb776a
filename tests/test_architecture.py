"""Guard the one-way data flow: loaders → graph → viz, nothing imports upwards."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("loaders", "graph", "ontology", "viz")

# package (or module) → top-level imports it must never make
TOP = {"policykg.cli", "policykg.api", "policykg.pipeline", "policykg.__main__",
       "policykg.quick"}
FORBIDDEN: dict[str, set[str]] = {
    "policykg.loaders": {"rdflib", "networkx", "pyvis", "pyoxigraph", "pyshacl",
                         "policykg.graph", "policykg.viz", *TOP},
    "policykg.graph": {"policykg.loaders", "policykg.viz", "pyvis", "spacy", "jieba", *TOP},
    "policykg.viz": {"policykg.loaders", "policykg.graph", "rdflib", "pyoxigraph", "spacy",
                     "jieba", *TOP},
    "policykg.ontology": {"policykg.loaders", "policykg.graph", "policykg.viz", *TOP},
    "policykg.records": {"*"},
    "policykg.errors": {"*"},
    "policykg.recordio": {"*"},
    "policykg.fsio": {"*"},
    "policykg.lookupindex": {"*"},
    "policykg.folding": {"*"},
    "policykg.pipeline": {"policykg.cli", "policykg.api"},
    "policykg.api": {"policykg.cli"},
}
STDLIB_OK = {"policykg.records", "policykg.errors", "policykg.fsio", "policykg.lookupindex",
             "policykg.folding"}
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
    for path in sorted((ROOT / "policykg").glob("*.py")):
        out.append((f"policykg.{path.stem}".removesuffix(".__init__"), path))
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            out.append(("policykg." + ".".join(rel.parts).removesuffix(".__init__"), path))
    return out


def _violates(imported: str, banned: set[str]) -> bool:
    if "*" in banned:
        return imported.split(".")[0] == "policykg" and imported not in STDLIB_OK
    return any(imported == b or imported.startswith(b + ".") for b in banned)


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_no_upward_imports(module: str, path: Path) -> None:
    rules = {k: v for k, v in FORBIDDEN.items() if module == k or module.startswith(k + ".")}
    bad = [
        imp for imp in _imports(path)
        for banned in rules.values() if _violates(imp, banned)
    ]
    if module != "policykg.loaders.nlp":
        bad += [imp for imp in _imports(path) if imp.split(".")[0] in NLP_ONLY]
    assert not bad, f"{module} imports {sorted(set(bad))} against ARCHITECTURE.md"


def test_nothing_imports_cli() -> None:
    users = [m for m, p in _modules() if m != "policykg.__main__" and "policykg.cli" in _imports(p)]
    assert users == ["policykg.quick"]  # the command's entry: all but a cold `who` goes on
    entry = [m for m, p in _modules() if "policykg.quick" in _imports(p)]
    assert entry == ["policykg.__main__"]


def test_rule_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("import rdflib\nfrom policykg.graph.build import build_graph\n",
                   encoding="utf-8")
    rules = FORBIDDEN["policykg.loaders"]
    assert _violates("policykg.graph.build", rules)
    assert [i for i in _imports(bad) if _violates(i, rules)] == [
        "rdflib", "policykg.graph.build"]


def _graph() -> dict[str, set[str]]:
    modules = dict(_modules())
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for imp in _imports(path):
            while imp and imp not in modules:
                imp = imp.rpartition(".")[0]
            if imp and imp != module and modules[imp].name != "__init__.py":
                edges[module].add(imp)
    return edges


def test_no_import_cycle() -> None:
    """No module reaches itself through imports (package ``__init__`` re-exports aside)."""
    edges = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(edges[m]):
            if state.get(n) == 1:
                return [*stack[stack.index(n):], n]
            if n not in state and (cycle := visit(n)):
                return cycle
        stack.pop()
        state[m] = 2
        return None

    cycles = [c for m in sorted(edges) if m not in state and (c := visit(m))]
    assert cycles == [], f"import cycle: {' -> '.join(cycles[0])}"


def test_only_policykg_is_top_level() -> None:
    """The repository's Python folders all live under the one ``policykg`` namespace."""
    for layer in LAYERS:
        link = ROOT / "policykg" / layer
        assert link.is_symlink()
        assert link.resolve() == (ROOT / layer).resolve()


def test_build_imports_no_rdflib(tmp_path: Path) -> None:
    """A build writes N-Triples, validates and loads Oxigraph without rdflib (~250 ms to import);
    rdflib is the API users get over the store, not a cost of every build."""
    import subprocess
    import sys

    source = ROOT / "tests" / "data" / "fixtures" / "loader_compilation_parts.txt"
    code = (
        "import sys\n"
        "from policykg.api import build\n"
        f"r = build([{str(source)!r}], store={str(tmp_path / 'store')!r})\n"
        "assert r.validation is not None and r.validation.conforms, r.validation\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
