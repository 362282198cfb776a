"""networkx views of the corpus: citations, responsibility, co-responsibility, the "1+N" tree.

Every view is built from the records (a ``Corpus``), the same data the RDF graph is built
from, and keys its nodes by the IRIs of ``graph.iris`` (as plain ``str``), so a node of a
view and a subject of the RDF graph are the same resource.  Node and edge attributes follow
the "networkx attribute contract" of ARCHITECTURE.md; they are spelt out in ``NodeAttrs``
and ``EdgeAttrs`` below, which is what ``viz`` may rely on.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Final, Literal, Protocol, TypedDict

from policykg.graph.iris import BASE, agency_iri, doc_iri, external_iri, segment, task_iri
from policykg.records import Agency, Corpus, Document, Relation, SectorTag, Task

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "EDGE_RELATIONS",
    "NODE_KINDS",
    "VIEW_KINDS",
    "EdgeAttrs",
    "NodeAttrs",
    "TreeLike",
    "ViewKind",
    "agency_ego",
    "citation_key",
    "find_agency",
    "group_iri",
    "to_networkx",
]

logger = logging.getLogger(__name__)

ViewKind = Literal["citations", "responsibility", "coresponsibility", "tree"]

#: The views ``to_networkx`` builds.
VIEW_KINDS: Final[tuple[ViewKind, ...]] = (
    "citations",
    "responsibility",
    "coresponsibility",
    "tree",
)

#: Values of the ``kind`` node attribute.
NODE_KINDS: Final = ("policy", "external_policy", "agency", "task", "target", "sector", "group")

#: Values of the ``relation`` edge attribute.
EDGE_RELATIONS: Final = (
    "cites",
    "implements",
    "lead",
    "participant",
    "co_responsible",
    "child",
    "assigned_by",
)

_LABEL_CHARS: Final = 18


class NodeAttrs(TypedDict, total=False):
    """Node attributes of every view (ARCHITECTURE.md "networkx attribute contract").

    Every node has ``kind``, ``label`` and ``title``; the other keys depend on ``kind``:

    - ``policy``: ``doc_kind``, ``doc_id``, ``date``, ``doc_number``, ``issuers`` (names),
      ``source`` (``"file:start-end"``, ``"file:pN:start-end"`` for a PDF), ``sectors``
      (sector ids), ``part``;
    - ``external_policy``: ``external_id`` (a cited policy that is not in the corpus);
    - ``agency``: ``level``, ``jurisdiction``, ``tasks`` (all its tasks in the corpus),
      ``lead_tasks`` (those it leads);
    - ``task``: ``doc_id``, ``section`` (heading path joined by " / "), ``source``,
      ``sectors``;
    - ``group`` (a node of the "1+N" tree that is not a document) and tree nodes: ``reason``,
      ``basis`` (what the placement rests on, ``graph.tree.BASES``), ``in_system`` (False
      under the speech, agreement, enterprise-plan and precursor groups) and, for the groups
      of local systems, ``jurisdiction``;
    - ``agency_ego``'s centre agency: ``ego`` = True.
    """

    kind: str
    label: str
    title: str
    doc_kind: str
    doc_id: str
    date: str | None
    doc_number: str | None
    issuers: list[str]
    source: str
    sectors: list[str]
    part: int | None
    external_id: str
    level: str
    jurisdiction: str | None
    tasks: int
    lead_tasks: int
    section: str
    reason: str
    in_system: bool
    basis: str
    ego: bool


class EdgeAttrs(TypedDict, total=False):
    """Edge attributes of every view.

    ``relation`` is one of ``EDGE_RELATIONS``:

    - citations (policy → policy or external policy): ``cites`` or ``implements`` (an edge
      is ``implements`` if any of its mentions is), with ``count`` (mentions) and ``lines``
      (source lines of the mentions in the citing document, sorted);
    - responsibility (agency → task): ``lead`` or ``participant``; task → policy:
      ``assigned_by``;
    - co-responsibility (agency — agency): ``co_responsible`` with ``weight`` = tasks shared;
    - tree (parent → child): ``child``, with the child's placement ``reason``.
    """

    relation: str
    weight: int
    count: int
    lines: list[int]
    reason: str


class TreeLike(Protocol):
    """What the tree view needs of ``graph.tree.TreeNode``."""

    @property
    def doc_id(self) -> str | None:
        """The document this node stands for, or None for a group."""

    @property
    def label(self) -> str:
        """The display label."""

    @property
    def reason(self) -> str:
        """Why the node sits under its parent."""

    @property
    def children(self) -> Sequence[TreeLike]:
        """The child nodes, in display order."""


def group_iri(path: Sequence[str]) -> str:
    """Key of a tree group node: ``group/<doc id of the nearest policy above>/<label>…``.

    ``path`` is that document id (absent above the first policy) and the labels of the
    groups from there down to this one, e.g. ``("p2-1.3", "地方落实")``.
    """
    return BASE + "group/" + "/".join(segment(p) for p in path)


def citation_key(doc_id: str | None, external_id: str | None) -> str | None:
    """Key of a cited policy: the document's IRI, else the external policy's, else None."""
    if doc_id:
        return str(doc_iri(doc_id))
    if external_id:
        return str(external_iri(external_id))
    return None


def to_networkx(
    corpus: Corpus,
    kind: ViewKind | str,
    *,
    sector_tags: Iterable[SectorTag] = (),
    tree: TreeLike | None = None,
    agencies: Iterable[Agency] | None = None,
    assigned_by: bool = False,
    all_agencies: bool = False,
) -> nx.Graph[str]:
    """Return one networkx view of ``corpus``.

    Args:
        corpus: the records.
        kind: ``citations`` (DiGraph, policy → cited policy), ``responsibility`` (DiGraph,
            agency → task), ``coresponsibility`` (Graph, agency — agency) or ``tree``
            (DiGraph, parent → child).
        sector_tags: sector tags for the ``sectors`` attributes (default ``corpus.sectors``).
        tree: the "1+N" tree for ``kind="tree"`` (default: ``graph.tree.build_tree``).
        agencies: the agency records giving names and levels (default ``corpus.agencies``).
        assigned_by: in the responsibility view, also add policies and task → policy edges.
        all_agencies: in the responsibility view, also add the agencies without a task
            (every ``org:Organization`` of the RDF graph); by default only those with one.

    Returns:
        A ``networkx.Graph`` or ``networkx.DiGraph`` whose attributes follow ``NodeAttrs``
        and ``EdgeAttrs``.

    Raises:
        ValueError: ``kind`` is not one of ``VIEW_KINDS``.
    """
    from policykg.graph.sectors import load_sectors

    tags = tuple(sector_tags) or corpus.sectors
    registry = _registry(corpus, agencies)
    g: nx.Graph[str]
    if kind == "citations":
        g = _citations(corpus, tags)
    elif kind == "responsibility":
        g = _responsibility(
            corpus, tags, registry, with_policies=assigned_by, all_agencies=all_agencies
        )
    elif kind == "coresponsibility":
        g = _coresponsibility(corpus, registry)
    elif kind == "tree":
        if tree is None:
            from policykg.graph.tree import build_tree

            tree = build_tree(corpus, list(tags))
        g = _tree(corpus, tags, tree)
    else:
        raise ValueError(f"unknown view {kind!r}; expected one of {', '.join(VIEW_KINDS)}")
    # viz shows sector ids with their Chinese labels (filters, tooltips)
    g.graph["sector_labels"] = {s.slug: s.label_zh for s in load_sectors()}
    return g


def find_agency(
    corpus: Corpus, name_or_id: str, agencies: Iterable[Agency] | None = None
) -> Agency:
    """Return the agency whose id, name or alias is ``name_or_id`` (as ``policykg duties``).

    Raises:
        QueryError: no agency, or several, match.
    """
    from policykg.graph.search import resolve_agency

    return resolve_agency(name_or_id, list(_registry(corpus, agencies).values()))


def agency_ego(
    corpus: Corpus,
    agency_name_or_id: str,
    *,
    agencies: Iterable[Agency] | None = None,
    sector_tags: Iterable[SectorTag] = (),
    lead_only: bool = False,
) -> nx.DiGraph[str]:
    """Return one agency's neighbourhood: its tasks, their documents, its co-responsible agencies.

    Edges: agency → task (``lead`` / ``participant``), task → policy (``assigned_by``), and
    centre → other agency (``co_responsible``, ``weight`` = tasks shared).  The centre node
    has ``ego=True``.  With ``lead_only``, only the tasks the agency leads are kept.

    Raises:
        QueryError: the agency is not found or is ambiguous.
    """
    import networkx as nx

    registry = _registry(corpus, agencies)
    centre = find_agency(corpus, agency_name_or_id, registry.values())
    tags = tuple(sector_tags) or corpus.sectors
    roles = _task_roles(corpus.tasks, registry)
    counts = _task_counts(roles)
    sectors = _sectors_by_subject(tags)
    docs = {d.id: d for d in corpus.documents}
    g: nx.DiGraph[str] = nx.DiGraph(view="agency_ego", agency=centre.id)
    me = str(agency_iri(centre.id))
    g.add_node(me, **_agency_attrs(centre.id, registry, counts), ego=True)
    shared: Counter[str] = Counter()
    for task in corpus.tasks:
        role = roles[task.id].get(centre.id)
        if role is None or (lead_only and role != "lead"):
            continue
        t = str(task_iri(task.id))
        g.add_node(t, **_task_attrs(task, sectors, docs))
        g.add_edge(me, t, relation=role)
        if task.doc_id in docs:
            d = str(doc_iri(task.doc_id))
            if d not in g:
                g.add_node(d, **_policy_attrs(docs[task.doc_id], sectors))
            g.add_edge(t, d, relation="assigned_by")
        for other in roles[task.id]:
            if other != centre.id:
                shared[other] += 1
    for other, n in sorted(shared.items()):
        o = str(agency_iri(other))
        g.add_node(o, **_agency_attrs(other, registry, counts))
        g.add_edge(me, o, relation="co_responsible", weight=n)
    return g


# --- views -------------------------------------------------------------------------------


def _citations(corpus: Corpus, tags: Sequence[SectorTag]) -> nx.DiGraph[str]:
    import networkx as nx

    sectors = _sectors_by_subject(tags)
    g: nx.DiGraph[str] = nx.DiGraph(view="citations")
    for doc in corpus.documents:
        g.add_node(str(doc_iri(doc.id)), **_policy_attrs(doc, sectors))
    for c in sorted(corpus.citations, key=lambda c: (c.doc_id, c.line, c.cited_title)):
        target = citation_key(c.cited_doc_id, c.external_id)
        source = str(doc_iri(c.doc_id))
        if target is None:
            logger.debug("citation at line %d not resolved: %s", c.line, c.cited_title)
            continue
        if target == source:
            continue
        if source not in g:
            logger.warning("citation from unknown document %s", c.doc_id)
            continue
        if target not in g:
            if c.cited_doc_id:
                logger.warning("citation of unknown document %s", c.cited_doc_id)
                continue
            assert c.external_id is not None
            title = (c.external_title or c.cited_title).strip("《》")
            g.add_node(
                target,
                kind="external_policy",
                label=_short(title),
                title=title,
                external_id=c.external_id,
            )
        if g.has_edge(source, target):
            edge = g.edges[source, target]
            edge["count"] += 1
            edge["lines"] = sorted({*edge["lines"], c.line})
            if c.relation == Relation.IMPLEMENTS:
                edge["relation"] = "implements"
        else:
            g.add_edge(source, target, relation=str(c.relation), count=1, lines=[c.line])
    return g


def _responsibility(
    corpus: Corpus,
    tags: Sequence[SectorTag],
    registry: dict[str, Agency],
    *,
    with_policies: bool,
    all_agencies: bool,
) -> nx.DiGraph[str]:
    import networkx as nx

    sectors = _sectors_by_subject(tags)
    roles = _task_roles(corpus.tasks, registry)
    counts = _task_counts(roles)
    docs = {d.id: d for d in corpus.documents}
    g: nx.DiGraph[str] = nx.DiGraph(view="responsibility")
    for agency_id in sorted(set(registry) | set(counts) if all_agencies else set(counts)):
        g.add_node(str(agency_iri(agency_id)), **_agency_attrs(agency_id, registry, counts))
    for task in corpus.tasks:
        t = str(task_iri(task.id))
        g.add_node(t, **_task_attrs(task, sectors, docs))
        for agency_id, role in sorted(roles[task.id].items()):
            g.add_edge(str(agency_iri(agency_id)), t, relation=role)
        if with_policies and task.doc_id in docs:
            d = str(doc_iri(task.doc_id))
            if d not in g:
                g.add_node(d, **_policy_attrs(docs[task.doc_id], sectors))
            g.add_edge(t, d, relation="assigned_by")
    return g


def _coresponsibility(corpus: Corpus, registry: dict[str, Agency]) -> nx.Graph[str]:
    import networkx as nx

    roles = _task_roles(corpus.tasks, registry)
    counts = _task_counts(roles)
    shared: Counter[tuple[str, str]] = Counter()
    for task in corpus.tasks:
        for a, b in combinations(sorted(roles[task.id]), 2):
            shared[a, b] += 1
    g: nx.Graph[str] = nx.Graph(view="coresponsibility")
    for agency_id in sorted(counts):
        g.add_node(str(agency_iri(agency_id)), **_agency_attrs(agency_id, registry, counts))
    for (a, b), n in sorted(shared.items()):
        g.add_edge(str(agency_iri(a)), str(agency_iri(b)), relation="co_responsible", weight=n)
    return g


def _tree(corpus: Corpus, tags: Sequence[SectorTag], root: TreeLike) -> nx.DiGraph[str]:
    import networkx as nx

    sectors = _sectors_by_subject(tags)
    docs = {d.id: d for d in corpus.documents}
    g: nx.DiGraph[str] = nx.DiGraph(view="tree")

    def visit(
        node: TreeLike, path: tuple[str, ...], parent: str | None, in_system: bool = True
    ) -> None:
        # speeches, agreements and enterprise plans hang under groups outside the 1+N proper
        in_system = in_system and getattr(node, "in_system", True) is not False
        key = str(doc_iri(node.doc_id)) if node.doc_id else group_iri(path)
        if key not in g:
            if node.doc_id and node.doc_id in docs:
                attrs = _policy_attrs(docs[node.doc_id], sectors)
                attrs["label"] = _short(node.label) if node.label else attrs["label"]
            elif node.doc_id:
                logger.warning("tree node for unknown document %s", node.doc_id)
                attrs = NodeAttrs(
                    kind="policy", label=_short(node.label), title=node.label, doc_id=node.doc_id
                )
            else:
                attrs = NodeAttrs(kind="group", label=node.label, title=node.label)
            attrs["reason"] = node.reason
            attrs["in_system"] = in_system
            attrs["basis"] = str(getattr(node, "basis", "") or "")
            if getattr(node, "jurisdiction", None):
                attrs["jurisdiction"] = str(getattr(node, "jurisdiction", ""))
            g.add_node(key, **attrs)
        if parent is not None and parent != key:
            g.add_edge(parent, key, relation="child", reason=node.reason)
        # a group is keyed by the nearest policy above it and the labels from there down
        here = (node.doc_id,) if node.doc_id else path
        for child in node.children:
            visit(child, (*here, child.label), key, in_system)

    visit(root, (root.label,), None)
    return g


# --- attributes --------------------------------------------------------------------------


def _registry(corpus: Corpus, agencies: Iterable[Agency] | None) -> dict[str, Agency]:
    return {a.id: a for a in (corpus.agencies if agencies is None else agencies)}


def _task_roles(tasks: Iterable[Task], registry: dict[str, Agency]) -> dict[str, dict[str, str]]:
    """Task id → {agency id: "lead" | "participant"}; a lead is never also a participant.

    ``Task.lead`` and ``Task.participants`` hold agency ids or canonical names; they are
    resolved against the registry exactly as ``graph.build`` does, and a name it does not
    know is left out (the RDF graph keeps it as ``pkg:unresolvedAgency``).
    """
    ids = {a.id: a.id for a in registry.values()}
    for agency in registry.values():
        ids.setdefault(agency.name, agency.id)
    roles: dict[str, dict[str, str]] = {}
    for task in tasks:
        mine: dict[str, str] = {}
        for role, names in (("participant", task.participants), ("lead", task.lead)):
            for name in names:
                agency_id = ids.get(name)
                if agency_id is None:
                    logger.debug("task %s: agency %s not in the registry", task.id, name)
                else:
                    mine[agency_id] = role
        roles[task.id] = mine
    return roles


def _task_counts(roles: dict[str, dict[str, str]]) -> dict[str, tuple[int, int]]:
    total: Counter[str] = Counter()
    lead: Counter[str] = Counter()
    for mine in roles.values():
        total.update(mine.keys())
        lead.update(a for a, role in mine.items() if role == "lead")
    return {a: (total[a], lead[a]) for a in total}


def _sectors_by_subject(tags: Iterable[SectorTag]) -> dict[str, list[str]]:
    out: defaultdict[str, set[str]] = defaultdict(set)
    for tag in tags:
        out[tag.subject_id].add(tag.sector)
    return {k: sorted(v) for k, v in out.items()}


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source(file: str, start: int, end: int, page: int | None = None) -> str:
    return f"{file}:{start}-{end}" if page is None else f"{file}:p{page}:{start}-{end}"


def _policy_attrs(doc: Document, sectors: dict[str, list[str]]) -> NodeAttrs:
    return NodeAttrs(
        kind="policy",
        label=_short(doc.title),
        title=doc.title,
        doc_kind=str(doc.kind),
        doc_id=doc.id,
        date=doc.date,
        doc_number=doc.doc_number,
        issuers=list(doc.issuers),
        source=_source(doc.file, doc.start_line, doc.end_line, doc.span.page),
        sectors=sectors.get(doc.id, []),
        part=doc.part,
    )


def _agency_attrs(
    agency_id: str, registry: dict[str, Agency], counts: dict[str, tuple[int, int]]
) -> NodeAttrs:
    total, lead = counts.get(agency_id, (0, 0))
    agency = registry.get(agency_id)
    if agency is None:
        logger.debug("agency %s not in the registry", agency_id)
        return NodeAttrs(
            kind="agency",
            label=agency_id,
            title=agency_id,
            level="other",
            jurisdiction=None,
            tasks=total,
            lead_tasks=lead,
        )
    title = agency.name if not agency.aliases else f"{agency.name}（{'、'.join(agency.aliases)}）"
    return NodeAttrs(
        kind="agency",
        label=agency.name,
        title=title,
        level=str(agency.level),
        jurisdiction=agency.jurisdiction,
        tasks=total,
        lead_tasks=lead,
    )


def _task_attrs(
    task: Task, sectors: dict[str, list[str]], docs: dict[str, Document]
) -> NodeAttrs:
    text = task.text or task.raw
    doc = docs.get(task.doc_id)
    # Task records carry no file name: a task's file is its document's.
    file = doc.file if doc is not None else task.doc_id
    return NodeAttrs(
        kind="task",
        label=_short(text),
        title=text,
        doc_id=task.doc_id,
        section=" / ".join(task.section),
        source=_source(file, task.start_line, task.end_line, task.page),
        sectors=sectors.get(task.id, []),
    )

