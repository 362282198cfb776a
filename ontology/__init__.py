"""The policykg vocabulary (``PKG``), the reused vocabularies, the project prefixes and .ttl paths.

``PKG``, ``ELI`` and ``OA`` live in ``policykg.ontology.terms`` and are imported from here on
first use (PEP 562): they need rdflib (~250 ms to import), which the build path and a cold
``who`` must not pay just to read a prefix or a file path.
Must not import ``graph``, ``loaders`` or ``viz``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from policykg.ontology.terms import ELI, OA, PKG

__all__ = [
    "ELI",
    "OA",
    "ONTOLOGY_PATH",
    "PKG",
    "PREFIXES",
    "SECTORS_PATH",
    "SHAPES_PATH",
    "ontology_file",
]

_TERMS = frozenset({"ELI", "OA", "PKG"})


def __getattr__(name: str) -> Any:
    if name in _TERMS:
        from policykg.ontology import terms

        return getattr(terms, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Prefix → namespace of every vocabulary the project uses (predeclared in SPARQL queries).
PREFIXES: Final[dict[str, str]] = {
    "pkg": "https://w3id.org/policykg/ontology#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "time": "http://www.w3.org/2006/time#",
}


def ontology_file(name: str) -> Path:
    """Return the path of a data file of this package (``policykg.ttl``, ``shapes.ttl`` …)."""
    return Path(str(files(__name__).joinpath(name)))


ONTOLOGY_PATH: Final = ontology_file("policykg.ttl")
SHAPES_PATH: Final = ontology_file("shapes.ttl")
SECTORS_PATH: Final = ontology_file("sectors.ttl")
