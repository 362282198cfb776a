"""The build's SHACL engine (shacl-rust) gives pySHACL's verdicts: same focus, path, severity.

pySHACL is the reference.  Both run on the compilation's graph, on the compilation with
faults injected, and on every broken snippet of ``test_validate.py``; ``validate_changed``
(one document's batch against the rest) gives the full validation's verdicts on that batch.
"""

# ruff: noqa: E501  (the fault patterns are N-Triples lines and read best unwrapped)
from __future__ import annotations

import re

import pytest

from policykg.graph import triples
from policykg.graph.validate import ValidationReport, validate, validate_changed
from tests.graph.test_validate import BROKEN, VALID, _graph

Key = tuple[str, str | None, str | None, str, str]


def _keys(report: ValidationReport) -> list[Key]:
    # distinct results: on a value that breaks several constraints at once ("5942" as a
    # string line number: datatype, minInclusive, lessThanOrEquals) pySHACL reports each
    # constraint, shacl-rust the first; focus, path, value, severity and shape agree
    return sorted({(v.focus, v.path, v.value, v.severity, v.shape)
                   for v in (*report.violations, *report.warnings)})


def _same(data: object) -> list[Key]:
    rust = validate(data, engine="shacl-rust")  # type: ignore[arg-type]
    ref = validate(data, engine="pyshacl")  # type: ignore[arg-type]
    assert _keys(rust) == _keys(ref)
    assert rust.conforms == ref.conforms
    assert {(v.focus, v.span) for v in rust.violations} == {(v.focus, v.span) for v in ref.violations}
    return _keys(rust)


@pytest.mark.parametrize(("old", "new", "shape"), BROKEN)
def test_engines_agree_on_each_broken_snippet(old: str, new: str, shape: str) -> None:
    keys = _same(_graph(VALID.replace(old, new)))
    assert shape in {k[4].rsplit("#", 1)[-1] for k in keys}


def test_engines_agree_on_the_valid_snippet() -> None:
    assert _same(_graph(VALID)) == []


T = "https://w3id.org/policykg/"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# (what to find in a line, what to put instead): one fault of each kind in a real graph
FAULTS = [
    # a task loses its policy
    (re.compile(r"^(<https://w3id\.org/policykg/task/[^>]+>) <https://w3id\.org/policykg/ontology#assignedBy> .*$"), ""),
    # a target's direction outside the list
    (re.compile(r'^(<https://w3id\.org/policykg/target/[^>]+> <https://w3id\.org/policykg/ontology#direction>) "[a-z_]+" \.$'),
     r'\1 "upwards" .'),
    # a section's depth 0
    (re.compile(r'^(<[^>]+/section/[^>]+> <https://w3id\.org/policykg/ontology#depth>) "\d+"(\^\^<[^>]+>) \.$'),
     r'\1 "0"\2 .'),
    # a span ends before it starts
    (re.compile(r'^(<[^>]+> <https://w3id\.org/policykg/ontology#startLine>) "(\d+)"(\^\^<[^>]+>) \.$'),
     r'\1 "999999"\3 .'),
    # an inferred 文号 claims to fill a property no inference fills
    (re.compile(r'^(<[^>]+/inferred/doc_number> <https://w3id\.org/policykg/ontology#fills>) <[^>]+> \.$'),
     r'\1 <http://data.europa.eu/eli/ontology#passed_by> .'),
    # an inferred value loses the document it was quoted from
    (re.compile(r"^<[^>]+/inferred/date> <http://www\.w3\.org/ns/prov#wasQuotedFrom> .*$"), ""),
    # a document's title becomes a plain string
    (re.compile(r'^(<https://w3id\.org/policykg/doc/[^/>]+> <http://data\.europa\.eu/eli/ontology#title>) "(.*)"@zh \.$'),
     r'\1 "\2" .'),
]


def _inject(lines: list[str], every: int = 40) -> list[str]:
    """Break the ``every``-th line matching each fault (a few faults of each kind)."""
    out = []
    hits = [0] * len(FAULTS)
    for line in lines:
        for i, (pattern, repl) in enumerate(FAULTS):
            if pattern.match(line):
                hits[i] += 1
                if hits[i] % every == 1:
                    line = pattern.sub(repl, line)
                break
        if line:
            out.append(line)
    return out


@pytest.fixture(scope="module")
def compilation_build() -> object:
    from policykg.pipeline import build, bundled_input

    return build([bundled_input()], validate=False)


@pytest.fixture(scope="module")
def compilation_lines(compilation_build: object) -> list[str]:
    result = compilation_build
    text = triples.ntriples_text(result.corpus, result.corpus.sectors, result.tree)  # type: ignore[attr-defined]
    return text.splitlines()


@pytest.mark.slow
def test_engines_agree_on_the_compilation(compilation_lines: list[str]) -> None:
    assert _same("\n".join(compilation_lines) + "\n") == []


@pytest.mark.slow
def test_engines_agree_on_the_compilation_with_faults(compilation_lines: list[str]) -> None:
    broken = _inject(compilation_lines)
    keys = _same("\n".join(broken) + "\n")
    paths = {k[1] for k in keys}
    assert {f"{T}ontology#assignedBy", f"{T}ontology#direction", f"{T}ontology#depth",
            f"{T}ontology#startLine", "http://data.europa.eu/eli/ontology#title",
            f"{T}ontology#fills", "http://www.w3.org/ns/prov#wasQuotedFrom"} <= paths
    assert len(keys) >= 5 * 3 + 2


@pytest.mark.slow
def test_validating_one_changed_document_gives_the_full_verdicts(
    compilation_lines: list[str], compilation_build: object
) -> None:
    broken = _inject(compilation_lines, every=3)
    full = validate("\n".join(broken) + "\n")
    corpus = compilation_build.corpus  # type: ignore[attr-defined]
    by_doc = dict(triples.corpus_batches(corpus, corpus.sectors, compilation_build.tree))  # type: ignore[attr-defined]
    broken_set = set(broken)
    checked = 0
    for doc in corpus.documents[:40]:
        batch = sorted({line.rstrip("\n") for line in by_doc[doc.id]})
        # the document's lines as they are in the broken graph (a broken line replaced)
        mine = [line for line in batch if line in broken_set]
        subjects = {line.split(" ", 1)[0] for line in batch}
        mine += [line for line in broken if line.split(" ", 1)[0] in subjects
                 and line not in mine and not line.startswith(f"<{T}agency/")]
        report = validate_changed(mine, broken)
        expected = sorted(
            (v.focus, v.path, v.value, v.severity) for v in full.violations
            if f"<{v.focus}>" in {line.split(" ", 1)[0] for line in mine})
        assert sorted((v.focus, v.path, v.value, v.severity) for v in report.violations) \
            == expected
        checked += len(expected)
    assert checked > 0
