"""SHACL validation of the built graph with pySHACL, as a typed report.

Each violation names its focus node and, through the node's ``prov:wasDerivedFrom``, the
source span it came from, so a user can open the text where the bad fact was read.
Must not import ``loaders`` or ``viz``; pySHACL is imported inside ``validate``.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, SH
from rdflib.term import Node

from policykg.errors import ShapeViolation
from policykg.ontology import ELI, PKG, SHAPES_PATH
from policykg.records import Span

__all__ = ["ValidationReport", "Violation", "load_shapes", "validate"]

logger = logging.getLogger(__name__)

_SHOWN: Final = 20


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
        """pySHACL's human-readable report."""
        return self.results_text


@functools.cache
def _shapes(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def load_shapes(path: Path | None = None) -> rdflib.Graph:
    """Return the shapes graph (``ontology/shapes.ttl`` unless ``path`` is given), cached."""
    return _shapes(path or SHAPES_PATH)


def _span_of(graph: rdflib.Graph, focus: Node) -> Span | None:
    node: Node | None = focus
    if (focus, RDF.type, PKG.SourceSpan) not in graph:
        node = graph.value(focus, PROV.wasDerivedFrom)
    if node is None:
        return None
    file = graph.value(node, PKG.sourceFile)
    start = graph.value(node, PKG.startLine)
    end = graph.value(node, PKG.endLine)
    if not (isinstance(file, Literal) and isinstance(start, Literal) and isinstance(end, Literal)):
        return None
    try:
        return Span(file=str(file), start_line=int(start), end_line=int(end))
    except ValueError:
        return None


def _shape_name(shapes: rdflib.Graph, shape: Node | None) -> str:
    """The named shape a result came from: a property shape's node shape if it is anonymous."""
    if shape is None:
        return ""
    if isinstance(shape, URIRef):
        return str(shape)
    parents = sorted({str(p) for p in shapes.subjects(SH.property, shape) if isinstance(p, URIRef)})
    return parents[0] if len(parents) == 1 else str(shape)


_SHAPES_NS: Final = "https://w3id.org/policykg/shapes#"


def _integrity(graph: rdflib.Graph) -> list[Violation]:
    """Whole-graph checks too costly as per-node SPARQL constraints in pySHACL."""
    out: list[Violation] = []
    for focus, _, section in graph.triples((None, PKG.statedIn, None)):
        doc = graph.value(focus, PKG.assignedBy)
        node: Node | None = section
        seen: set[Node] = set()
        while node is not None and node != doc and node not in seen:
            seen.add(node)
            node = graph.value(node, ELI.is_part_of)
        if doc is None or node != doc:
            out.append(_violation(graph, focus, PKG.statedIn, section, "StatedInOwnPolicy",
                                  "stated in a section that is not part of the policy that "
                                  "assigns it"))
    parents: dict[Node, list[Node]] = {}
    for child, _, parent in graph.triples((None, ORG.subOrganizationOf, None)):
        parents.setdefault(child, []).append(parent)
    for agency in sorted(parents, key=str):
        stack, seen = list(parents[agency]), set()
        while stack:
            up = stack.pop()
            if up == agency:
                out.append(_violation(graph, agency, ORG.subOrganizationOf, None,
                                      "AcyclicAgency", "the agency is its own (indirect) parent: "
                                      "org:subOrganizationOf has a cycle"))
                break
            if up not in seen:
                seen.add(up)
                stack.extend(parents.get(up, ()))
    return out


def _violation(
    graph: rdflib.Graph, focus: Node, path: Node, value: Node | None, shape: str, message: str
) -> Violation:
    return Violation(
        focus=str(focus),
        path=str(path),
        value=None if value is None else str(value),
        message=message,
        shape=_SHAPES_NS + shape,
        severity="Violation",
        span=_span_of(graph, focus),
    )


def _results(report: rdflib.Graph, data: rdflib.Graph, shapes: rdflib.Graph) -> list[Violation]:
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        out.append(
            Violation(
                focus=str(focus),
                path=None if path is None else str(path),
                value=None if value is None else str(value),
                message=str(report.value(result, SH.resultMessage) or ""),
                shape=_shape_name(shapes, report.value(result, SH.sourceShape)),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                span=None if focus is None else _span_of(data, focus),
            )
        )
    out.sort(key=lambda v: (v.focus, v.path or "", v.message, v.value or ""))
    return out


def validate(
    graph: rdflib.Graph, *, strict: bool = False, shapes: rdflib.Graph | None = None
) -> ValidationReport:
    """Validate ``graph`` against the SHACL shapes.

    Args:
        graph: the data graph (as ``graph.build.build_graph`` returns it).
        strict: raise ``ShapeViolation`` instead of returning a non-conforming report.
        shapes: another shapes graph (default: ``ontology/shapes.ttl``).

    Besides the SHACL shapes, two whole-graph integrity checks run (see ``_integrity``):
    a task's or target's section belongs to its policy, and agency parents have no cycle.

    Returns:
        The report; ``conforms`` is False only for results of severity ``sh:Violation``.

    Raises:
        ShapeViolation: ``strict`` and the graph does not conform; its span is the first
            violation's source span.
    """
    import pyshacl

    shapes_graph = shapes if shapes is not None else load_shapes()
    conforms, report_graph, text = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph,
        inference="none",
        allow_warnings=True,
        advanced=False,
    )
    results = _results(report_graph, graph, shapes_graph) + _integrity(graph)
    violations = tuple(v for v in results if v.severity == "Violation")
    warnings = tuple(v for v in results if v.severity != "Violation")
    report = ValidationReport(
        conforms=bool(conforms) and not violations,
        results_text=str(text),
        violations=violations,
        warnings=warnings,
    )
    logger.info("SHACL: %d violations, %d warnings", len(violations), len(warnings))
    if strict and not report.conforms:
        shown = "\n".join(str(v) for v in violations[:_SHOWN])
        more = f"\n… and {len(violations) - _SHOWN} more" if len(violations) > _SHOWN else ""
        first = violations[0] if violations else None
        raise ShapeViolation(
            f"the graph does not conform to the SHACL shapes: {len(violations)} violation(s)\n"
            f"{shown}{more}",
            span=first.span if first else None,
        )
    return report
