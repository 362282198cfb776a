"""The "1+N" policy tree: every policy of the corpus placed in China's 双碳 policy system.

The "1" (the CPC Central Committee and State Council opinion) is the root; the 2030 action
plan sits under it; national sector plans and support policies are grouped by sector under
the action plan; local policies hang under the national policy they say they carry out
(implements citations). What the text does not say is curated in ``graph/data/one_plus_n.toml``.
Speeches, excerpts, agreements and enterprise plans go to groups marked outside the system.
Takes records only: must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from policykg.errors import RegistryError
from policykg.graph.sectors import Sector, load_sectors, match_terms
from policykg.records import Citation, Corpus, DocKind, Document, Relation, SectorTag

__all__ = [
    "CURATED_PATH",
    "TreeNode",
    "build_tree",
    "iter_nodes",
    "load_curated",
    "tree_to_json",
    "tree_to_text",
]

logger = logging.getLogger(__name__)

CURATED_PATH = Path(str(files("policykg.graph").joinpath("data", "one_plus_n.toml")))

#: Support policies come first when a title names several areas: "财政支持做好碳达峰碳中和
#: 工作的意见" is a fiscal policy, "关于引导加大金融支持力度 促进风电和光伏发电…" a finance one.
SUPPORT_FIRST = (
    "fiscal-tax",
    "finance",
    "pricing-markets",
    "standards-statistics",
    "science-technology",
    "education-talent",
    "supervision",
    "international-cooperation",
)
NATIONAL_KINDS = frozenset({DocKind.CENTRAL_POLICY, DocKind.MINISTRY_POLICY})
_OUTSIDE: dict[DocKind, str] = {
    DocKind.SPEECH: "讲话与摘录（“1+N”之外）",
    DocKind.EXCERPT: "讲话与摘录（“1+N”之外）",
    DocKind.INTERNATIONAL_AGREEMENT: "国际协议（“1+N”之外）",
    DocKind.ENTERPRISE_PLAN: "企业行动方案（“1+N”之外）",
}
LOCAL_GROUP = "地方落实"
OTHER_GROUP = "其他全国性政策"


@dataclass(frozen=True, slots=True, kw_only=True)
class TreeNode:
    """A node of the "1+N" tree: a policy (``doc_id``) or a group (``doc_id`` None)."""

    doc_id: str | None
    label: str
    reason: str
    children: tuple[TreeNode, ...] = ()
    date: str | None = None
    #: False for the groups of texts outside the 1+N system proper (speeches, agreements …)
    in_system: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class _Curated:
    """The curated designations of ``one_plus_n.toml``."""

    one_title: str
    one_reason: str
    plan_title: str
    plan_reason: str
    placements: dict[str, dict[str, str]] = field(default_factory=dict)


#: Characters a title comparison ignores: spaces, 、, commas, quotes and every bracket.
_DROP = re.compile("[\\s、，,·“”\"'\u2018\u2019()（）《》〈〉<>\\[\\]【】\u3014\u3015]")


def _key(title: str) -> str:
    """Comparison key of a title (spaces, 、, quotes and brackets dropped; NFKC)."""
    text = unicodedata.normalize("NFKC", title)
    return _DROP.sub("", text).lower()


@functools.cache
def load_curated(path: Path = CURATED_PATH) -> _Curated:
    """Read the curated placements (once per path).

    Raises:
        RegistryError: the file is missing, not TOML, or lacks a field.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise RegistryError(f"{path}: {e}") from e
    try:
        placements: dict[str, dict[str, str]] = {}
        for i, item in enumerate(data.get("placement", []), 1):
            if "reason" not in item or not ({"group", "parent"} & item.keys()):
                raise RegistryError(f"{path}: placement {i} needs reason and group or parent")
            placements[_key(item["title"])] = {k: str(v) for k, v in item.items()}
        return _Curated(
            one_title=data["one"]["title"],
            one_reason=data["one"]["reason"],
            plan_title=data["action_plan"]["title"],
            plan_reason=data["action_plan"]["reason"],
            placements=placements,
        )
    except KeyError as e:
        raise RegistryError(f"{path}: missing {e}") from e


def _find(documents: Sequence[Document], title: str) -> Document | None:
    """The national document with a title, if the corpus has it."""
    key = _key(title)
    for doc in documents:
        if _key(doc.title) == key and doc.kind in NATIONAL_KINDS:
            return doc
    return None


def _primary_sector(
    doc: Document, tags: Sequence[SectorTag], sectors: tuple[Sector, ...]
) -> tuple[str | None, str]:
    """Return a national document's group (a top-level sector) and why."""
    by_slug = {s.slug: s for s in sectors}

    def top(slug: str) -> str:
        while by_slug[slug].broader is not None:
            slug = by_slug[slug].broader or slug
        return slug

    in_title: dict[str, tuple[int, str]] = {}
    for sector in sectors:
        hits = match_terms(doc.title, sector)
        if hits:
            first = min(doc.title.find(t) for t in hits)
            slug = top(sector.slug)
            term = min(hits, key=doc.title.find)
            if slug not in in_title or first < in_title[slug][0]:
                in_title[slug] = (first, term)
    if in_title:
        support = [s for s in SUPPORT_FIRST if s in in_title]
        slug = support[0] if support else min(in_title, key=lambda s: in_title[s][0])
        return slug, f"its title names the sector ({in_title[slug][1]})"
    # no sector in the title: the tagged sector with most evidence in the body
    body = "".join(p.text for p in doc.paragraphs)
    tagged = {top(t.sector) for t in tags if t.subject_id == doc.id}
    if not tagged:
        return None, "no sector named in its title or body"
    counts = {
        slug: sum(sum(match_terms(body, by_slug[s]).values()) for s in by_slug if top(s) == slug)
        for slug in tagged
    }
    slug = max(sorted(counts), key=lambda s: counts[s])
    return slug, f"its body names this sector most often ({counts[slug]} mentions)"


#: Without headings, the opening lines of a document stand for its preamble.
PREAMBLE_LINES = 40


def _preamble_end(doc: Document) -> int:
    """Last line of a document's preamble: before its first heading (为贯彻落实《…》…)."""
    starts = [s.start_line for s in doc.sections if s.start_line > doc.start_line + 1]
    return min(starts) - 1 if starts else doc.start_line + PREAMBLE_LINES


def _implements(
    citations: Iterable[Citation], docs: dict[str, Document]
) -> dict[str, list[Citation]]:
    """Implements-citations of each document's preamble, in text order.

    Only the preamble says what a document as a whole carries out; an implements-citation
    deep in a body (line 20747 "落实《关于加强产融合作…》" inside one measure) does not.
    """
    out: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        if c.relation is not Relation.IMPLEMENTS or not c.cited_doc_id:
            continue
        if c.cited_doc_id == c.doc_id or c.doc_id not in docs or c.cited_doc_id not in docs:
            continue
        if c.line <= _preamble_end(docs[c.doc_id]):
            out[c.doc_id].append(c)
    return out


@dataclass(slots=True)
class _Builder:
    """Mutable placement state while the tree is built."""

    docs: dict[str, Document]
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    reasons: dict[str, str] = field(default_factory=dict)
    groups: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # key → label, reason

    parents: dict[str, str] = field(default_factory=dict)
    first: set[str] = field(default_factory=set)  # shown before their siblings (the plan)

    def place(self, child: str, parent: str, reason: str) -> bool:
        """Put ``child`` (a doc id or group key) under ``parent``; refuse to make a cycle."""
        up: str | None = parent
        while up is not None:
            if up == child:
                return False
            up = self.parents.get(up)
        self.children[parent].append(child)
        self.parents[child] = parent
        self.reasons[child] = reason
        return True

    def group(self, parent: str, label: str, reason: str, in_system: bool = True) -> str:
        """Return the key of a group under ``parent``, creating it once."""
        key = f"group:{parent}/{label}"
        if key not in self.groups:
            self.groups[key] = (label, reason, in_system)
            self.place(key, parent, reason)
        return key

    def node(self, key: str) -> TreeNode:
        """Materialise the frozen subtree of ``key``."""
        kids = tuple(self.node(k) for k in self._ordered(self.children.get(key, [])))
        if key in self.groups:
            label, reason, in_system = self.groups[key]
            return TreeNode(
                doc_id=None,
                label=label,
                reason=self.reasons.get(key, reason),
                children=kids,
                in_system=in_system,
            )
        doc = self.docs[key]
        return TreeNode(
            doc_id=doc.id,
            label=doc.title,
            reason=self.reasons.get(key, ""),
            children=kids,
            date=doc.date,
        )

    def _ordered(self, keys: list[str]) -> list[str]:
        """Documents in source order, then groups in creation order, outside groups last."""
        docs = sorted(
            (k for k in keys if k in self.docs),
            key=lambda k: (k not in self.first, self.docs[k].start_line),
        )
        groups = [k for k in keys if k in self.groups]
        inside = [k for k in groups if self.groups[k][2]]
        return docs + inside + [k for k in groups if not self.groups[k][2]]


def _parent_of(
    doc: Document,
    implemented: list[Citation],
    docs: dict[str, Document],
    special: set[str],
) -> tuple[Citation | None, Citation | None]:
    """Return (the most specific implemented national policy, a local one) of a document."""
    national = [
        c for c in implemented if c.cited_doc_id and docs[c.cited_doc_id].kind in NATIONAL_KINDS
    ]
    specific = [c for c in national if c.cited_doc_id not in special]
    best = specific[0] if specific else (national[-1] if national else None)
    local = [
        c
        for c in implemented
        if c.cited_doc_id
        and docs[c.cited_doc_id].kind is DocKind.LOCAL_POLICY
        and docs[c.cited_doc_id].jurisdiction == doc.jurisdiction
    ]
    return best, (local[0] if local else None)


def _where(c: Citation, docs: dict[str, Document]) -> str:
    cited = docs[c.cited_doc_id or ""]
    return f"implements 《{c.cited_title}》 ({cited.file}:{c.line})"


def build_tree(
    corpus: Corpus, sector_tags: Sequence[SectorTag], curated_path: Path = CURATED_PATH
) -> TreeNode:
    """Place every document of a corpus in the "1+N" tree.

    Args:
        corpus: documents and citations (``implements`` edges place local policies).
        sector_tags: sector tags of the documents (``graph.sectors.tag_sectors``).
        curated_path: the curated designations (default ``graph/data/one_plus_n.toml``).

    Returns:
        The root: the "1" when the corpus has it, else a group node.
    """
    curated = load_curated(curated_path)
    sectors = load_sectors()
    by_slug = {s.slug: s for s in sectors}
    docs = {d.id: d for d in corpus.documents}
    b = _Builder(docs=docs)
    one = _find(corpus.documents, curated.one_title)
    plan = _find(corpus.documents, curated.plan_title)
    root = one.id if one else "group:root"
    if one is None:
        b.groups[root] = ("“1+N”政策体系", "the corpus holds no \"1\" opinion", True)
    else:
        b.reasons[one.id] = curated.one_reason
    hub = root
    if plan is not None:
        b.place(plan.id, root, curated.plan_reason)
        b.first.add(plan.id)
        hub = plan.id
    special = {d.id for d in (one, plan) if d is not None}
    implemented = _implements(corpus.citations, docs)
    placed: set[str] = set(special)
    deferred: list[Document] = []

    for doc in corpus.documents:
        if doc.id in placed:
            continue
        if doc.kind in _OUTSIDE:
            label = _OUTSIDE[doc.kind]
            group = b.group(root, label, f"{doc.kind}: outside the 1+N system proper", False)
            b.place(doc.id, group, f"a text of kind {doc.kind}, kept outside the 1+N system")
        elif doc.kind in NATIONAL_KINDS:
            deferred.append(doc)
            continue
        else:
            continue  # local policies after every national one is placed
        placed.add(doc.id)

    # national policies: curated, else under a national policy they carry out, else by sector
    for doc in deferred:
        pick = curated.placements.get(_key(doc.title))
        if pick is not None and pick.get("parent") == "one":
            b.place(doc.id, root, pick["reason"])
        elif pick is not None and pick.get("group") in by_slug:
            slug = pick["group"]
            group = b.group(hub, by_slug[slug].label_zh, _group_reason(by_slug[slug]))
            b.place(doc.id, group, pick["reason"])
        else:
            best, _ = _parent_of(doc, implemented.get(doc.id, []), docs, special)
            if not (
                best is not None
                and best.cited_doc_id not in special
                and _older(docs[best.cited_doc_id or ""], doc)
                and b.place(doc.id, best.cited_doc_id or "", _where(best, docs))
            ):
                found, why = _primary_sector(doc, sector_tags, sectors)
                if found is None:
                    group = b.group(hub, OTHER_GROUP, "national policies with no sector named")
                else:
                    group = b.group(hub, by_slug[found].label_zh, _group_reason(by_slug[found]))
                b.place(doc.id, group, why)
        placed.add(doc.id)

    # local policies: under the national policy they carry out (a provincial one when they
    # only cite the "1" or the action plan besides), else by jurisdiction under the plan
    for doc in corpus.documents:
        if doc.id in placed or doc.kind is not DocKind.LOCAL_POLICY:
            continue
        best, local = _parent_of(doc, implemented.get(doc.id, []), docs, special)
        placed.add(doc.id)
        if (
            best is not None
            and best.cited_doc_id not in special
            and b.place(doc.id, best.cited_doc_id or "", _where(best, docs))
        ):
            continue
        if local is not None and b.place(doc.id, local.cited_doc_id or "", _where(local, docs)):
            continue
        where = doc.jurisdiction or "地方"
        parent = best.cited_doc_id if best is not None and best.cited_doc_id else hub
        local_group = b.group(parent, LOCAL_GROUP, "local policies carrying it out")
        group = b.group(local_group, where, f"local policies of {where}")
        reason = (
            _where(best, docs)
            if best is not None
            else f"a local policy of {where} citing no national policy it carries out"
        )
        b.place(doc.id, group, reason)

    missing = [d.id for d in corpus.documents if d.id not in placed]
    if missing:  # a kind this module does not know: keep it visible
        group = b.group(root, "未归类", "documents of no known kind", False)
        for doc_id in missing:
            b.place(doc_id, group, "no placement rule")
    return b.node(root)


def _older(parent: Document, child: Document) -> bool:
    """Return whether ``parent`` is not newer than ``child`` (unknown dates pass)."""
    if parent.date is None or child.date is None:
        return parent.start_line != child.start_line
    n = min(len(parent.date), len(child.date))
    return parent.date[:n] <= child.date[:n]


def _group_reason(sector: Sector) -> str:
    return f"sector group: {sector.label_en} ({sector.label_zh})"


def iter_nodes(node: TreeNode, depth: int = 0) -> Iterator[tuple[int, TreeNode]]:
    """Yield (depth, node) for every node of a tree, parents before children."""
    yield depth, node
    for child in node.children:
        yield from iter_nodes(child, depth + 1)


def tree_to_json(node: TreeNode) -> dict[str, Any]:
    """Return a tree as nested dicts (``doc_id``, ``label``, ``date``, ``reason``, ``children``)."""
    return {
        "doc_id": node.doc_id,
        "label": node.label,
        "date": node.date,
        "reason": node.reason,
        "in_system": node.in_system,
        "children": [tree_to_json(c) for c in node.children],
    }


def tree_to_text(node: TreeNode, indent: str = "  ") -> list[str]:
    """Return a tree as indented lines: label, then ``[doc_id date]`` for policies."""
    lines: list[str] = []
    for depth, n in iter_nodes(node):
        meta = " ".join(x for x in (n.doc_id, n.date) if x)
        lines.append(f"{indent * depth}{n.label}" + (f"  [{meta}]" if meta else ""))
    return lines
