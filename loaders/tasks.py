"""Tasks: the items of a policy that assign work, with the agencies responsible.

Reads the responsibility annotations the compilation prints after an item —
（A、B牵头，C、D等按职责分工负责）, （责任单位：A，B、C）, （牵头单位：A；配合单位：B）,
（A、B负责）, bare 责任单位： lines — on ``Document.paragraphs`` (wrapped and page-broken
lines already joined), and resolves every name in the document's jurisdiction.

Must not import rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policykg.loaders.agencies import Registry, document_jurisdiction
from policykg.records import Agency, Document, Paragraph, Problem, Span, Task

__all__ = [
    "Annotation",
    "RawRoles",
    "find_annotations",
    "find_tasks",
    "parse_annotation",
    "split_names",
]

logger = logging.getLogger(__name__)

_OPEN = "（(\u3014["
_CLOSE = "）)\u3015]"

# A label that opens a labelled annotation:
# line 31052: （责任单位：市发展改革委，市科委、中关村管委会，…）
# line 33837: （牵头单位：市发改委、市经信局；配合单位：市生态环境局、…）
# line 33432: （责任部门：自然处，完成期限：12月底）
LABEL = re.compile(
    r"""
    (?P<label>牵头单位|配合单位|责任单位|责任部门|完成期限|完成时限)
    \s*[：:]
    """,
    re.VERBOSE,
)

# The role a clause ends with, and a 等 before it:
# line 6260: 国家发展改革委牵头，国家统计局、国家能源局等按职责分工负责
# line 10946: …国家粮食和储备局等部门按职责分工负责
# line 19690: 生态环境部牵头负责;  line 29600: 各相关部门按分工负责
# line 6013: 地方各级人民政府负责落实;  line 41128: 宁东管委会具体落实
ROLE_SUFFIX = re.compile(
    r"""
    (?P<etc>等(?:有关|相关)?(?:部门|单位)?)?
    (?P<kind>牵头负责|负责牵头|牵头|按照?职责分工负责|按分工负责|分工负责|负责落实|具体落实|负责)
    $
    """,
    re.VERBOSE,
)

# A clause that only says later items are not annotated again:
# line 6015: 以下均需地方各级人民政府落实，不再列出;  line 41128: 以下任务不再列出
SKIP_CLAUSE = re.compile(r"^(?:以下.*|不再列出)$")

# The closing clause of the Inner Mongolia 6.2 annotations, after a list with no role verb:
# line 38655: （自治区发展改革委、工信厅、能源局，按照部门职责分工持续推进）
# line 38707: （…，各盟市政府有关部门，按照部门职责分工，按实施方案计划分年度实施）
# line 38674: （…市场监管局，按照部门职责分工 2022年 2月底前）
BY_DUTIES = re.compile(r"^按照?(?:部门)?职责分工")
PLAN_CLAUSE = re.compile(r"^按实施方案")

# The start of an item inside a paragraph, where an unclosed annotation must stop:
# line 40579: （责任单位：…宁东能源化工基地管委会，各地 / 3.严格控制煤炭消费。 (the closing
# 级市） is missing from the print and the next item follows on the same paragraph)
ITEM_START = re.compile(
    r"""
    (?:\d{1,2}\s*[.．](?!\d)|（[一二三四五六七八九十]{1,3}）|[一二三四五六七八九十]{1,3}、)
    """,
    re.VERBOSE,
)

# An item marker at the start of a paragraph: （一） / 一、 / 1. / 1． / （1）
ITEM_MARKER = re.compile(
    r"""
    ^\s*(?:
        (?P<paren>[（(][一二三四五六七八九十]{1,3}[）)])
      | (?P<top>[一二三四五六七八九十]{1,3}、)
      | (?P<num>\d{1,2}\s*[.．、](?!\d)|（\d{1,2}）)
    )
    """,
    re.VERBOSE,
)

# A bare 责任单位 line (no brackets), at a paragraph start or after a sentence:
# line 39045: 责任单位：自治区发展改革委、能源局、工业和信息化厅，各盟行政公署、市人民政府
# Where an annotation may start: a full-width bracket or a bare label (skips the rest).
_ANNOTATION_AT = re.compile(r"""（ | 责任单位 | 牵头单位""", re.VERBOSE)

BARE_LABEL = re.compile(
    r"""
    (?:^|(?<=[。；！？”]))\s*
    (?P<label>责任单位|牵头单位)\s*[：:]
    """,
    re.VERBOSE,
)

# Where a list joins a group with 和 rather than 、:
# line 37134: 省工业强省建设工作领导小组相关成员单位和各市、县[区]人民政府
# line 37200: 省生态环境厅等部门和各市、县[区]人民政府
# (the text prints the 区 in tortoise-shell brackets)
LIST_AND = re.compile(r"(?P<etc>等(?:有关|相关)?(?:部门|单位))?和(?=各|相关|有关)")

_MAX_BODY = 400
_MAX_WALK = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotation:
    """A responsibility annotation found in a paragraph (offsets into its text)."""

    raw: str
    body: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RawRoles:
    """The names of an annotation as printed, in order, with their roles."""

    lead: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    etc: bool = False

    @property
    def names(self) -> tuple[tuple[str, bool], ...]:
        """Every name in printed order with whether it is marked lead."""
        return tuple((n, True) for n in self.lead) + tuple((n, False) for n in self.participants)


# --------------------------------------------------------------------------- splitting


def _top_level_split(text: str, seps: str) -> list[str]:
    """Split ``text`` at characters of ``seps`` outside brackets."""
    out: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in seps and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def split_names(text: str) -> tuple[list[str], bool]:
    """Split a list of names at 、 (and at 和 before a group), outside brackets.

    Returns the names as printed and whether the list ends with, or holds, 等.

    >>> split_names("内蒙古电力（集团）公司、国网蒙东电力公司")
    (['内蒙古电力（集团）公司', '国网蒙东电力公司'], False)
    >>> split_names("省科技厅等部门和各市、县（区）人民政府")
    (['省科技厅', '各市', '县（区）人民政府'], True)
    """
    etc = False
    names: list[str] = []
    for part in _top_level_split(text, "、"):
        pieces = []
        last = 0
        for m in LIST_AND.finditer(part):
            if _depth_at(part, m.start()):
                continue
            pieces.append(part[last:m.start()])
            etc = etc or bool(m.group("etc"))
            last = m.end()
        pieces.append(part[last:])
        for piece in pieces:
            name = piece.strip()
            if name.endswith("等"):
                name, etc = name[:-1], True
            if name:
                names.append(name)
    return names, etc


def _depth_at(text: str, pos: int) -> int:
    depth = 0
    for ch in text[:pos]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth


def parse_annotation(body: str) -> RawRoles:
    """Read the names and roles of an annotation body (the text inside its brackets).

    Lead only where the text marks it: 牵头 / 牵头单位, or the units before the first comma of
    a 责任单位 list.

    >>> parse_annotation("国家发展改革委牵头，国家统计局、国家能源局等按职责分工负责")
    RawRoles(lead=('国家发展改革委',), participants=('国家统计局', '国家能源局'), etc=True)
    >>> parse_annotation("责任单位：市发展改革委，市科委、中关村管委会")
    RawRoles(lead=('市发展改革委',), participants=('市科委', '中关村管委会'), etc=False)
    """
    text = re.sub(r"\s+", "", body).strip("。；，")
    lead: list[str] = []
    part: list[str] = []
    etc = False
    labels = list(LABEL.finditer(text))
    if labels and labels[0].start() == 0:
        for k, m in enumerate(labels):
            end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
            content = text[m.end():end].strip("；;，,。 ")
            label = m.group("label")
            if label.startswith("完成"):
                continue
            if label == "牵头单位":
                names, e = split_names(content.replace("，", "、"))
                lead += names
            elif label == "配合单位":
                names, e = split_names(content.replace("，", "、"))
                part += names
            else:  # 责任单位 / 责任部门: the units before the first comma lead, if any comma
                groups = [g for g in _top_level_split(content, "，,") if g.strip()]
                e = False
                for g, group in enumerate(groups):
                    names, ge = split_names(group)
                    e = e or ge
                    (lead if g == 0 and len(groups) > 1 else part).extend(names)
            etc = etc or e
        return RawRoles(lead=tuple(lead), participants=tuple(part), etc=etc)
    for clause in _top_level_split(text, "，,。；;"):
        clause = clause.strip()
        if not clause or SKIP_CLAUSE.match(clause) or BY_DUTIES.match(clause) or (
            PLAN_CLAUSE.match(clause)
        ):
            continue
        suffix = ROLE_SUFFIX.search(clause)
        is_lead = False
        if suffix is not None:
            is_lead = "牵头" in suffix.group("kind")
            etc = etc or bool(suffix.group("etc"))
            clause = clause[:suffix.start()]
        clause = re.sub(r"^由", "", clause)
        names, e = split_names(clause)
        etc = etc or e
        (lead if is_lead else part).extend(names)
    return RawRoles(lead=tuple(lead), participants=tuple(part), etc=etc)


# --------------------------------------------------------------------------- finding


def _looks_like_annotation(body: str) -> bool:
    """Whether a bracketed text is a responsibility annotation (not 以下简称…, not a note)."""
    text = re.sub(r"\s+", "", body)
    if not text or len(text) > _MAX_BODY:
        return False
    label = LABEL.match(text)
    if label is not None and not label.group("label").startswith("完成"):
        return True
    clauses = _top_level_split(text, "，,。；;")
    if len(clauses) > 1 and "。" not in text and any(BY_DUTIES.match(c) for c in clauses[1:]):
        return True
    return bool(ROLE_SUFFIX.search(clauses[0])) and len(clauses[0]) <= 200


def find_annotations(text: str) -> list[Annotation]:
    """Find the responsibility annotations of one paragraph's text, in order."""
    found: list[Annotation] = []
    n = len(text)
    i = 0
    while (at := _ANNOTATION_AT.search(text, i)) is not None:
        i = at.start()
        if text[i] == "（":
            end, closed = _match_bracket(text, i)
            body = text[i + 1:end - 1] if closed else text[i + 1:end]
            if _looks_like_annotation(body):
                found.append(Annotation(raw=text[i:end], body=body, start=i, end=end))
                i = end
                continue
            i += 1
            continue
        m = BARE_LABEL.match(text, i) if text.startswith(("责任单位", "牵头单位"), i) else None
        if m is not None:
            stop = ITEM_START.search(text, m.end())
            end = stop.start() if stop else n
            raw = text[m.start("label"):end]
            found.append(Annotation(raw=raw.strip(), body=raw.strip(),
                                    start=m.start("label"), end=end))
            i = end
            continue
        i += 1
    return found


def _match_bracket(text: str, start: int) -> tuple[int, bool]:
    """Return the end (exclusive) of the bracket opened at ``start`` and whether it closed.

    An unclosed bracket stops before the next item marker or at the paragraph end.
    """
    depth = 0
    for k in range(start, len(text)):
        ch = text[k]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return k + 1, True
        elif depth == 1 and k > start + 1 and ITEM_START.match(text, k):
            return k, False
    return len(text), False


# --------------------------------------------------------------------------- resolving


@dataclass(slots=True)
class _Resolved:
    lead: list[str]
    participants: list[str]
    collective: list[str]
    unresolved: list[str]


def _resolve_roles(
    roles: RawRoles, registry: Registry, jid: str | None, prefixes: Sequence[str]
) -> _Resolved:
    """Resolve printed names in order, carrying a jurisdiction prefix over a list."""
    out = _Resolved([], [], [], [])
    carry: str | None = None
    items = list(roles.names)
    k = 0
    while k < len(items):
        name, is_lead = items[k]
        k += 1
        if registry.is_collective(name):
            group = [name]
            # 各盟行政公署、市人民政府 (line 39045), 各市、县[区]人民政府 (line 37134): the 各
            # reaches over the following names that are not agencies in their own right
            while k < len(items) and items[k][1] == is_lead and not _strong(
                items[k][0], registry, jid, prefixes
            ) and not registry.is_collective(items[k][0]):
                group.append(items[k][0])
                k += 1
            out.collective.append("、".join(group))
            continue
        agency = None
        prefix = _explicit_prefix(name, registry, jid, prefixes)
        if prefix is None and carry is not None:
            agency = registry.resolve(carry + name, jid)
        if agency is None:
            agency = registry.resolve(name, jid)
        if agency is None:
            out.unresolved.append(name)
            continue
        if prefix is not None:
            carry = prefix
        target = out.lead if is_lead else out.participants
        if agency.name not in target:
            target.append(agency.name)
    # an agency printed both as lead and as participant (line 34088) keeps both roles
    return out


def _explicit_prefix(
    name: str, registry: Registry, jid: str | None, prefixes: Sequence[str]
) -> str | None:
    """Return the prefix ``name`` starts with (市市场监管局 → 市; 市场监管局 → None)."""
    for p in prefixes:
        if name.startswith(p) and registry.resolve(name[len(p):], jid) is not None:
            return p
    return None


def _strong(name: str, registry: Registry, jid: str | None, prefixes: Sequence[str]) -> bool:
    """Whether ``name`` resolves by itself: absolutely or with an explicit prefix."""
    if _explicit_prefix(name, registry, jid, prefixes) is not None:
        return registry.resolve(name, jid) is not None
    return registry.resolve(name, None) is not None


# --------------------------------------------------------------------------- tasks


def _marker_kind(text: str) -> str | None:
    m = ITEM_MARKER.match(text)
    if m is None:
        return None
    return next(k for k in ("paren", "top", "num") if m.group(k))


def _is_heading(p: Paragraph) -> bool:
    """A short heading paragraph without a sentence (二、重点任务)."""
    return len(p.text) <= 40 and "。" not in p.text


def _section_path(doc: Document, line: int) -> tuple[str, ...]:
    best = None
    for s in doc.sections:
        if s.start_line <= line <= s.end_line and (best is None or s.level >= best.level):
            best = s
    return best.path if best is not None else ()


def find_tasks(doc: Document, registry: Registry) -> tuple[list[Task], list[Problem]]:
    """Extract the tasks of a document with their lead, participants and group phrases.

    Names that do not resolve are kept as written in ``Task.unresolved`` and reported as
    Problem A002; an annotation without any name is reported as A001.
    """
    j = document_jurisdiction(doc, registry)
    jid = j.id if j else None
    prefixes: list[str] = []
    if j is not None:
        prefixes = list(j.prefixes)
        parent = registry.jurisdiction(j.parent)
        if parent is not None:
            prefixes += list(parent.prefixes)
    prefixes = sorted(set(prefixes), key=len, reverse=True)

    paragraphs = doc.paragraphs
    found = [find_annotations(p.text) for p in paragraphs]
    tasks: list[Task] = []
    problems: list[Problem] = []
    for pi, (p, anns) in enumerate(zip(paragraphs, found, strict=True)):
        prev_end = 0
        for ann in anns:
            start, text = _task_text(paragraphs, found, pi, prev_end, ann)
            prev_end = ann.end
            body = ann.body
            for raw, fixed in registry.corrections:
                body = body.replace(raw, fixed)
            roles = parse_annotation(body)
            res = _resolve_roles(roles, registry, jid, prefixes)
            end_line = p.line_at(max(ann.end - 1, 0))
            span = Span(file=doc.file, start_line=p.line_at(ann.start), end_line=end_line)
            if not roles.names:
                problems.append(Problem(code="A001", span=span,
                                        message=f"annotation not parsed: {ann.raw}",
                                        excerpt=ann.raw))
                continue
            for name in res.unresolved:
                problems.append(Problem(code="A002", span=span,
                                        message=f"agency not resolved: {name}",
                                        excerpt=ann.raw))
            tasks.append(Task(
                id=f"{doc.id}-t{len(tasks) + 1}",
                doc_id=doc.id,
                text=text,
                section=_section_path(doc, start),
                lead=tuple(res.lead),
                participants=tuple(res.participants),
                collective=tuple(res.collective),
                etc=roles.etc,
                jurisdiction=j.name if j else None,
                raw=ann.raw,
                start_line=start,
                end_line=end_line,
                unresolved=tuple(res.unresolved),
            ))
    logger.debug("%s: %d tasks, %d problems", doc.id, len(tasks), len(problems))
    return tasks, problems


def _task_text(
    paragraphs: Sequence[Paragraph],
    found: Sequence[Sequence[Annotation]],
    pi: int,
    prev_end: int,
    ann: Annotation,
) -> tuple[int, str]:
    """Return the first line and the joined text of the item an annotation attaches to.

    The text runs from the end of the previous annotation of the same paragraph, or from the
    start of the item: a paragraph that is not an item of its own (a bare 责任单位 line, or the
    tail of an item whose sub-items 1. 2. 3. stand as paragraphs) reaches back to the
    nearest （一）/一、 item or the previous annotation.
    """
    p = paragraphs[pi]
    seg_start = prev_end
    while seg_start < ann.start and p.text[seg_start].isspace():
        seg_start += 1
    segment = p.text[seg_start:ann.start].strip()
    if prev_end > 0 or (segment and _marker_kind(p.text[seg_start:]) is not None):
        return p.line_at(seg_start), segment
    continuation = bool(segment)
    parts = [segment] if segment else []
    first_line = p.line_at(seg_start) if segment else p.line_at(ann.start)
    k = pi - 1
    while k >= 0 and pi - k <= _MAX_WALK:
        q = paragraphs[k]
        if found[k]:
            break
        kind = _marker_kind(q.text)
        if kind == "top" and _is_heading(q):
            break
        parts.insert(0, q.text.strip())
        first_line = q.start_line
        # a continuation stops at its item's own marker; a bare 责任单位 line reaches over
        # sub-items 1. 2. 3. to their （四） (line 39111)
        if kind in ("paren", "top") or (kind == "num" and continuation):
            break
        k -= 1
    return first_line, "".join(parts)


def resolve_agency_names(names: Sequence[str], registry: Registry) -> list[Agency]:
    """Return the registry agencies of canonical names (unknown names skipped)."""
    out = []
    for name in names:
        a = registry.by_name(name)
        if a is not None:
            out.append(a)
    return out
