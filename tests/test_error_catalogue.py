"""The error catalogue ``policykg.errors.Errors`` is the single source of codes and messages.

Issue 10: every problem a loader reports and every user-facing message is made from a
catalogue entry (spaCy's ``Errors`` is the model), call sites name the entry
(``Errors.L002.at(span, number="1.3")``, ``Errors.Q001.format(ref=...)``) and never write a
code or a problem's message themselves; README's table of problem codes is the catalogue's.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterable
from pathlib import Path

import pytest

from policykg import errors as errors_module
from policykg.errors import (
    PROBLEM_CODES,
    Errors,
    PolicyKGError,
    ProblemMessage,
    problem_messages,
)
from policykg.records import Corpus, Problem, Span

ROOT = Path(__file__).resolve().parent.parent
# policykg/*.py, and the layers once each (they are also linked into policykg/)
SOURCES = sorted((ROOT / "policykg").glob("*.py")) + sorted(
    p for layer in ("loaders", "graph", "viz", "ontology") for p in (ROOT / layer).rglob("*.py"))
CATALOGUE = ROOT / "policykg" / "errors.py"
CODE = re.compile(r"^[A-Z]\d{3}$")
ENTRY = re.compile(r"^([A-Z]\d{3})(_[A-Z0-9]+)*$")


def _entries() -> dict[str, object]:
    return {name: value for name, value in vars(Errors).items() if ENTRY.match(name)}


def _used_entries() -> dict[str, list[str]]:
    """``Errors.NAME`` attributes used by the code outside the catalogue, with where."""
    used: dict[str, list[str]] = {}
    for path in SOURCES:
        if path == CATALOGUE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "Errors"):
                used.setdefault(node.attr, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return used


def test_every_entry_used_exists_and_every_entry_is_used() -> None:
    used, entries = _used_entries(), _entries()
    assert used, "the scan found no Errors.X"
    unknown = {name: where for name, where in used.items() if name not in entries}
    assert not unknown, f"not in the catalogue: {unknown}"
    assert set(entries) <= set(used), f"unused entries: {sorted(set(entries) - set(used))}"


def test_no_call_site_writes_a_problem_or_a_code_itself() -> None:
    # a Problem is made only by ProblemMessage.at; a code is only an entry's name
    found = []
    for path in SOURCES:
        if path == CATALOGUE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} Problem(...)")
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and CODE.match(node.value) and node.value in PROBLEM_CODES):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert not found


_INPUT_ERRORS = {"InputError", "EncodingError", "EmptyInputError", "NotAPolicyTextError",
                 "ParseError", "EncryptedPdfError", "DamagedPdfError", "ScannedPdfError"}


def test_every_input_error_of_the_loaders_is_a_catalogue_message() -> None:
    # the one-line errors a user meets for a bad file: raised with Errors.I… (issue 10)
    inline = []
    for path in sorted((ROOT / "loaders").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and getattr(node.exc.func, "id", "") in _INPUT_ERRORS):
                continue
            first = node.exc.args[0] if node.exc.args else None
            if not (first is not None and "Errors." in ast.unparse(first)):
                inline.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not inline, f"input errors written inline: {inline}"


# Every exception of the project's tree (PolicyKGError and its subclasses) reaches a user: as
# ``policykg: error: …`` on one line, or as an API exception's message. Exempt, because they
# are bugs and not a user's mistake: the standard library's exceptions raised for a caller's
# programming misuse inside a function (``ValueError("batch_size must be at least 1")``,
# ``TypeError``, ``AssertionError``) and argparse's ``ArgumentTypeError`` (argparse prints its
# own usage line).
_PROJECT_ERRORS = {name for name, value in vars(errors_module).items()
                   if isinstance(value, type) and issubclass(value, PolicyKGError)}
# every layer: policykg/, loaders/, graph/, viz/
_USER_FACING = sorted((ROOT / "policykg").glob("*.py")) + sorted(
    p for layer in ("loaders", "graph", "viz") for p in (ROOT / layer).rglob("*.py"))


def _written_inline(node: ast.expr | None) -> bool:
    """A message written at the call site: a literal, an f-string, or text made from them."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):  # "a" + b, "%s" % b
        return _written_inline(node.left) or _written_inline(node.right)
    if isinstance(node, ast.IfExp):
        return _written_inline(node.body) or _written_inline(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # "…".format(…)
        return _written_inline(node.func.value)
    return False


def _message(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "message"), None)


def _inline_messages(path: Path, root: Path = ROOT) -> list[str]:
    """Where ``path`` makes a project exception with a message written inline."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
            continue
        # a message kept in a local name first: what the function assigns to that name
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                assigned.setdefault(node.target.id, []).append(node.value)
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in _PROJECT_ERRORS:
                continue
            message = _message(node)
            values = ([message] if not isinstance(message, ast.Name)
                      else assigned.get(message.id, []))
            if any(_written_inline(v) for v in values):
                found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(node)[:70]}")
    return sorted(set(found))


def test_no_project_error_of_any_layer_writes_its_message_inline() -> None:
    # issue 10: raise StoreError(Errors.S001.format(path=..., reason=...)), never
    # raise StoreError(f"{path}: cannot write ({e})")
    assert {"StoreError", "QueryError", "AmbiguousError", "ShapeViolation"} <= _PROJECT_ERRORS
    inline = [where for path in _USER_FACING for where in _inline_messages(path)]
    assert not inline, "messages written inline:\n" + "\n".join(inline)


@pytest.mark.parametrize(("source", "inline"), [
    ('raise StoreError(f"{p}: cannot write")', True),
    ('raise errors.QueryError("empty query")', True),
    ('raise GraphError("unknown " + fmt)', True),
    ('m = f"{p}: gone"\nraise StoreError(m, span=s)', True),
    ('raise AmbiguousError(message="x {}".format(n))', True),
    ('raise StoreError(Errors.S001.format(path=p, reason=e))', False),
    ('raise QueryError(Errors.Q012)', False),
    ('raise StoreError(e.message)', False),
    ('raise ValueError(f"not a policykg IRI: {iri}")', False),  # a bug: exempt
])
def test_the_inline_message_check_finds_what_it_should(
        tmp_path: Path, source: str, inline: bool) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    " + source.replace("\n", "\n    ") + "\n", encoding="utf-8")
    assert bool(_inline_messages(module, tmp_path)) is inline


def _fields(template: str) -> set[str]:
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template)
            if f is not None}


def test_every_use_of_an_entry_gives_exactly_its_fields() -> None:
    # an error path is rarely run: a field misspelt at a call site would raise KeyError (or
    # print "{path}") only when the user meets the error, so check the call sites statically
    entries, wrong = _entries(), []
    for path in SOURCES:
        if path == CATALOGUE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "Errors" and node.attr in entries):
                continue
            entry = entries[node.attr]
            template = entry.template if isinstance(entry, ProblemMessage) else str(entry)
            use = parents.get(node)
            call = parents.get(use) if isinstance(use, ast.Attribute) else None
            if isinstance(use, ast.Attribute) and use.attr in ("code", "name", "meaning"):
                continue  # Errors.L006.code: the code, not a message
            if isinstance(use, ast.Attribute) and isinstance(call, ast.Call) \
                    and use.attr in ("format", "at"):
                if any(k.arg is None for k in call.keywords):
                    continue  # **fields: checked when run
                given = {k.arg for k in call.keywords} - {"excerpt", "span"}
            else:
                given = set()  # the message as it is: a template without fields
            if given != _fields(template):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.attr} gives "
                             f"{sorted(given)}, needs {sorted(_fields(template))}")
    assert not wrong, "\n".join(wrong)


def test_codes_are_stable_and_greppable() -> None:
    entries = _entries()
    problems = [m for m in entries.values() if isinstance(m, ProblemMessage)]
    messages = {n for n, m in entries.items() if isinstance(m, str)}
    assert {m.code for m in problems} == set(PROBLEM_CODES)
    assert not {n.split("_")[0] for n in messages} & set(PROBLEM_CODES), (
        "a message code doubles a problem code")
    # every code's own entry says what it means; a variant belongs to a code that has one
    assert all(PROBLEM_CODES[m.code] for m in problems)
    assert all(m.name == m.code or not m.meaning for m in problems)
    # the codes kept from before the catalogue held messages (issue 10: keep every code)
    assert {"L001", "L002", "L003", "L004", "L005", "D001", "A001", "A002", "T001", "C001",
            "E001", "P001", "P002", "P003"} <= set(PROBLEM_CODES)


def test_a_message_carries_its_code() -> None:
    assert Errors.Q001.format(ref="x").startswith("[Q001] ")
    assert Errors.I002_KINDS.format(path="d", count=2) == (
        "[I002] folder holds no .pdf or .txt file: d (2 other files ignored)")
    problem = Errors.L002_ORDER.at(Span(file="c.txt", start_line=5, end_line=5),
                                   excerpt="1.5 …", number="1.5", previous="1.3")
    assert problem == Problem(code="L002", span=Span(file="c.txt", start_line=5, end_line=5),
                              message="document number 1.5 follows 1.3", excerpt="1.5 …")
    with pytest.raises(KeyError):
        Errors.L002.at(Span(file="c.txt", start_line=5, end_line=5))  # a field left out


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a regular expression: its text literal, each field any text."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(".+?")
    return re.compile("".join(parts), re.DOTALL)


def _not_from_the_catalogue(problems: Iterable[Problem]) -> list[str]:
    patterns: dict[str, list[re.Pattern[str]]] = {}
    for m in problem_messages():
        patterns.setdefault(m.code, []).append(_pattern(m.template))
    return [str(p) for p in problems
            if not any(pat.fullmatch(p.message) for pat in patterns.get(p.code, []))]


def test_every_problem_of_the_compilation_comes_from_the_catalogue(
        compilation_corpus: Corpus) -> None:
    problems = compilation_corpus.problems
    assert sorted({p.code for p in problems}) == ["L003", "T001"]
    assert not _not_from_the_catalogue(problems)


def test_every_problem_of_the_pdf_fixtures_comes_from_the_catalogue(
        fixtures_dir: Path) -> None:
    from policykg.loaders.corpus import load

    corpus = load([fixtures_dir / "pdf"])  # the bad PDFs are skipped, one line each
    codes = {p.code for p in corpus.problems}
    assert {"A002", "D001", "P001", "P003", "P004"} <= codes
    assert not _not_from_the_catalogue(corpus.problems)


def test_every_problem_of_damaged_text_comes_from_the_catalogue(
        fixtures_dir: Path, tmp_path: Path) -> None:
    # GBK (E001), a notice printed twice (L006) and the same notice in two files (L005)
    notice = (fixtures_dir / "loader_single_notice.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(notice * 2, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(notice.encode("gb18030"))
    from policykg.loaders.documents import load_documents

    problems = load_documents([tmp_path]).problems
    assert sorted(p.code for p in problems) == ["E001", "L005", "L006"]
    assert not _not_from_the_catalogue(problems)


def problem_code_table() -> str:
    """README's table of problem codes, made from the catalogue."""
    rows = ["| code | means | message |", "|---|---|---|"]
    for code, meaning in PROBLEM_CODES.items():
        templates = "; ".join(f"`{m.template}`" for m in problem_messages() if m.code == code)
        rows.append(f"| {code} | {meaning} | {templates} |")
    return "\n".join(rows) + "\n"


def test_readme_problem_code_table_is_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = problem_code_table()
    assert table in readme, f"README's table of problem codes should read:\n{table}"


def message_table() -> str:
    """README's table of error messages (what ``policykg: error: [CODE] …`` says), made from the
    catalogue."""
    rows = ["| code | message |", "|---|---|"]
    by_code: dict[str, list[str]] = {}
    for name, value in vars(Errors).items():
        if ENTRY.match(name) and isinstance(value, str):
            by_code.setdefault(name.split("_")[0], []).append(value)
    for code, templates in by_code.items():
        said = "; ".join(f"`{t}`".replace("|", "\\|").replace("\n", "↵") for t in templates)
        rows.append(f"| {code} | {said} |")
    return "\n".join(rows) + "\n"


def test_readme_message_table_is_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = message_table()
    assert table in readme, f"README's table of error messages should read:\n{table}"
