"""The ontology file parses, declares exactly the PKG terms, and labels them in zh and en."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from policykg.ontology import ELI, ONTOLOGY_PATH, PKG, PREFIXES, SHAPES_PATH


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


def _declared(g: rdflib.Graph) -> set[str]:
    ns = str(PKG._NS)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        str(s)[len(ns) :]
        for k in kinds
        for s in g.subjects(RDF.type, k)
        if str(s).startswith(ns)
    }


def test_pkg_terms_equal_terms_declared_in_ttl(onto: rdflib.Graph) -> None:
    assert set(PKG.__annotations__) == _declared(onto)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("prop", [RDFS.label, SKOS.definition], ids=["label", "definition"])
def test_every_term_has_label_and_definition(
    onto: rdflib.Graph, prop: rdflib.URIRef, lang: str
) -> None:
    missing = [
        t
        for t in sorted(_declared(onto))
        if not any(
            isinstance(o, rdflib.Literal) and o.language == lang
            for o in onto.objects(PKG[t], prop)
        )
    ]
    assert missing == []


def test_misspelt_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = PKG.leadAgencies


def test_prefixes_match_namespaces() -> None:
    assert PREFIXES["pkg"] == str(PKG._NS)
    assert PREFIXES["eli"] == str(ELI._NS)


def test_responsibility_of_not_used_in_ontology(onto: rdflib.Graph) -> None:
    used = set(onto.predicates()) | set(onto.objects()) | set(onto.subjects())
    assert ELI.responsibility_of not in used


def _pkg_terms_in(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w/#])pkg:([A-Za-z_]\w*)", text))


@pytest.mark.parametrize(
    "path",
    [SHAPES_PATH, *sorted((Path(__file__).resolve().parents[2] / "queries").glob("*.rq"))],
    ids=lambda p: p.name,
)
def test_shapes_and_queries_use_only_declared_pkg_terms(path: Path) -> None:
    used = _pkg_terms_in(path.read_text("utf-8"))
    assert used <= set(PKG.__annotations__), used - set(PKG.__annotations__)
