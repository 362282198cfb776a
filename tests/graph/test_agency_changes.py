"""Agencies in RDF: renamed bodies linked to their predecessors, open-world agencies flagged."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF

from policykg.graph.triples import agency_triples
from policykg.loaders.agencies import load_registry
from policykg.ontology import PKG

BASE = "https://w3id.org/policykg/agency/"


def _graph(lines: list[str]) -> Graph:
    return Graph().parse(data="\n".join(lines), format="nt")


def test_renamed_body_has_its_change_event() -> None:
    registry = load_registry()
    nfra = registry.resolve("银保监会", None, "2023-06-01")
    assert nfra is not None
    g = _graph(list(agency_triples(nfra)))
    new, old = URIRef(BASE + "nfra"), URIRef(BASE + "cbirc")
    change = g.value(new, ORG.resultedFrom)
    assert change is not None
    assert (change, RDF.type, ORG.ChangeEvent) in g
    assert (change, ORG.originalOrganization, old) in g
    assert (change, ORG.resultingOrganization, new) in g
    assert (new, PROV.wasRevisionOf, old) in g


def test_open_world_agency_is_flagged() -> None:
    registry = load_registry()
    a = registry.resolve("深圳排放权交易所", "深圳市", open_world=True)
    assert a is not None
    g = _graph(list(agency_triples(a)))
    assert (URIRef(BASE + a.id), PKG.unresolved, Literal(True)) in g
    known = registry.resolve("市生态环境局", "深圳市")
    assert known is not None
    assert (None, PKG.unresolved, None) not in _graph(list(agency_triples(known)))
