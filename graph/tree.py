"""The "1+N" policy tree: every policy of the corpus placed in China's 双碳 policy system.

The "1" (the CPC Central Committee and State Council opinion) is the root. Under it: the 2030
action plan; the national sector plans and support policies grouped by sector (those issued
before the "1" apart, as precursors); the local systems, one group per issuing jurisdiction,
each with its own "1" (a 实施意见 carrying the national one out), its 碳达峰实施方案 and its
other policies placed under what they say they implement (贯彻落实《…》); and the texts outside
the system (speeches, agreements, enterprise plans, calls and meeting notices). Every node
records its reason (in Chinese, shown to readers) and its basis (``BASES``). What the text does
not say is curated in ``graph/data/one_plus_n.toml``.
Takes records only: must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from policykg.errors import Errors, RegistryError
from policykg.graph.sectors import Sector, load_sectors, match_sectors
from policykg.recordio import section_starts
from policykg.records import Citation, Corpus, DocKind, Document, Relation, SectorTag

__all__ = [
    "BASES",
    "CURATED_PATH",
    "TreeNode",
    "build_tree",
    "find_jurisdiction",
    "iter_nodes",
    "jurisdiction_json",
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
#: Document levels (issue 11's ``Document.level``) of national issuers.
NATIONAL_LEVELS = frozenset({"central", "ministry", "national"})
_OUTSIDE: dict[DocKind, str] = {
    DocKind.SPEECH: "讲话与摘录（“1+N”之外）",
    DocKind.EXCERPT: "讲话与摘录（“1+N”之外）",
    DocKind.INTERNATIONAL_AGREEMENT: "国际协议（“1+N”之外）",
    DocKind.ENTERPRISE_PLAN: "企业行动方案（“1+N”之外）",
}
_OUTSIDE_WHY: dict[DocKind, str] = {
    DocKind.SPEECH: "讲话，不是政策文件，不属于“1+N”政策体系",
    DocKind.EXCERPT: "讲话摘编，不是政策文件，不属于“1+N”政策体系",
    DocKind.INTERNATIONAL_AGREEMENT: "国际协议，不属于我国“1+N”政策体系",
    DocKind.ENTERPRISE_PLAN: "企业自身的行动方案，不是政府政策，不属于“1+N”政策体系",
}
LOCAL_GROUP = "地方“1+N”政策体系"
OTHER_GROUP = "其他全国性政策"
EARLY_GROUP = "先行政策（早于“1”印发）"
GENRE_GROUP = "申报、会议通知与标准（“1+N”之外）"
UNPLACED_GROUP = "未归类"
NO_JURISDICTION = "地方（辖区未识别）"

#: What a placement rests on (``TreeNode.basis``), in the order the rules are tried.
BASES: dict[str, str] = {
    "root": "the \"1\" (curated) or the root group",
    "curated": "graph/data/one_plus_n.toml",
    "implements": "an implements-citation in the preamble (贯彻落实《…》)",
    "local_one": "a jurisdiction's own \"1\": title form and issuing jurisdiction",
    "local_plan": "a jurisdiction's 碳达峰实施方案: title form and issuing jurisdiction",
    "jurisdiction": "the issuing jurisdiction alone",
    "sector_title": "the sector its title names",
    "sector_body": "the sector its body names most often",
    "date": "issued before the \"1\": a precursor, grouped by sector",
    "kind": "its kind (speech, agreement, enterprise plan) or genre keeps it outside",
    "group": "a group made by the rule named in its reason",
    "none": "no rule placed it",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TreeNode:
    """A node of the "1+N" tree: a policy (``doc_id``) or a group (``doc_id`` None)."""

    doc_id: str | None
    label: str
    reason: str
    children: tuple[TreeNode, ...] = ()
    date: str | None = None
    #: False for the texts outside the 1+N system proper (speeches, agreements, precursors …)
    #: and for every node below them
    in_system: bool = True
    #: what the placement rests on: a key of ``BASES``
    basis: str = "none"
    #: the issuing jurisdiction (None for national documents and most groups)
    jurisdiction: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Curated:
    """The curated designations of ``one_plus_n.toml``."""

    one_title: str
    one_reason: str
    plan_title: str
    plan_reason: str
    one_date: str | None = None
    plan_date: str | None = None
    placements: dict[str, dict[str, str]] = field(default_factory=dict)
    one_titles: tuple[re.Pattern[str], ...] = ()
    plan_titles: tuple[re.Pattern[str], ...] = ()
    sector_words: tuple[str, ...] = ()
    outside_genres: frozenset[str] = frozenset()


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
        raise RegistryError(Errors.V001.format(path=path, reason=e)) from e
    try:
        placements: dict[str, dict[str, str]] = {}
        for i, item in enumerate(data.get("placement", []), 1):
            if "reason" not in item or not ({"group", "parent"} & item.keys()):
                raise RegistryError(Errors.V002.format(path=path, n=i))
            placements[_key(item["title"])] = {k: str(v) for k, v in item.items()}
        local = data.get("local", {})
        return _Curated(
            one_title=data["one"]["title"],
            one_reason=data["one"]["reason"],
            plan_title=data["action_plan"]["title"],
            plan_reason=data["action_plan"]["reason"],
            one_date=data["one"].get("date"),
            plan_date=data["action_plan"].get("date"),
            placements=placements,
            one_titles=tuple(re.compile(p) for p in local.get("one_titles", [])),
            plan_titles=tuple(re.compile(p) for p in local.get("plan_titles", [])),
            sector_words=tuple(local.get("sector_words", [])),
            outside_genres=frozenset(local.get("outside_genres", [])),
        )
    except KeyError as e:
        raise RegistryError(Errors.V003.format(path=path, key=e)) from e
    except re.error as e:
        raise RegistryError(Errors.V004.format(path=path, reason=e)) from e


def _level(doc: Document) -> str | None:
    """The document's issuer level (issue 11's ``Document.level``), if the loaders set it."""
    value = getattr(doc, "level", None)
    return None if value is None else str(value)


def _genre(doc: Document) -> str | None:
    value = getattr(doc, "genre", None)
    return None if value is None else str(value)


def is_national(doc: Document) -> bool:
    """Whether a national body issued the document (by its level, else its kind)."""
    level = _level(doc)
    if level is not None:
        return level in NATIONAL_LEVELS
    return doc.kind in NATIONAL_KINDS and doc.jurisdiction is None


def _find(documents: Sequence[Document], title: str) -> Document | None:
    """The national document with a title, if the corpus has it."""
    key = _key(title)
    for doc in documents:
        if _key(doc.title) == key and is_national(doc):
            return doc
    return None


def _primary_sector(
    doc: Document, tags: Sequence[SectorTag], sectors: tuple[Sector, ...]
) -> tuple[str | None, str, str]:
    """Return a document's group (a top-level sector), why, and the basis."""
    by_slug = {s.slug: s for s in sectors}

    def top(slug: str) -> str:
        while by_slug[slug].broader is not None:
            slug = by_slug[slug].broader or slug
        return slug

    in_title: dict[str, tuple[int, str]] = {}
    title_hits = match_sectors(doc.title, sectors)
    for sector in sectors:
        hits = title_hits.get(sector.slug)
        if hits:
            first = min(doc.title.find(t) for t in hits)
            slug = top(sector.slug)
            term = min(hits, key=doc.title.find)
            if slug not in in_title or first < in_title[slug][0]:
                in_title[slug] = (first, term)
    if in_title:
        support = [s for s in SUPPORT_FIRST if s in in_title]
        slug = support[0] if support else min(in_title, key=lambda s: in_title[s][0])
        return slug, f"标题点明领域：“{in_title[slug][1]}”", "sector_title"
    # no sector in the title: the tagged sector with most evidence in the body
    body = "".join(p.text for p in doc.paragraphs)
    tagged = {top(t.sector) for t in tags if t.subject_id == doc.id}
    if not tagged:
        return None, "标题和正文均未点明领域", "sector_body"
    body_hits = match_sectors(body, sectors)
    counts = {
        slug: sum(sum(body_hits.get(s, {}).values()) for s in by_slug if top(s) == slug)
        for slug in tagged
    }
    slug = max(sorted(counts), key=lambda s: counts[s])
    return slug, f"正文最常提及该领域（{counts[slug]} 处）", "sector_body"


#: Without headings, the opening lines of a document stand for its preamble.
PREAMBLE_LINES = 40


def _preamble_end(doc: Document) -> int:
    """Last line of a document's preamble: before its first heading (为贯彻落实《…》…)."""
    starts = [s for s in section_starts(doc.sections) if s > doc.start_line + 1]
    return min(starts) - 1 if starts else doc.start_line + PREAMBLE_LINES


def _implements(
    citations: Iterable[Citation], docs: dict[str, Document]
) -> dict[str, list[Citation]]:
    """Implements-citations of each document's preamble, in text order.

    Only the preamble says what a document as a whole carries out; an implements-citation
    deep in a body (line 20747 "落实《关于加强产融合作…》" inside one measure) does not.
    """
    out: dict[str, list[Citation]] = defaultdict(list)
    ends: dict[str, int] = {}
    for c in citations:
        if c.relation is not Relation.IMPLEMENTS or not c.cited_doc_id:
            continue
        if c.cited_doc_id == c.doc_id or c.doc_id not in docs or c.cited_doc_id not in docs:
            continue
        end = ends.get(c.doc_id)
        if end is None:
            end = ends[c.doc_id] = _preamble_end(docs[c.doc_id])
        if c.line <= end:
            out[c.doc_id].append(c)
    return out


@dataclass(slots=True)
class _Builder:
    """Mutable placement state while the tree is built."""

    docs: dict[str, Document]
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    reasons: dict[str, str] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)
    #: key → label, reason, in_system, jurisdiction
    groups: dict[str, tuple[str, str, bool, str | None]] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)  # shown before their siblings

    def place(self, child: str, parent: str, reason: str, basis: str) -> bool:
        """Put ``child`` (a doc id or group key) under ``parent``; refuse to make a cycle."""
        up: str | None = parent
        while up is not None:
            if up == child:
                return False
            up = self.parents.get(up)
        self.children[parent].append(child)
        self.parents[child] = parent
        self.reasons[child] = reason
        self.bases[child] = basis
        return True

    def group(
        self,
        parent: str,
        label: str,
        reason: str,
        in_system: bool = True,
        jurisdiction: str | None = None,
    ) -> str:
        """Return the key of a group under ``parent``, creating it once."""
        key = f"group:{parent}/{label}"
        if key not in self.groups:
            self.groups[key] = (label, reason, in_system, jurisdiction)
            self.place(key, parent, reason, "group")
        return key

    def node(self, key: str, in_system: bool = True) -> TreeNode:
        """Materialise the frozen subtree of ``key``; ``in_system`` flows down."""
        if key in self.groups:
            label, reason, mine, jurisdiction = self.groups[key]
            in_system = in_system and mine
            kids = tuple(self.node(k, in_system) for k in self._ordered(self.children.get(key, [])))
            return TreeNode(
                doc_id=None,
                label=label,
                reason=self.reasons.get(key, reason),
                children=kids,
                in_system=in_system,
                basis=self.bases.get(key, "root"),
                jurisdiction=jurisdiction,
            )
        doc = self.docs[key]
        kids = tuple(self.node(k, in_system) for k in self._ordered(self.children.get(key, [])))
        return TreeNode(
            doc_id=doc.id,
            label=doc.title,
            reason=self.reasons.get(key, ""),
            children=kids,
            date=doc.date,
            in_system=in_system,
            basis=self.bases.get(key, "none"),
            jurisdiction=doc.jurisdiction,
        )

    def _ordered(self, keys: list[str]) -> list[str]:
        """Documents (designated ones first, then by date), groups, outside groups last."""
        docs = sorted(
            (k for k in keys if k in self.docs),
            key=lambda k: (
                self.first.get(k, 9),
                self.docs[k].date or "9999",
                self.docs[k].file,
                self.docs[k].start_line,
            ),
        )
        groups = [k for k in keys if k in self.groups]
        inside = [k for k in groups if self.groups[k][2]]
        return docs + inside + [k for k in groups if not self.groups[k][2]]


def _older(parent: Document, child: Document) -> bool:
    """Return whether ``parent`` is not newer than ``child`` (unknown dates pass)."""
    if parent.date is None or child.date is None:
        return parent.id != child.id
    n = min(len(parent.date), len(child.date))
    return parent.date[:n] <= child.date[:n]


def _before(doc: Document, anchor: Document | None) -> bool:
    """Whether ``doc`` is dated strictly before ``anchor`` (unknown dates: no)."""
    if anchor is None or doc.date is None or anchor.date is None:
        return False
    n = min(len(doc.date), len(anchor.date))
    return doc.date[:n] < anchor.date[:n]


def _cite(c: Citation, docs: dict[str, Document]) -> str:
    cited = docs[c.cited_doc_id or ""]
    return f"《{cited.title}》（{Path(docs[c.doc_id].file).name} 第 {c.line} 行）"


def _where(c: Citation, docs: dict[str, Document]) -> str:
    return "贯彻落实" + _cite(c, docs)


def _title_rule(doc: Document, patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    key = _key(doc.title)
    return next((p for p in patterns if p.search(key)), None)


def _names_sector(doc: Document, curated: _Curated, sectors: tuple[Sector, ...]) -> bool:
    """Whether a title names a sector or a special field (a sector plan, not the main one)."""
    if any(w in doc.title for w in curated.sector_words):
        return True
    return bool(match_sectors(doc.title, sectors))


def _jurisdiction_of(doc: Document) -> str:
    return doc.jurisdiction or NO_JURISDICTION


def build_tree(
    corpus: Corpus,
    sector_tags: Sequence[SectorTag],
    curated_path: Path = CURATED_PATH,
    jurisdiction_parents: Mapping[str, str] | None = None,
) -> TreeNode:
    """Place every document of a corpus in the "1+N" tree, each with its reason and basis.

    The national "1" is the root; under it the 2030 action plan, the national sector groups
    (precursors dated before the "1" in their own sub-group, outside the system), the local
    systems by jurisdiction (each jurisdiction's "1", its 碳达峰实施方案, then its other
    policies), and the groups outside the system (speeches, agreements, enterprise plans).

    Args:
        corpus: documents and citations (``implements`` edges place policies).
        sector_tags: sector tags of the documents (``graph.sectors.tag_sectors``).
        curated_path: the curated designations (default ``graph/data/one_plus_n.toml``).
        jurisdiction_parents: a jurisdiction's enclosing one (杭州市 → 浙江省), if known: a
            city's system then hangs inside its province's group.

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
    # the curated dates stand in when the loaded text prints none (a day is never invented:
    # they are the dates the two documents carry)
    if one is not None and one.date is None and curated.one_date:
        one = dataclasses.replace(one, date=curated.one_date)
    if plan is not None and plan.date is None and curated.plan_date:
        plan = dataclasses.replace(plan, date=curated.plan_date)
    root = one.id if one else "group:root"
    if one is None:
        why_root = "语料中没有“1”（中共中央 国务院意见），以分组为根"
        b.groups[root] = ("“1+N”政策体系", why_root, True, None)
        b.bases[root] = "root"
    else:
        b.reasons[one.id] = curated.one_reason
        b.bases[one.id] = "root"
    if plan is not None:
        b.place(plan.id, root, curated.plan_reason, "curated")
        b.first[plan.id] = 0
    special = {d.id for d in (one, plan) if d is not None}
    implemented = _implements(corpus.citations, docs)
    tags_of: dict[str, list[SectorTag]] = defaultdict(list)  # a document's own tags
    for tag in sector_tags:
        tags_of[tag.subject_id].append(tag)
    placed: set[str] = set(special)
    national: list[Document] = []
    local: list[Document] = []

    for doc in corpus.documents:
        if doc.id in placed:
            continue
        genre = _genre(doc)
        if doc.kind in _OUTSIDE:
            group = b.group(root, _OUTSIDE[doc.kind], "“1+N”政策体系之外的文本", False)
            b.place(doc.id, group, _OUTSIDE_WHY[doc.kind], "kind")
        elif genre is not None and genre in curated.outside_genres:
            group = b.group(root, GENRE_GROUP, "“1+N”政策体系之外的文本", False)
            b.place(doc.id, group, f"文种为“{genre}”：申报、会议通知或标准，不是政策", "kind")
        elif getattr(doc, "notice_of", ()):
            # a covering notice: the document it publishes is placed, not the notice (issue 11)
            group = b.group(root, GENRE_GROUP, "“1+N”政策体系之外的文本", False)
            b.place(doc.id, group, "印发通知：所印发的文件在体系中，通知本身不是政策", "kind")
        elif is_national(doc):
            national.append(doc)
            continue
        else:
            local.append(doc)
            continue
        placed.add(doc.id)

    def sector_group(slug: str | None) -> str:
        if slug is None:
            return b.group(root, OTHER_GROUP, "标题和正文均未点明领域的全国性政策")
        sector = by_slug[slug]
        return b.group(root, sector.label_zh, f"领域分组：{sector.label_zh}")

    # national policies: curated, else under a national policy they carry out, else by sector;
    # a policy issued before the "1" joins its sector's precursors, outside the system
    for doc in national:
        pick = curated.placements.get(_key(doc.title))
        placed.add(doc.id)
        if pick is not None and pick.get("parent") == "one":
            b.place(doc.id, root, pick["reason"], "curated")
            b.first[doc.id] = 1
            continue
        early = _before(doc, one)
        if pick is not None and pick.get("group") in by_slug:
            slug: str | None = pick["group"]
            why, basis = pick["reason"], "curated"
        else:
            best, _ = _parent_of(doc, implemented.get(doc.id, []), docs, special)
            # a precursor's successors stay in the system: they go by sector, naming it
            cited = docs[best.cited_doc_id or ""] if best is not None else None
            if (
                not early
                and best is not None
                and cited is not None
                and not _before(cited, one)
                and _older(cited, doc)
                and b.place(doc.id, cited.id, _where(best, docs), "implements")
            ):
                continue
            slug, why, basis = _primary_sector(doc, tags_of[doc.id], sectors)
            if best is not None and cited is not None and _before(cited, one) and not early:
                why += f"；所贯彻落实的{_cite(best, docs)}是早于“1”的先行政策"
        group = sector_group(slug)
        if early and one is not None:
            early_why = f"早于“1”（{one.date}）印发的本领域政策：先行政策，不属于“1+N”"
            group = b.group(group, EARLY_GROUP, early_why, False)
            why = (
                f"印发于 {doc.date}，早于“1”（{one.date}），不是落实“1”的文件；"
                f"按领域归入先行政策：{why}"
            )
            basis = "date"
        b.place(doc.id, group, why, basis)

    _place_local(b, local, implemented, docs, root, curated, sectors, jurisdiction_parents or {},
                 one)
    placed.update(d.id for d in local)

    missing = [d.id for d in corpus.documents if d.id not in placed]
    if missing:  # kept visible rather than dropped
        group = b.group(root, UNPLACED_GROUP, "没有适用的归入规则", False)
        for doc_id in missing:
            b.place(doc_id, group, "没有适用的归入规则", "none")
    return b.node(root)


def _parent_of(
    doc: Document,
    implemented: list[Citation],
    docs: dict[str, Document],
    special: set[str],
) -> tuple[Citation | None, Citation | None]:
    """Return (the most specific implemented national policy, a same-jurisdiction one)."""
    national = [
        c for c in implemented if c.cited_doc_id and is_national(docs[c.cited_doc_id])
    ]
    specific = [c for c in national if c.cited_doc_id not in special]
    best = specific[0] if specific else (national[-1] if national else None)
    local = [
        c
        for c in implemented
        if c.cited_doc_id
        and not is_national(docs[c.cited_doc_id])
        and docs[c.cited_doc_id].jurisdiction == doc.jurisdiction
    ]
    return best, (local[-1] if local else None)


def _place_local(
    b: _Builder,
    local: list[Document],
    implemented: dict[str, list[Citation]],
    docs: dict[str, Document],
    root: str,
    curated: _Curated,
    sectors: tuple[Sector, ...],
    parents: Mapping[str, str],
    one: Document | None,
) -> None:
    """Place local policies in their jurisdiction's own "1+N" system under the national "1".

    A local policy issued before the national "1" goes to its jurisdiction's precursor group,
    outside the system, saying so.
    """
    top = b.group(root, LOCAL_GROUP, "省、市按本地“1+N”体系贯彻落实国家“1+N”：按发文辖区分组")
    by_jur: dict[str, list[Document]] = defaultdict(list)
    for doc in local:
        by_jur[_jurisdiction_of(doc)].append(doc)

    made: dict[str, str] = {}

    def jur_group(name: str) -> str:
        if name in made:
            return made[name]
        chain = [name]
        while chain[-1] in parents and parents[chain[-1]] not in chain and len(chain) < 5:
            chain.append(parents[chain[-1]])
        parent = top
        for i, part in enumerate(reversed(chain)):
            if part in made:
                parent = made[part]
                continue
            why = f"发文辖区：{part}" + ("" if i == 0 else f"（属于{chain[len(chain) - i]}）")
            made[part] = b.group(parent, part, why, jurisdiction=part)
            parent = made[part]
        return made[name]

    for name in sorted(by_jur):
        members = sorted(by_jur[name], key=lambda d: (d.date or "9999", d.file, d.start_line))
        group = jur_group(name)
        known = name != NO_JURISDICTION
        ones = [d for d in members if known and _title_rule(d, curated.one_titles)]
        # the jurisdiction's "1": one that implements the national "1" first, else the earliest
        ones.sort(key=lambda d: not any(docs[c.cited_doc_id or ""].id == root
                                        for c in implemented.get(d.id, [])))
        my_one = ones[0] if ones else None
        plans = [
            d for d in members
            if known and d is not my_one and _title_rule(d, curated.plan_titles)
            and not _names_sector(d, curated, sectors)
        ]
        my_plan = plans[0] if plans else None
        if my_one is not None:
            cites_one = [c for c in implemented.get(my_one.id, []) if c.cited_doc_id == root]
            why = f"{name}的“1”：标题为贯彻新发展理念、做好碳达峰碳中和工作的实施意见"
            if cites_one:
                why += "；" + _where(cites_one[0], docs)
            b.place(my_one.id, group, why, "local_one")
            b.first[my_one.id] = 0
        if my_plan is not None:
            anchor = my_one if my_one is not None and _older(my_one, my_plan) else None
            why = f"{name}的碳达峰实施方案：标题为“碳达峰实施方案”且未限定领域"
            b.place(my_plan.id, anchor.id if anchor else group, why, "local_plan")
            b.first[my_plan.id] = 0
        for doc in members:
            if doc is my_one or doc is my_plan:
                continue
            if one is not None and _before(doc, one):
                early = b.group(group, EARLY_GROUP,
                                f"早于“1”（{one.date}）印发的本辖区政策：先行政策，不属于“1+N”",
                                False, jurisdiction=None)
                why = f"{name}的政策，印发于 {doc.date}，早于“1”（{one.date}），不是落实“1”的文件"
                b.place(doc.id, early, why, "date")
                continue
            _place_one_local(b, doc, implemented.get(doc.id, []), docs, group, name,
                             my_one, my_plan)


def _place_one_local(
    b: _Builder,
    doc: Document,
    implemented: list[Citation],
    docs: dict[str, Document],
    group: str,
    name: str,
    my_one: Document | None,
    my_plan: Document | None,
) -> None:
    """Place one local policy: under what it implements in its jurisdiction, else its "1"."""
    national = [c for c in implemented if c.cited_doc_id and is_national(docs[c.cited_doc_id])]
    also = ("；并" + _where(national[0], docs)) if national else ""
    same = [
        c for c in implemented
        if c.cited_doc_id and not is_national(docs[c.cited_doc_id])
        and _jurisdiction_of(docs[c.cited_doc_id]) == name
        and _older(docs[c.cited_doc_id], doc)
    ]
    for c in reversed(same):  # the most specific is cited last (…《实施意见》和《实施方案》)
        if b.place(doc.id, c.cited_doc_id or "", _where(c, docs), "implements"):
            return
    for anchor, what in ((my_plan, "碳达峰实施方案"), (my_one, "“1”")):
        if anchor is not None and _older(anchor, doc) and not _before(doc, anchor):
            why = f"{name}的政策，归入本辖区{what}之下（同一辖区、不早于该文件）{also}"
            if b.place(doc.id, anchor.id, why, "jurisdiction"):
                return
    if my_one is not None and _before(doc, my_one):
        why = (
            f"{name}的政策，印发于 {doc.date}，早于本辖区的“1”（{my_one.date}），"
            f"不作为其下级{also}"
        )
    elif name == NO_JURISDICTION:
        why = f"地方政策，发文辖区未识别{also}"
    else:
        why = f"{name}的政策{also}" if also else f"{name}的政策，未说明落实的文件"
    b.place(doc.id, group, why, "jurisdiction")


def find_jurisdiction(node: TreeNode, name: str) -> TreeNode | None:
    """Return the group of one jurisdiction's local system (its name or a unique fragment)."""
    groups = [n for _, n in iter_nodes(node) if n.doc_id is None and n.jurisdiction]
    exact = [n for n in groups if n.jurisdiction == name]
    if exact:
        return exact[0]
    partial = [n for n in groups if name in (n.jurisdiction or "")]
    return partial[0] if len(partial) == 1 else None


def jurisdiction_json(tree: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """Return one jurisdiction's group of a tree as JSON (``tree_to_json``), by name or fragment.

    A fragment must match one jurisdiction only (杭州 → 杭州市); None when none or several do.
    """
    groups: list[dict[str, Any]] = []
    stack = [dict(tree)]
    while stack:
        node = stack.pop()
        if node.get("doc_id") is None and node.get("jurisdiction"):
            groups.append(node)
        stack.extend(node.get("children", []))
    exact = [g for g in groups if g["jurisdiction"] == name]
    if exact:
        return exact[0]
    partial = [g for g in groups if name in g["jurisdiction"]]
    return partial[0] if len(partial) == 1 else None


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
        "basis": node.basis,
        "jurisdiction": node.jurisdiction,
        "children": [tree_to_json(c) for c in node.children],
    }


def tree_to_text(node: TreeNode, indent: str = "  ") -> list[str]:
    """Return a tree as indented lines: label, then ``[doc_id date]`` for policies."""
    lines: list[str] = []
    for depth, n in iter_nodes(node):
        meta = " ".join(x for x in (n.doc_id, n.date) if x)
        lines.append(f"{indent * depth}{n.label}" + (f"  [{meta}]" if meta else ""))
    return lines
