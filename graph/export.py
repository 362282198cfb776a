"""Exports of the RDF graph: Turtle, sorted N-Triples, JSON-LD, GraphML and CSV (nodes/edges).

N-Triples are sorted line by line, so two builds of the same input give byte-identical
files.  GraphML and CSV are for Gephi and spreadsheets: resources are nodes (with their
label and type), IRI-valued triples are edges, literal-valued triples are node attributes.
Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any, Final

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from policykg.errors import Errors, GraphError
from policykg.fsio import atomic_write, write_bytes, write_text
from policykg.ontology import ELI, PREFIXES

__all__ = ["FORMATS", "export", "qname", "sorted_ntriples"]

logger = logging.getLogger(__name__)

#: The export formats, as ``policykg export --format`` offers them.
FORMATS: Final = ("turtle", "nt", "jsonld", "graphml", "csv")

_LABELS: Final = (SKOS.prefLabel, ELI.title, RDFS.label)


def _graph_of(source: Any) -> rdflib.Graph:
    """Accept an ``rdflib.Graph`` or an opened store (its ``memory_graph()``)."""
    if isinstance(source, rdflib.Graph):
        return source
    to_graph = getattr(source, "memory_graph", None)
    if callable(to_graph):
        result = to_graph()
        if isinstance(result, rdflib.Graph):
            return result
    raise GraphError(Errors.G002.format(type=type(source).__name__))


def sorted_ntriples(graph: rdflib.Graph) -> str:
    """Return the graph as N-Triples, lines sorted, no blank line, ending with a newline."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n" if lines else ""


def qname(term: Node) -> str:
    """Return a compact name of a term with the project prefixes (``pkg:Task``), else the IRI."""
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def _label(graph: rdflib.Graph, node: URIRef) -> str:
    for prop in _LABELS:
        value = graph.value(node, prop)
        if value is not None:
            return str(value)
    return qname(node)


def _nodes_and_edges(
    graph: rdflib.Graph,
) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, str]]]:
    nodes: dict[str, dict[str, str]] = {}
    attrs: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    edges: list[tuple[str, str, str]] = []
    for s, p, o in graph:
        if not isinstance(s, URIRef):
            continue
        if p == RDF.type and isinstance(o, URIRef):
            attrs[str(s)]["type"].append(qname(o))
        elif isinstance(o, Literal):
            attrs[str(s)][qname(p)].append(str(o))
        elif isinstance(o, URIRef):
            edges.append((str(s), str(o), qname(p)))
    ids = set(attrs) | {e[0] for e in edges} | {e[1] for e in edges}
    for node_id in sorted(ids):
        node_attrs = {k: " | ".join(sorted(v)) for k, v in sorted(attrs.get(node_id, {}).items())}
        node_attrs["label"] = _label(graph, URIRef(node_id))
        node_attrs.setdefault("type", "")
        nodes[node_id] = node_attrs
    edges.sort()
    return nodes, edges


def _write_csv(graph: rdflib.Graph, folder: Path) -> list[Path]:
    nodes, edges = _nodes_and_edges(graph)
    node_path, edge_path = folder / "nodes.csv", folder / "edges.csv"
    with atomic_write(node_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Id", "Label", "Type"])
        for node_id, a in nodes.items():
            w.writerow([node_id, a["label"], a["type"]])
    with atomic_write(edge_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Source", "Target", "Label"])
        w.writerows(edges)
    return [node_path, edge_path]


def _write_graphml(graph: rdflib.Graph, path: Path) -> list[Path]:
    import networkx as nx

    nodes, edges = _nodes_and_edges(graph)
    nxg: Any = nx.MultiDiGraph()
    for node_id, a in nodes.items():
        nxg.add_node(node_id, label=a["label"], type=a["type"])
    for s, o, p in edges:
        nxg.add_edge(s, o, key=p, label=p)
    with atomic_write(path, "wb") as f:
        nx.write_graphml(nxg, f, encoding="utf-8")
    return [path]


def export(source: Any, fmt: str, path: Path) -> list[Path]:
    """Write the graph in ``fmt`` to ``path`` and return the files written.

    Args:
        source: an ``rdflib.Graph`` or an opened store (``graph.store.open_store``).
        fmt: one of ``FORMATS``; ``csv`` writes ``nodes.csv`` and ``edges.csv`` into the
            folder ``path``.
        path: the output file (folder for ``csv``).

    Raises:
        GraphError: unknown format, or the file cannot be written.
    """
    if fmt not in FORMATS:
        raise GraphError(Errors.G003.format(fmt=fmt, formats=", ".join(FORMATS)))
    graph = _graph_of(source)
    try:
        if fmt == "csv":
            return _write_csv(graph, path)
        if fmt == "graphml":
            return _write_graphml(graph, path)
        # every file goes to a temporary sibling first: a full disk keeps the previous export
        if fmt == "nt":
            write_text(path, sorted_ntriples(graph))
        elif fmt == "jsonld":
            # compact JSON-LD with the project prefixes as its @context
            write_bytes(path, graph.serialize(format="json-ld", encoding="utf-8",
                                              context=dict(PREFIXES), auto_compact=True))
        else:
            for prefix, ns in PREFIXES.items():
                graph.bind(prefix, ns, override=True)
            write_bytes(path, graph.serialize(format=fmt, encoding="utf-8"))
    except OSError as e:
        raise GraphError(Errors.S001.format(path=path, reason=e)) from e
    logger.info("exported %d triples as %s to %s", len(graph), fmt, path)
    return [path]
