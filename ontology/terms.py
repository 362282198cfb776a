"""The policykg vocabulary (``PKG``, ``ELI``, ``OA``: rdflib ``DefinedNamespace``s).

``PKG`` is a ``DefinedNamespace`` with ``_fail = True``: a misspelt term raises at once.
Its terms must equal the terms declared in ``policykg.ttl`` (a test checks this parity).
Import them from ``policykg.ontology``; this module is loaded on first use, so the build path,
which needs only the prefixes and file paths, does not import rdflib.
"""

# ruff: noqa: N815  (RDF term names are camelCase by convention, as in rdflib.namespace)
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = ["ELI", "OA", "PKG"]


class PKG(DefinedNamespace):
    """Own terms of policykg, used only where ELI, ORG, SKOS, DCTERMS or PROV-O have none."""

    _fail = True
    _NS = Namespace("https://w3id.org/policykg/ontology#")

    # classes
    Task: URIRef  # an n-ary mandate: assigned by a policy, stated in a section, agencies
    Target: URIRef  # a quantitative target or dated milestone of a policy
    Section: URIRef  # a heading of a document's own structure
    ExternalPolicy: URIRef  # a policy cited by the corpus but not in it
    SourceSpan: URIRef  # a line range of a source file (the provenance of a fact)

    # tasks
    assignedBy: URIRef  # task or target → the policy that states it
    statedIn: URIRef  # task or target → the section it appears in
    leadAgency: URIRef  # task → lead (牵头) agency
    leadBasis: URIRef  # task → why its lead is lead: "marked" or "stated_convention"
    participantAgency: URIRef  # task → participating agency
    collective: URIRef  # task → collective responsible party (各地区各部门 …), a literal
    annotation: URIRef  # task → the raw responsibility annotation （XX牵头，YY参与）
    etAl: URIRef  # task → true if the annotation ends with 等
    unresolvedAgency: URIRef  # task → an agency name that was not resolved

    # targets
    indicator: URIRef
    value: URIRef
    valueMax: URIRef
    unit: URIRef
    direction: URIRef
    approx: URIRef
    targetYear: URIRef
    baseYear: URIRef

    # documents and sections
    part: URIRef  # the compilation part (1 to 6)
    chapter: URIRef  # the compilation chapter heading
    seq: URIRef  # the document's sequence label in the compilation
    kind: URIRef  # DocKind
    dateSource: URIRef  # where the date was read
    genre: URIRef  # Genre: plan, opinion, call, meeting, standard …
    issuerLevel: URIRef  # IssuerLevel of a document's issuer
    officialType: URIRef  # 公文种类 (通知, 意见 …)
    publishes: URIRef  # a covering notice publishes its attached document
    takenFromNotice: URIRef  # a field an attached document takes from its notice
    inferredValue: URIRef  # document → a 文号 or date it does not print, from a citing document
    InferredValue: URIRef  # that value, with the citing document and line
    fills: URIRef  # the document property an inferred value stands for
    depth: URIRef  # a section's heading level (1 = top)
    treeParent: URIRef  # policy → the policy it is placed under in the "1+N" system

    # shared
    jurisdiction: URIRef
    level: URIRef  # an agency's administrative level
    unresolved: URIRef  # an agency no template or list knows (open world)
    sector: URIRef  # → skos:Concept of the sector scheme

    # provenance
    sourceFile: URIRef
    startLine: URIRef
    endLine: URIRef
    page: URIRef


class ELI(DefinedNamespace):
    """The European Legislation Identifier ontology terms used by policykg."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    passed_by: URIRef
    cites: URIRef
    based_on: URIRef
    date_document: URIRef
    id_local: URIRef
    is_part_of: URIRef
    has_part: URIRef
    title: URIRef
    number: URIRef
    responsibility_of: URIRef  # declared so tests can assert it is never used


class OA(DefinedNamespace):
    """The Web Annotation vocabulary terms used by policykg."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    exact: URIRef
    start: URIRef
    end: URIRef
    hasSelector: URIRef
