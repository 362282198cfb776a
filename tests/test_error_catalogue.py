"""The error catalogue of ``policykg/errors.py`` is the single source of codes (issue 10).

Every problem code a loader reports is catalogued in ``PROBLEM_CODES`` and every catalogued
code is reported somewhere; every user-facing message code ``Errors.Xnnn`` is used by a call
site, and no call site invents a code the catalogue lacks.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from policykg.errors import PROBLEM_CODES, Errors

ROOT = Path(__file__).resolve().parent.parent
# policykg/*.py, and the layers once each (they are also linked into policykg/)
SOURCES = sorted((ROOT / "policykg").glob("*.py")) + sorted(
    p for layer in ("loaders", "graph", "viz", "ontology") for p in (ROOT / layer).rglob("*.py"))
CODE = re.compile(r"^[A-Z]\d{3}$")


def _problem_codes() -> dict[str, list[str]]:
    """Codes passed as ``code=`` to a ``Problem(...)`` call, with where."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem"):
                continue
            for kw in node.keywords:
                if (kw.arg == "code" and isinstance(kw.value, ast.Constant)
                        and isinstance(kw.value.value, str)):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(kw.value.value, []).append(where)
    return found


def _message_codes() -> set[str]:
    """``Errors.Xnnn`` attributes used anywhere in the code."""
    used: set[str] = set()
    for path in SOURCES:
        used |= set(re.findall(r"\bErrors\.([A-Z]\d{3})\b", path.read_text(encoding="utf-8")))
    return used


def test_every_reported_problem_code_is_catalogued() -> None:
    codes = _problem_codes()
    assert codes, "the scan found no Problem(code=...) call"
    unknown = {c: w for c, w in codes.items() if c not in PROBLEM_CODES}
    assert not unknown, f"codes missing from errors.PROBLEM_CODES: {unknown}"


def test_every_catalogued_problem_code_is_reported() -> None:
    assert set(PROBLEM_CODES) <= set(_problem_codes())


def test_problem_codes_are_stable_and_greppable() -> None:
    assert all(CODE.match(c) and message for c, message in PROBLEM_CODES.items())


def test_every_message_code_is_used_and_exists() -> None:
    catalogued = {name for name in vars(Errors) if CODE.match(name)}
    used = _message_codes()
    assert used <= catalogued, f"Errors has no {sorted(used - catalogued)}"
    assert catalogued <= used, f"unused messages: {sorted(catalogued - used)}"
    assert not catalogued & set(PROBLEM_CODES), "a message code doubles a problem code"


def test_a_message_carries_its_code() -> None:
    assert Errors.Q001.format(ref="x").startswith("[Q001] ")
