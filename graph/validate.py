"""SHACL validation of the built graph (``ontology/shapes.ttl``), as a typed report.

The build validates with ``shacl-rust`` (a Rust SHACL Core engine, MIT) on the N-Triples the
build writes: the same shapes and the same results as pySHACL, the reference, at a few per
cent of its cost (README, "Validation"); ``engine="pyshacl"`` runs the reference, and
``tests/graph/test_validate_engines.py`` checks both give identical results on the
compilation and on broken graphs.  Two whole-graph checks SHACL Core cannot state cheaply
run beside the shapes (``StatedInOwnPolicy``, ``AcyclicAgency``).

``validate_changed`` validates only what changed (one document's triples, or a batch of
them) against the rest of the graph, with the verdicts a full validation gives those nodes.

Each violation names its focus node and, through the node's ``prov:wasDerivedFrom``, the
source span it came from, so a user can open the text where the bad fact was read.
Must not import ``loaders`` or ``viz``; rdflib and pySHACL are imported only for an
``rdflib.Graph`` input or the reference engine.
"""

from __future__ import annotations

import functools
import io
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from policykg.errors import Errors, GraphError, ShapeViolation
from policykg.ontology import PREFIXES, SHAPES_PATH
from policykg.records import Span

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "ENGINES",
    "ValidationReport",
    "Violation",
    "load_shapes",
    "merge_report",
    "report_from_json",
    "report_to_json",
    "validate",
    "validate_changed",
]

logger = logging.getLogger(__name__)

_SHOWN: Final = 20
#: The validators ``validate`` can run: the build's, and the reference.
ENGINES: Final = ("shacl-rust", "pyshacl")
_SHAPES_NS: Final = "https://w3id.org/policykg/shapes#"
_SH: Final = "http://www.w3.org/ns/shacl#"
_RDF_TYPE: Final = f"<{PREFIXES['rdf']}type>"
_DERIVED: Final = f"<{PREFIXES['prov']}wasDerivedFrom>"
_PKG: Final = PREFIXES["pkg"]
_SPAN_CLASS: Final = f"<{_PKG}SourceSpan>"
_SOURCE_FILE: Final = f"<{_PKG}sourceFile>"
_START: Final = f"<{_PKG}startLine>"
_END: Final = f"<{_PKG}endLine>"
_PAGE: Final = f"<{_PKG}page>"
_SPAN_PROPS: Final = frozenset((_SOURCE_FILE, _START, _END, _PAGE))
_STATED_IN: Final = f"<{_PKG}statedIn>"
_ASSIGNED_BY: Final = f"<{_PKG}assignedBy>"
_PART_OF: Final = f"<{PREFIXES['eli']}is_part_of>"
_SUB_ORG: Final = f"<{PREFIXES['org']}subOrganizationOf>"


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One SHACL result: where, what, and the source span of the focus node."""

    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str  # the named (node or property) shape whose constraint failed
    severity: str
    span: Span | None

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span is not None else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value is not None else ""
        return f"{where}{self.severity} on <{self.focus}>{path}{value}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationReport:
    """The outcome of validating a graph against ``ontology/shapes.ttl``."""

    conforms: bool
    results_text: str
    violations: tuple[Violation, ...]
    warnings: tuple[Violation, ...] = ()

    @property
    def text(self) -> str:
        """A human-readable report (pySHACL's own with the reference engine)."""
        return self.results_text


# ------------------------------------------------------------------ N-Triples helpers


def _split(line: str) -> tuple[str, str, str] | None:
    """Subject, predicate and object (N-Triples syntax) of one line; None if blank."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-1].rstrip() if rest.endswith(".") else rest


def _unescape(text: str) -> str:
    out, i = [], 0
    escapes = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "'": "'"}
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in ("u", "U"):
                width = 4 if nxt == "u" else 8
                out.append(chr(int(text[i + 2 : i + 2 + width], 16)))
                i += 2 + width
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _plain(term: str) -> str:
    """A term as ``str()`` of its rdflib term gives it: the IRI, or the literal's lexical form."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    if term.startswith('"'):
        end = term.rfind('"')
        return _unescape(term[1:end])
    return term


def _lines_of(source: str | Path | Iterable[str]) -> Iterator[str]:
    if isinstance(source, Path):
        with source.open(encoding="utf-8") as f:
            yield from f
    elif isinstance(source, str):
        yield from source.splitlines()
    else:
        yield from source


# ------------------------------------------------------------------ shapes


@functools.cache
def _shapes_nt(path: Path) -> tuple[str, dict[str, str]]:
    """The shapes as N-Triples with stable blank node labels, and each anonymous property
    shape's named parent (node shape), so a result names the shape a reader can find."""
    import pyoxigraph

    from policykg.graph.triples import _t, _term

    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    lines: list[str] = []
    parents: defaultdict[str, set[str]] = defaultdict(set)
    for q in quads:
        s, o = _bnode_or_term(q.subject, _term), _bnode_or_term(q.object, _term)
        lines.append(_t(s, _bnode_or_term(q.predicate, _term), o))
        if q.predicate.value == _SH + "property" and isinstance(q.subject, pyoxigraph.NamedNode):
            parents[o].add(q.subject.value)
    named = {bnode: next(iter(ps)) for bnode, ps in parents.items() if len(ps) == 1}
    return "".join(lines), named


def _bnode_or_term(term: Any, to_term: Callable[[Any], str]) -> str:
    import pyoxigraph

    return str(term) if isinstance(term, pyoxigraph.BlankNode) else to_term(term)


@functools.cache
def _shapes_graph(path: Path) -> rdflib.Graph:
    import rdflib

    return rdflib.Graph().parse(path, format="turtle")


def load_shapes(path: Path | None = None) -> rdflib.Graph:
    """Return the shapes graph (``ontology/shapes.ttl`` unless ``path`` is given), cached."""
    return _shapes_graph(path or SHAPES_PATH)


# ------------------------------------------------------------------ focus details


class _Details:
    """Source spans of focus nodes, read from the data only when there are results."""

    def __init__(self, source: Callable[[], Iterable[str]], focus: set[str]) -> None:
        derived: dict[str, str] = {}
        span_props: defaultdict[str, dict[str, str]] = defaultdict(dict)
        spans: set[str] = set()
        wanted = (_DERIVED, _RDF_TYPE)
        for line in source():
            if line[:1] not in (" ", "\t"):
                # only a few lines matter: a focus node's, and a span's place
                head = line.split(" ", 2)
                if len(head) < 3 or not ((head[0] in focus and head[1] in wanted)
                                         or head[1] in _SPAN_PROPS):
                    continue
            parts = _split(line)
            if parts is None:
                continue
            s, p, o = parts
            if s in focus:
                if p == _DERIVED:
                    derived.setdefault(s, o)
                elif p == _RDF_TYPE and o == _SPAN_CLASS:
                    spans.add(s)
            if p in (_SOURCE_FILE, _START, _END, _PAGE):
                span_props[s][p] = o
        self._derived, self._spans, self._props = derived, spans, span_props

    def span(self, focus: str) -> Span | None:
        node = focus if focus in self._spans else self._derived.get(focus)
        props = self._props.get(node or "", {})
        try:
            page = props.get(_PAGE)
            return Span(file=_plain(props[_SOURCE_FILE]), start_line=int(_plain(props[_START])),
                        end_line=int(_plain(props[_END])),
                        page=None if page is None else int(_plain(page)))
        except (KeyError, ValueError):
            return None


# ------------------------------------------------------------------ whole-graph checks


_CHECKED: Final = (_STATED_IN, _ASSIGNED_BY, _PART_OF, _SUB_ORG)


#: How much of an N-Triples file ``_lines_naming`` reads at a time.
_BLOCK = 1 << 24


def _lines_naming(path: Path, names: Sequence[str], block: int = _BLOCK) -> Iterator[str]:
    """The lines of an N-Triples file that hold any of ``names``, in file order: found by a
    byte search, without decoding the other lines (a tenth of the graph's lines), reading
    ``block`` bytes at a time (a ×100 graph.nt is a gigabyte)."""
    needles = [name.encode("utf-8") for name in names]
    rest = b""
    with path.open("rb") as f:
        while True:
            chunk = f.read(block)
            data = rest + chunk
            cut = len(data) if not chunk else data.rfind(b"\n") + 1
            rest, data = data[cut:], data[:cut]
            starts: set[int] = set()
            for needle in needles:
                at = data.find(needle)
                while at >= 0:
                    starts.add(data.rfind(b"\n", 0, at) + 1)
                    at = data.find(needle, at + len(needle))
            for start in sorted(starts):
                end = data.find(b"\n", start)
                yield data[start:end if end >= 0 else len(data)].decode("utf-8")
            if not chunk:
                return


def _integrity(source: Callable[[], Iterable[str]] | Path,
               ) -> list[tuple[str, str, str | None, str, str]]:
    """StatedInOwnPolicy and AcyclicAgency: (focus, path, value, shape, message), N-Triples
    lines (or the path of an N-Triples file)."""
    stated: list[tuple[str, str]] = []
    assigned: dict[str, str] = {}
    part_of: dict[str, str] = {}
    parents: defaultdict[str, list[str]] = defaultdict(list)
    found = _lines_naming(source, _CHECKED) if isinstance(source, Path) else (
        line for line in source() if any(name in line for name in _CHECKED))
    for line in found:
        parts = _split(line)
        if parts is None:
            continue
        s, p, o = parts
        if p == _STATED_IN:
            stated.append((s, o))
        elif p == _ASSIGNED_BY:
            assigned.setdefault(s, o)
        elif p == _PART_OF:
            part_of.setdefault(s, o)
        elif p == _SUB_ORG:
            parents[s].append(o)
    out: list[tuple[str, str, str | None, str, str]] = []
    for focus, section in stated:
        doc = assigned.get(focus)
        node: str | None = section
        seen: set[str] = set()
        while node is not None and node != doc and node not in seen:
            seen.add(node)
            node = part_of.get(node)
        if doc is None or node != doc:
            out.append((focus, _STATED_IN, section, "StatedInOwnPolicy",
                        "stated in a section that is not part of the policy that assigns it"))
    for agency in sorted(parents):
        stack, visited = list(parents[agency]), set()
        while stack:
            up = stack.pop()
            if up == agency:
                out.append((agency, _SUB_ORG, None, "AcyclicAgency",
                            "the agency is its own (indirect) parent: org:subOrganizationOf "
                            "has a cycle"))
                break
            if up not in visited:
                visited.add(up)
                stack.extend(parents.get(up, ()))
    return out


# ------------------------------------------------------------------ engines


_Result = tuple[str, str | None, str | None, str, str, str]  # focus path value message shape sev


def _rust_results(data: str | Path, shapes: Path) -> list[_Result]:
    import shacl_rust

    shapes_nt, parents = _shapes_nt(shapes)
    try:
        if isinstance(data, Path):
            with data.open("rb") as f:
                report = shacl_rust.validate_file(f, io.BytesIO(shapes_nt.encode("utf-8")),
                                                  data_format="nt", shapes_format="nt",
                                                  experimental_index=True)
        else:
            report = shacl_rust.validate(data, shapes_nt, data_format="nt", shapes_format="nt",
                                         experimental_index=True)
    except (ValueError, RuntimeError, OSError) as e:
        raise GraphError(Errors.G004.format(reason=e)) from e
    out: list[_Result] = []
    for r in report["results"]:
        shape = r.get("sourceShape", "")
        shape = parents.get(shape, shape)
        messages = r.get("messages") or [""]
        path = r.get("resultPath")
        value = r.get("value")
        out.append((
            _plain(r["focusNode"]),
            None if path is None else _plain(path),
            None if value is None else _plain(value),
            # a shape's own sh:message comes after the engine's text; pySHACL shows only it
            messages[-1],
            _plain(shape),
            _plain(r.get("severity", _SH + "Violation")).rsplit("#", 1)[-1],
        ))
    return out


def _pyshacl_results(graph: rdflib.Graph, shapes: rdflib.Graph) -> tuple[list[_Result], str]:
    import pyshacl
    from rdflib import URIRef
    from rdflib.namespace import RDF, SH

    _conforms, report, text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=False
    )
    out: list[_Result] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        source_shape = report.value(result, SH.sourceShape)
        shape = "" if source_shape is None else str(source_shape)
        if source_shape is not None and not isinstance(source_shape, URIRef):
            named = sorted({str(p) for p in shapes.subjects(SH.property, source_shape)
                            if isinstance(p, URIRef)})
            shape = named[0] if len(named) == 1 else shape
        out.append((
            str(focus),
            None if path is None else str(path),
            None if value is None else str(value),
            str(report.value(result, SH.resultMessage) or ""),
            shape,
            str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        ))
    return out, str(text)


def _as_graph(source: Any) -> rdflib.Graph:
    import rdflib

    if isinstance(source, rdflib.Graph):
        return source
    g = rdflib.Graph()
    if isinstance(source, Path):
        g.parse(source, format="nt")
    else:
        g.parse(data="".join(f"{line.rstrip()}\n" for line in _lines_of(source)), format="nt")
    return g


def _nt_source(source: Any) -> str | Path:
    if isinstance(source, Path | str):
        return source
    if hasattr(source, "serialize") and hasattr(source, "triples"):  # an rdflib.Graph
        text: str = source.serialize(format="nt", encoding="utf-8").decode("utf-8")
        return text
    return "".join(f"{line.rstrip()}\n" for line in source)


def validate(
    graph: rdflib.Graph | str | Path | Iterable[str],
    *,
    strict: bool = False,
    shapes: rdflib.Graph | Path | None = None,
    engine: str = "shacl-rust",
    focus: set[str] | None = None,
) -> ValidationReport:
    """Validate a graph against the SHACL shapes.

    Args:
        graph: the data: an ``rdflib.Graph``, N-Triples text, the path of an N-Triples file
            (as the store's ``graph.nt``), or N-Triples lines.
        strict: raise ``ShapeViolation`` instead of returning a non-conforming report.
        shapes: another shapes file or graph (default: ``ontology/shapes.ttl``).
        engine: ``shacl-rust`` (the build's) or ``pyshacl`` (the reference).
        focus: keep only results on these focus nodes (IRIs), as ``validate_changed`` does.

    Besides the SHACL shapes, two whole-graph integrity checks run (see ``_integrity``):
    a task's or target's section belongs to its policy, and agency parents have no cycle.

    Returns:
        The report; ``conforms`` is False only for results of severity ``sh:Violation``.

    Raises:
        ShapeViolation: ``strict`` and the graph does not conform; its span is the first
            violation's source span.
        GraphError: unknown engine, or data the engine cannot read.
    """
    if engine not in ENGINES:
        raise GraphError(Errors.G005.format(engine=engine, engines=", ".join(ENGINES)))
    source_any: Any = graph
    if not isinstance(graph, str | Path) and not hasattr(graph, "serialize"):
        source_any = list(graph)  # an iterator is read more than once
    text = ""
    if engine == "pyshacl":
        shapes_graph = shapes if shapes is not None and not isinstance(shapes, Path) \
            else load_shapes(shapes)
        results, text = _pyshacl_results(_as_graph(source_any), shapes_graph)
    else:
        shapes_path = shapes if isinstance(shapes, Path) else SHAPES_PATH
        if shapes is not None and not isinstance(shapes, Path):
            raise GraphError(Errors.G006)
        results = _rust_results(_nt_source(source_any), shapes_path)

    def lines() -> Iterable[str]:
        if hasattr(source_any, "serialize") and not isinstance(source_any, str | Path):
            return _nt_source(source_any).splitlines()  # type: ignore[union-attr]
        return _lines_of(source_any)

    integrity = _integrity(source_any if isinstance(source_any, Path) else lines)
    for focus_nt, path_nt, value_nt, shape, message in integrity:
        results.append((_plain(focus_nt), _plain(path_nt),
                        None if value_nt is None else _plain(value_nt), message,
                        _SHAPES_NS + shape, "Violation"))
    if focus is not None:
        results = [r for r in results if r[0] in focus]
    details = _Details(lines, {f"<{r[0]}>" for r in results}) if results else None
    found = sorted(
        (Violation(focus=f, path=p, value=v, message=m, shape=s, severity=sev,
                   span=details.span(f"<{f}>") if details else None)
         for f, p, v, m, s, sev in results),
        key=lambda v: (v.focus, v.path or "", v.message, v.value or "", v.shape),
    )
    violations = tuple(v for v in found if v.severity == "Violation")
    warnings = tuple(v for v in found if v.severity != "Violation")
    if engine != "pyshacl" or integrity:
        text = _report_text(violations, warnings)
    report = ValidationReport(conforms=not violations, results_text=text,
                              violations=violations, warnings=warnings)
    logger.info("SHACL (%s): %d violations, %d warnings", engine, len(violations), len(warnings))
    if strict and not report.conforms:
        shown = "\n".join(str(v) for v in violations[:_SHOWN])
        more = f"\n… and {len(violations) - _SHOWN} more" if len(violations) > _SHOWN else ""
        first = violations[0] if violations else None
        raise ShapeViolation(
            Errors.G007.format(count=len(violations), shown=shown, more=more),
            span=first.span if first else None,
        )
    return report


def _report_text(violations: Sequence[Violation], warnings: Sequence[Violation]) -> str:
    head = f"Validation Report\nConforms: {not violations}\n"
    if not violations and not warnings:
        return head
    body = "\n".join(str(v) for v in (*violations, *warnings))
    return f"{head}Results ({len(violations) + len(warnings)}):\n{body}\n"


# ------------------------------------------------------------------ incremental


def _subjects_and_objects(lines: Sequence[str]) -> tuple[set[str], set[str]]:
    subjects: set[str] = set()
    objects: set[str] = set()
    for line in lines:
        parts = _split(line)
        if parts is None:
            continue
        subjects.add(parts[0])
        if parts[2].startswith("<"):
            objects.add(parts[2])
    return subjects, objects


def validate_changed(
    changed: Sequence[str],
    graph: Path | Iterable[str] | Any,
    *,
    strict: bool = False,
) -> ValidationReport:
    """Validate only ``changed`` (N-Triples lines: one document's batch, or several).

    The rest of the graph (``graph``: the new graph's N-Triples file or lines, or an open
    pyoxigraph ``Store`` of it) gives the context: every triple about a node the changed
    lines name, as subject or object, so ``sh:class``, ``sh:maxCount`` and the integrity
    checks see what a full validation sees.  Results are kept for the subjects of
    ``changed``: the verdicts a full validation gives those nodes.
    """
    subjects, objects = _subjects_and_objects(changed)
    wanted = subjects | objects
    context: list[str] = []
    if hasattr(graph, "quads_for_pattern"):
        import pyoxigraph

        from policykg.graph.triples import _t, _term

        for node in sorted(wanted):
            for q in graph.quads_for_pattern(pyoxigraph.NamedNode(node[1:-1]), None, None):
                if not isinstance(q.object, pyoxigraph.BlankNode):
                    context.append(_t(node, _term(q.predicate), _term(q.object)))
    else:
        for line in _lines_of(graph):
            if line[: line.find(" ")] in wanted:
                context.append(line if line.endswith("\n") else line + "\n")
    data = sorted({*(line if line.endswith("\n") else line + "\n" for line in changed), *context})
    return validate(data, strict=strict, focus={s[1:-1] for s in subjects})


def report_to_json(report: ValidationReport) -> dict[str, Any]:
    """The results of a report as JSON-ready data (what a store keeps in validation.json)."""
    def row(v: Violation) -> dict[str, Any]:
        return {"focus": v.focus, "path": v.path, "value": v.value, "message": v.message,
                "shape": v.shape, "severity": v.severity,
                "span": None if v.span is None else
                [v.span.file, v.span.start_line, v.span.end_line]}

    return {"violations": [row(v) for v in report.violations],
            "warnings": [row(v) for v in report.warnings]}


def report_from_json(data: Any) -> tuple[Violation, ...] | None:
    """The results ``report_to_json`` wrote; None if the data is not such a report."""
    try:
        rows = [*data["violations"], *data["warnings"]]
        return tuple(
            Violation(focus=r["focus"], path=r["path"], value=r["value"], message=r["message"],
                      shape=r["shape"], severity=r["severity"],
                      span=None if r["span"] is None else Span(
                          file=r["span"][0], start_line=r["span"][1], end_line=r["span"][2]))
            for r in rows)
    except (KeyError, TypeError, IndexError):
        return None


def merge_report(kept: Iterable[Violation], new: ValidationReport) -> ValidationReport:
    """The report of a whole graph from the results kept for unchanged nodes and the report
    of the changed ones (``validate_changed``)."""
    found = sorted({*kept, *new.violations, *new.warnings},
                   key=lambda v: (v.focus, v.path or "", v.message, v.value or "", v.shape))
    violations = tuple(v for v in found if v.severity == "Violation")
    warnings = tuple(v for v in found if v.severity != "Violation")
    return ValidationReport(conforms=not violations,
                            results_text=_report_text(violations, warnings),
                            violations=violations, warnings=warnings)
