"""Network analyses of the views: busiest agencies, brokers, most-cited and orphan policies.

Pure functions over the graphs of ``graph.views`` (they read only the attributes of its
contract) returning plain frozen dataclasses; ``analyze_corpus`` builds the views and runs
them all for ``policykg analyze``.  Every ranking is deterministic: ties are broken by label,
then by IRI.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Literal

from policykg.records import Corpus

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "AgencyLoad",
    "AnalysisReport",
    "Broker",
    "CitedPolicy",
    "PolicyRef",
    "agency_betweenness",
    "analyze",
    "analyze_corpus",
    "busiest_agencies",
    "most_cited",
    "orphan_policies",
]

logger = logging.getLogger(__name__)

# Betweenness values are floats summed in graph order; rounding before sorting makes equal
# values compare equal, so ties fall back to the label whatever the summation order.
_DIGITS: Final = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class AgencyLoad:
    """How many tasks an agency carries: all of them, and those it leads (牵头)."""

    iri: str
    label: str
    tasks: int
    lead_tasks: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Broker:
    """An agency's betweenness centrality in the co-responsibility graph."""

    iri: str
    label: str
    betweenness: float
    partners: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CitedPolicy:
    """A policy (in the corpus or external) and how often the corpus cites it."""

    iri: str
    label: str
    kind: str
    cited_by: int
    mentions: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyRef:
    """A policy of the corpus."""

    iri: str
    label: str
    doc_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisReport:
    """Everything ``policykg analyze`` prints."""

    busiest: tuple[AgencyLoad, ...]
    busiest_lead: tuple[AgencyLoad, ...]
    brokers: tuple[Broker, ...]
    most_cited: tuple[CitedPolicy, ...]
    orphans: tuple[PolicyRef, ...]
    policies: int
    agencies: int
    tasks: int

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "counts": {"policies": self.policies, "agencies": self.agencies, "tasks": self.tasks},
            "busiest": [asdict(x) for x in self.busiest],
            "busiest_lead": [asdict(x) for x in self.busiest_lead],
            "brokers": [asdict(x) for x in self.brokers],
            "most_cited": [asdict(x) for x in self.most_cited],
            "orphans": [asdict(x) for x in self.orphans],
        }

    def to_text(self) -> str:
        """The report as plain text tables (for the CLI)."""
        out = [f"{self.policies} policies, {self.agencies} agencies with tasks, {self.tasks} tasks"]
        out += ["", "Agencies carrying most tasks (tasks, lead):"]
        out += [f"  {x.tasks:5d} {x.lead_tasks:5d}  {x.label}" for x in self.busiest]
        out += ["", "Agencies leading most tasks (lead, tasks):"]
        out += [f"  {x.lead_tasks:5d} {x.tasks:5d}  {x.label}" for x in self.busiest_lead]
        out += ["", "Betweenness in the co-responsibility graph (betweenness, partners):"]
        out += [f"  {x.betweenness:.4f} {x.partners:5d}  {x.label}" for x in self.brokers]
        out += ["", "Most-cited policies (citing documents, mentions):"]
        out += [
            f"  {x.cited_by:5d} {x.mentions:5d}  {x.label}"
            + ("  [external]" if x.kind == "external_policy" else "")
            for x in self.most_cited
        ]
        out += ["", f"Orphan policies (no citation in or out): {len(self.orphans)}"]
        out += [f"  {x.doc_id}  {x.label}" for x in self.orphans]
        return "\n".join(out) + "\n"


def busiest_agencies(
    responsibility: nx.Graph[str], *, by: Literal["total", "lead"] = "total", top: int | None = 10
) -> list[AgencyLoad]:
    """Rank agencies by the tasks they carry in the responsibility view.

    Counts the ``lead`` and ``participant`` edges of each agency node; agencies without a
    task are left out.  ``by="total"`` sorts by all tasks then lead tasks, ``by="lead"`` the
    other way round; ties go by label.
    """
    total: Counter[str] = Counter()
    lead: Counter[str] = Counter()
    for u, v, attrs in responsibility.edges(data=True):
        rel = attrs.get("relation")
        if rel not in ("lead", "participant"):
            continue
        agency = u if _kind(responsibility, u) == "agency" else v
        total[agency] += 1
        if rel == "lead":
            lead[agency] += 1
    loads = [
        AgencyLoad(
            iri=n, label=_label(responsibility, n), tasks=total[n], lead_tasks=lead[n]
        )
        for n in total
    ]
    if by == "lead":
        loads = [x for x in loads if x.lead_tasks]
        loads.sort(key=lambda x: (-x.lead_tasks, -x.tasks, x.label, x.iri))
    else:
        loads.sort(key=lambda x: (-x.tasks, -x.lead_tasks, x.label, x.iri))
    return loads[:top] if top is not None else loads


def agency_betweenness(
    coresponsibility: nx.Graph[str], *, top: int | None = 10
) -> list[Broker]:
    """Rank agencies by betweenness centrality in the co-responsibility graph.

    Exact, normalised betweenness over hop counts: ``weight`` (shared tasks) measures how
    close two agencies are, so it is not used as a distance.  Sorted by value, ties by label.
    """
    import networkx as nx

    values = nx.betweenness_centrality(coresponsibility, normalized=True)
    brokers = [
        Broker(
            iri=n,
            label=_label(coresponsibility, n),
            betweenness=round(float(b), _DIGITS),
            partners=coresponsibility.degree(n),
        )
        for n, b in values.items()
    ]
    brokers.sort(key=lambda x: (-x.betweenness, x.label, x.iri))
    return brokers[:top] if top is not None else brokers


def most_cited(citations: nx.DiGraph[str], *, top: int | None = 10) -> list[CitedPolicy]:
    """Rank the cited policies (corpus or external) by the number of documents citing them.

    Ties go by the number of mentions (the edges' ``count``), then by label.
    """
    cited = [
        CitedPolicy(
            iri=n,
            label=_label(citations, n),
            kind=str(citations.nodes[n].get("kind", "policy")),
            cited_by=citations.in_degree(n),
            mentions=sum(int(c) for _, _, c in citations.in_edges(n, data="count", default=1)),
        )
        for n in citations
        if citations.in_degree(n)
    ]
    cited.sort(key=lambda x: (-x.cited_by, -x.mentions, x.label, x.iri))
    return cited[:top] if top is not None else cited


def orphan_policies(citations: nx.DiGraph[str]) -> list[PolicyRef]:
    """Return the corpus policies with no citation in or out, by document id."""
    orphans = [
        PolicyRef(iri=n, label=_label(citations, n), doc_id=str(attrs.get("doc_id", "")))
        for n, attrs in citations.nodes(data=True)
        if attrs.get("kind") == "policy" and citations.degree(n) == 0
    ]
    orphans.sort(key=lambda x: (x.doc_id, x.iri))
    return orphans


def analyze(
    citations: nx.DiGraph[str],
    responsibility: nx.Graph[str],
    coresponsibility: nx.Graph[str],
    *,
    top: int = 10,
) -> AnalysisReport:
    """Run every analysis on the three views."""
    kinds = Counter(_kind(responsibility, n) for n in responsibility)
    return AnalysisReport(
        busiest=tuple(busiest_agencies(responsibility, top=top)),
        busiest_lead=tuple(busiest_agencies(responsibility, by="lead", top=top)),
        brokers=tuple(agency_betweenness(coresponsibility, top=top)),
        most_cited=tuple(most_cited(citations, top=top)),
        orphans=tuple(orphan_policies(citations)),
        policies=sum(1 for n in citations if _kind(citations, n) == "policy"),
        agencies=coresponsibility.number_of_nodes(),
        tasks=kinds["task"],
    )


def analyze_corpus(corpus: Corpus, *, top: int = 10) -> AnalysisReport:
    """Build the views of ``corpus`` and run every analysis (``policykg analyze``)."""
    import networkx as nx

    from policykg.graph.views import to_networkx

    citations = to_networkx(corpus, "citations")
    responsibility = to_networkx(corpus, "responsibility")
    coresponsibility = to_networkx(corpus, "coresponsibility")
    if not isinstance(citations, nx.DiGraph):
        raise TypeError("the citations view must be a DiGraph")
    report = analyze(citations, responsibility, coresponsibility, top=top)
    # calls, meeting notices, standards and covering notices are documents, not policies
    policies = {d.id for d in corpus.documents if d.is_policy}
    return replace(
        report, policies=sum(1 for n, a in citations.nodes(data=True)
                             if a.get("kind") == "policy" and a.get("doc_id") in policies),
        orphans=tuple(o for o in report.orphans if o.doc_id in policies))


def _kind(g: nx.Graph[str], node: str) -> str:
    return str(g.nodes[node].get("kind", ""))


def _label(g: nx.Graph[str], node: str) -> str:
    return str(g.nodes[node].get("label") or node)
