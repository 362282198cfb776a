"""Tasks: the items of a policy that assign work, with the bodies responsible.

Reads responsibility annotations in every form the corpus prints —
（A、B牵头，C、D等按职责分工负责）, （X牵头，Y配合）, （责任单位：A，B、C）, (责任单位:…), ［…］,
（牵头单位：A；配合单位：B）, labels on their own lines, bare lists after a sentence （A、B、C）,
notes such as 下同 / 以下…不再列出 — on ``Document.paragraphs`` (wrapped and page-broken
lines already joined), and resolves every name in the document's jurisdiction.  The words
of the grammar are data (``lexicons/annotations.toml``); an unknown connective degrades to
"names found, role unknown".

Lead only where the text marks it (牵头, 牵头单位, 会同) or where the document states its own
convention (排在第一位的为牵头单位, 逗号前为牵头单位); a comma alone never marks a lead.

Must not import rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources

from policykg.errors import Errors
from policykg.loaders.agencies import Registry, document_jurisdiction
from policykg.loaders.tables import TableRow
from policykg.records import Agency, Document, LeadBasis, Paragraph, Problem, Span, Task

__all__ = [
    "Annotation",
    "BodyLead",
    "Convention",
    "RawRoles",
    "document_convention",
    "find_annotations",
    "find_body_leads",
    "find_tasks",
    "is_body_name",
    "label_roles",
    "parse_annotation",
    "read_annotations",
    "split_names",
]

logger = logging.getLogger(__name__)

_OPEN = "（(\u3014[［〈【"
_CLOSE = "）)\u3015]］〉】"
#: brackets an annotation may stand in: （…） (…) ［…］ […] 【…】 〔…〕
_ANN_OPEN = "（(［[【〔"


class Convention(StrEnum):
    """A document's own statement of which listed unit leads."""

    FIRST = "first"  # 排在第一位的为牵头单位, 列首位的为牵头单位
    COMMA = "comma"  # 逗号前为牵头单位


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The regular expressions built from ``lexicons/annotations.toml``."""

    label: re.Pattern[str]
    label_roles: dict[str, str]
    ending: re.Pattern[str]
    ending_roles: dict[str, str]
    skip: re.Pattern[str]
    convention: re.Pattern[str]
    convention_kinds: dict[str, Convention]
    suffix: re.Pattern[str]
    bare_suffix: re.Pattern[str]
    bare_label: re.Pattern[str]
    with_stop: re.Pattern[str]
    colons: str


@functools.cache
def _grammar() -> _Grammar:
    text = resources.files("policykg.loaders.lexicons").joinpath("annotations.toml").read_text(
        encoding="utf-8")
    data = tomllib.loads(text)
    label_roles = {w: role for role, words in data["labels"].items() for w in words}
    ending_roles = {w: role for role, words in data["endings"].items() for w in words}
    kinds = {w: Convention(kind) for kind, words in data["conventions"].items() for w in words}
    colons = "".join(data["punctuation"]["colons"])
    colon = "[" + "".join(re.escape(c) for c in colons) + "]"
    # any short label ending in 单位/部门 is a label too: its role is unknown
    label = re.compile(
        rf"(?P<label>{_alternation(label_roles)}|[\u4e00-\u9fff]{{1,6}}(?:单位|部门))\s*{colon}")
    ending = re.compile(
        rf"(?P<etc>等(?:有关|相关)?(?:部门|单位)?)?(?P<kind>{_alternation(ending_roles)})$")
    skip = re.compile(rf"^(?:{_alternation(data['clauses']['skip'])})")
    convention = re.compile(rf"(?P<kind>{_alternation(kinds)})[^，。；）)]{{0,12}}?为牵头")
    suffix = re.compile(rf"(?:{_alternation(data['names']['suffixes'])})(?:[（(][^）)]*[）)])?$")
    bare = [w for w, r in label_roles.items() if r != "other"]
    bare_label = re.compile(rf"(?P<label>{_alternation(bare)})\s*{colon}")
    with_stop = re.compile(_alternation(data["body"]["verbs"]))
    bare_suffix = re.compile(rf"(?:{_alternation(data['names']['bare_list_suffixes'])})$")
    return _Grammar(label=label, label_roles=label_roles, ending=ending,
                    ending_roles=ending_roles, skip=skip, convention=convention,
                    convention_kinds=kinds, suffix=suffix, bare_suffix=bare_suffix,
                    bare_label=bare_label,
                    with_stop=with_stop, colons=colons)


# The closing clause of the Inner Mongolia 6.2 annotations, after a list with no role verb:
# line 38655: （自治区发展改革委、工信厅、能源局，按照部门职责分工持续推进）
BY_DUTIES = re.compile(r"^按照?(?:部门)?职[责能]分工")

# X会同Y: X leads (国家发展改革委会同有关部门负责)
WITH = re.compile(r"会同")

# Leads written in the body of an item (names up to the clause's start; X leads, Y takes part):
# line 38645: 自治区发展改革委牵头负责重点领域在建、拟建项目的节能降碳行动工作；
#             自治区工信厅牵头负责…
# line 32009: 市生态环境局作为牵头单位，负责碳普惠机制的总体设计和协调推进
# 由省发展改革委牵头，会同…;  line 7740: 园区循环化发展工程由国家发展改革委会同工业和信息化部…
BODY_LEAD = re.compile(
    r"""
    (?:由(?P<by>[^，。；：、（）()]{2,30}?)牵头)
    | (?P<duty>[^，。；：（）()]{2,60}?)(?:牵头负责|负责牵头|作为牵头单位|牵头组织|牵头)(?![单部])
    | (?P<lead>[^，。；：（）()]{2,60}?)会同(?P<with>[^，。；：（）()]{2,80})
    """,
    re.VERBOSE,
)
# words around the lead's names in a clause: 园区循环化发展工程由… ; …委要会同
_BEFORE_LEAD = re.compile(r"^.*由")
_AFTER_LEAD = re.compile(r"(?:要|应|将|应当|负责|具体|继续|共同|统一|主要)+$")
# a level prefix a body's name starts with, in running text (市生态环境局, 省发展改革委, 国家能源局)
_LEVEL_PREFIX = re.compile(r"^(?:国家|国务院|中央|中国|省|市|区|县|自治区|州|盟|旗|全国)")

# A bracket holding only a note about the annotations, dropped before reading names:
# （排在第一为牵头单位，下同）;
# 〈含开发区、风景区管委会，以下工作任务均需各区人民政府落实，不再列出〉
NOTE_BRACKET = re.compile(
    r"[（(〈［\[][^（(〈［\[）)〉］\]]*?(?:为牵头|下同|不再列出)[^）)〉］\]]*[）)〉］\]]")

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

# Where a list joins a group with 和 rather than 、:
# line 37134: 省工业强省建设工作领导小组相关成员单位和各市、县[区]人民政府
# line 37200: 省生态环境厅等部门和各市、县[区]人民政府
LIST_AND = re.compile(r"(?P<etc>等(?:有关|相关)?(?:部门|单位))?和(?=各|相关|有关)")

#: the label a table column's cells are read under, by the column's role
_COLUMN_LABEL = {"lead": "牵头单位", "participant": "配合单位", "unmarked": "责任单位"}

# a group after 等 that ends a body's name: 等省有关部门, 等省直有关部门, 等有关单位
# (495 山西: 省文旅厅等行业主管部门)
ETC_GROUP = re.compile(r"等[\u4e00-\u9fff]{0,8}?(?:部门|单位|机构|方面)$")
# a government named only by its level, which a preceding 各 governs: 市政府, 县〔区〕人民政府
GENERIC_GOVERNMENT = re.compile(r"^[省市县区州盟旗（）()〔〕、]{1,8}(?:人民政府|政府|行政公署)$")
_GROUP_TAILS = frozenset({"单位", "部门", "机构"})
# a later sentence of an annotation that is only a note: 以下均需各市人民政府落实，不再列出
NOTE_SENTENCE = re.compile(r"不再列出")

_MAX_BODY = 400
_MAX_WALK = 12
_MAX_NAME = 40


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
    basis: LeadBasis | None = None
    #: every name in printed order with whether it is lead (when known)
    printed: tuple[tuple[str, bool], ...] = field(default=(), compare=False, repr=False)

    @property
    def names(self) -> tuple[tuple[str, bool], ...]:
        """Every name in printed order with whether it is lead."""
        if self.printed:
            return self.printed
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
    (['省科技厅', '各市、县（区）人民政府'], True)
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
            group = ETC_GROUP.search(name)
            if group is not None and not _depth_at(name, group.start()):
                # 省住房城乡建设厅等省有关部门 (347 p2): the body, then a group it heads
                name, etc = name[:group.start()], True
            if name.endswith("等"):
                name, etc = name[:-1], True
            if name in _GROUP_TAILS:
                etc = True  # 等省有关部门、单位 (347 p4): the tail of the group
                continue
            if names and names[-1].startswith("各") and GENERIC_GOVERNMENT.match(name):
                # 各区、市政府 (青岛 500), 各市、县〔区〕人民政府 (line 37134): one group
                names[-1] += "、" + name
                continue
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


def label_roles() -> dict[str, str]:
    """The role of each label word of the lexicon (牵头单位 → lead, 配合单位 → participant …)."""
    return dict(_grammar().label_roles)


def _looks_like_name(name: str) -> bool:
    """Whether ``name`` ends the way the name of a body ends (局, 委, 政府（管委会）, 公司 …)."""
    return len(name) <= _MAX_NAME and bool(_grammar().suffix.search(name))


def _cut_unknown_tail(name: str) -> str:
    """Cut an unknown connective after the last name ending: 市发改委协同推进 → 市发改委."""
    if _looks_like_name(name):
        return name
    g = _grammar()
    for end in range(len(name) - 1, 0, -1):
        if _depth_at(name, end) == 0 and g.suffix.search(name[:end]):
            return name[:end]
    return name


@dataclass(slots=True)
class _Item:
    name: str
    role: str | None  # "lead", "participant" or None (unmarked)
    segment: int  # which ；-segment or label section
    group: int  # which ，-group inside it


def document_convention(texts: Iterable[str]) -> Convention | None:
    """Return the convention a document states for its lists (逗号前为牵头单位 …), if any.

    >>> document_convention(["（排在第一为牵头单位，下同）"])
    <Convention.FIRST: 'first'>
    """
    g = _grammar()
    for text in texts:
        m = g.convention.search(re.sub(r"\s+", "", text))
        if m is not None:
            return g.convention_kinds[m.group("kind")]
    return None


def parse_annotation(body: str, convention: Convention | None = None) -> RawRoles:
    """Read the names and roles of an annotation body (the text inside its brackets).

    Lead only where the text marks it — 牵头 / 牵头单位 / 会同 — or by the document's stated
    ``convention``; a comma alone marks nothing.

    >>> parse_annotation("国家发展改革委牵头，国家统计局、国家能源局等按职责分工负责").lead
    ('国家发展改革委',)
    >>> parse_annotation("责任单位：市发展改革委，市科委、中关村管委会").participants
    ('市发展改革委', '市科委', '中关村管委会')
    """
    g = _grammar()
    text = NOTE_BRACKET.sub("", re.sub(r"\s+", "", body)).strip("。；;，,")
    items: list[_Item] = []
    etc = False
    segment = 0
    for k, sentence in enumerate(_top_level_split(text, "；;。")):
        if not sentence.strip("，,") or (k and NOTE_SENTENCE.search(sentence)):
            continue
        # a label opens a section with its own role; text before the first label has none
        cuts = [m for m in g.label.finditer(sentence) if not _depth_at(sentence, m.start())
                and (m.start() == 0 or sentence[m.start() - 1] in "，,")]
        bounds: list[tuple[int, int, str | None]] = (
            [(0, 0, None)] if not cuts or cuts[0].start() > 0 else [])
        bounds += [(m.start(), m.end(), m.group("label")) for m in cuts]
        for k, (_, content_start, label) in enumerate(bounds):
            stop = bounds[k + 1][0] if k + 1 < len(bounds) else len(sentence)
            content = sentence[content_start:stop].strip("，, " + g.colons)
            label_role = g.label_roles.get(label, "unmarked") if label else "unmarked"
            if label_role == "other" or not content:
                continue
            etc = _read_clauses(content, label_role, segment, items) or etc
            segment += 1
    lead_marked = any(i.role == "lead" for i in items)
    basis: LeadBasis | None = LeadBasis.MARKED if lead_marked else None
    if not lead_marked and convention is not None:
        _apply_convention(items, convention)
        if any(i.role == "lead" for i in items):
            basis = LeadBasis.STATED_CONVENTION
    return RawRoles(
        lead=tuple(i.name for i in items if i.role == "lead"),
        participants=tuple(i.name for i in items if i.role != "lead"),
        etc=etc,
        basis=basis,
        printed=tuple((i.name, i.role == "lead") for i in items),
    )


def _read_clauses(content: str, label_role: str, segment: int, items: list[_Item]) -> bool:
    """Append the names of one label section (or unlabelled sentence); return its 等."""
    g = _grammar()
    etc = False
    default = None if label_role == "unmarked" else label_role
    for group, clause in enumerate(_top_level_split(content, "，,")):
        clause = clause.strip()
        if not clause or g.skip.match(clause) or BY_DUTIES.match(clause) or (
                g.convention.search(clause)):
            continue
        clause = re.sub(r"^由", "", clause)
        role = default
        ending = g.ending.search(clause)
        known = ending is not None
        if ending is not None:
            kind = g.ending_roles[ending.group("kind")]
            role = None if kind == "unmarked" else kind
            etc = etc or bool(ending.group("etc"))
            clause = clause[:ending.start()]
        with_ = WITH.search(clause)
        if with_ is not None and not _depth_at(clause, with_.start()):
            # X会同Y(负责): X leads, Y takes part
            left, e1 = split_names(clause[:with_.start()])
            right, e2 = split_names(clause[with_.end():])
            etc = etc or e1 or e2
            items += [_Item(n, "lead", segment, group) for n in left]
            items += [_Item(_cut_unknown_tail(n), "participant", segment, group) for n in right]
            continue
        names, e = split_names(clause)
        etc = etc or e
        if names and not known:
            names[-1] = _cut_unknown_tail(names[-1])
        items += [_Item(n, role, segment, group) for n in names]
    return etc


def _apply_convention(items: list[_Item], convention: Convention) -> None:
    """Mark the leads of unmarked lists by the document's own convention."""
    seen: set[int] = set()
    for item in items:
        if item.role is not None:
            continue
        if convention is Convention.FIRST:
            if item.segment not in seen:
                item.role = "lead"
        elif item.group == 0:
            item.role = "lead"
        seen.add(item.segment)


# --------------------------------------------------------------------------- finding


def _looks_like_annotation(body: str, *, after_sentence: bool = False) -> bool:
    """Whether a bracketed text is a responsibility annotation (not 以下简称…, not a note).

    ``after_sentence``: the bracket follows a sentence's end, where a bare list of bodies
    （市发展改革委、市经济信息委、市能源局） is an annotation too.
    """
    g = _grammar()
    text = NOTE_BRACKET.sub("", re.sub(r"\s+", "", body)).strip("。；;，,")
    if not text or len(text) > _MAX_BODY:
        return False
    label = g.label.match(text)
    if label is not None and g.label_roles.get(label.group("label"), "unmarked") != "other":
        return True
    clauses = _top_level_split(text, "，,。；;")
    if len(clauses) > 1 and "。" not in text and any(BY_DUTIES.match(c) for c in clauses[1:]):
        return True
    first = re.sub(r"^由", "", clauses[0])
    ending = g.ending.search(first)
    if ending is not None and len(first) <= 200:
        if "负责" in ending.group("kind") or "牵头" in ending.group("kind"):
            return True
        # a weaker ending (配合, 参与, 落实) needs a body's name before it: not 【社会参与】
        names, _ = split_names(first[:ending.start()])
        return bool(names) and bool(g.bare_suffix.search(names[0]))
    if after_sentence and "。" not in text and not g.skip.match(text):
        names = [n for c in clauses for n in split_names(c)[0]]
        return bool(names) and all(len(n) <= _MAX_NAME and g.bare_suffix.search(n)
                                   for n in names)
    return False


@functools.cache
def _trigger() -> re.Pattern[str]:
    g = _grammar()
    labels = _alternation(w for w, r in g.label_roles.items() if r != "other")
    return re.compile(rf"[{re.escape(_ANN_OPEN)}]|{labels}")


def find_annotations(text: str) -> list[Annotation]:
    """Find the responsibility annotations of one paragraph's text, in order."""
    g = _grammar()
    trigger = _trigger()
    found: list[Annotation] = []
    n = len(text)
    i = 0
    while (at := trigger.search(text, i)) is not None:
        i = at.start()
        if text[i] in _ANN_OPEN:
            end, closed = _match_bracket(text, i)
            body = text[i + 1:end - 1] if closed else text[i + 1:end]
            before = text[:i].rstrip()
            after_sentence = bool(before) and before[-1] in "。；;！？”"
            if _looks_like_annotation(body, after_sentence=after_sentence):
                found.append(Annotation(raw=text[i:end], body=body, start=i, end=end))
                i = end
                continue
            i += 1
            continue
        before = text[:i].rstrip()
        m = g.bare_label.match(text, i) if not before or before[-1] in "。；;！？”" else None
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


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyLead:
    """A lead written in an item's running text (offsets into the paragraph's text)."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int
    roles: RawRoles
    #: an X会同Y clause (it marks a lead; alone it does not make a task)
    with_clause: bool = False


def find_body_leads(
    text: str, is_body: Callable[[str], bool], *, with_clauses: bool = True
) -> list[BodyLead]:
    """Find the leads a paragraph writes in its running text: 由X牵头, X牵头负责,
    X作为牵头单位 and (if ``with_clauses``) X会同Y; X leads, Y takes part.

    ``is_body(name)`` says whether a printed name denotes a body (it resolves, or carries a
    level prefix such as 市 / 省 / 国家); a clause whose X is not all bodies is no lead
    (由建设单位牵头, 由我部牵头).
    """
    out: list[BodyLead] = []
    # every alternative of BODY_LEAD needs one of the two words; most paragraphs have neither
    if "牵头" not in text and "会同" not in text:
        return out
    g = _grammar()
    for m in BODY_LEAD.finditer(text):
        if _depth_at(text, m.start()):
            continue
        x = m.group("by") or m.group("duty") or m.group("lead") or ""
        if m.group("lead") is not None and not with_clauses:
            continue
        x = _AFTER_LEAD.sub("", _BEFORE_LEAD.sub("", x)).strip()
        lead, etc = split_names(x)
        if not lead or not all(_looks_like_name(n) and is_body(n) for n in lead):
            continue
        part: list[str] = []
        if m.group("with") is not None:
            y = m.group("with")
            stop = g.with_stop.search(y)
            part, e2 = split_names(y[:stop.start()] if stop else y)
            part = [n for n in part if is_body(n)]
            etc = etc or e2
        starts = [k + 1 for k in (text.rfind(c, 0, m.start()) for c in "。；;！") if k >= 0]
        ends = [k + 1 for k in (text.find(c, m.end()) for c in "。；;！") if k >= 0]
        out.append(BodyLead(
            start=m.start(), end=m.end(),
            sentence_start=max(starts, default=0), sentence_end=min(ends, default=len(text)),
            roles=RawRoles(lead=tuple(lead), participants=tuple(part), etc=etc,
                           basis=LeadBasis.MARKED),
            with_clause=m.group("lead") is not None,
        ))
    return out


# --------------------------------------------------------------------------- resolving


@dataclass(slots=True)
class _Resolved:
    lead: list[str]
    participants: list[str]
    collective: list[str]
    unresolved: list[str]
    unresolved_lead: list[str] = dataclasses.field(default_factory=list)


def _resolve_roles(
    roles: RawRoles, registry: Registry, jid: str | None, prefixes: Sequence[str]
) -> _Resolved:
    """Resolve printed names in order, carrying a jurisdiction prefix over a list."""
    out = _Resolved([], [], [], [])
    carry: str | None = None
    place: str | None = None
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
        # a name that names its own place (四川省能源局 in a Chongqing document) sets the place
        # of the relative names after it: 四川省能源局、经济和信息化厅 (成渝 57 p3)
        own = _leading_place(name, registry)
        if own is not None:
            place = own
        elif place is not None:
            agency = registry.resolve(name, place)
        prefix = _explicit_prefix(name, registry, jid, prefixes)
        if agency is None and prefix is None and carry is not None:
            agency = registry.resolve(carry + name, jid)
        if agency is None:
            agency = registry.resolve(name, jid)
        if agency is None:
            out.unresolved.append(name)
            if is_lead:
                out.unresolved_lead.append(name)
            continue
        if prefix is not None:
            carry = prefix
        target = out.lead if is_lead else out.participants
        if agency.name not in target:
            target.append(agency.name)
    # an agency printed both as lead and as participant (line 34088) keeps both roles
    return out


# the end of a place's name at the start of a body's name (四川省, 重庆市, 广西壮族自治区)
_PLACE_END = re.compile(r"(?:省|市|自治区|区|县|州|盟|旗)")


def _leading_place(name: str, registry: Registry) -> str | None:
    """The division a name starts with, if it is not the whole name (四川省能源局 → 四川省)."""
    for m in sorted(_PLACE_END.finditer(name, 0, min(len(name) - 1, 12)),
                    key=lambda m: -m.end()):
        if m.end() >= 3:
            d = registry.division(name[:m.end()])
            if d is not None and d.name == name[:m.end()]:
                return d.id
    return None


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


def is_body_name(name: str, registry: Registry, jurisdiction: str | None) -> bool:
    """Whether a name printed in running text denotes a body: it carries a level prefix
    (市 / 省 / 国家 …), names a group, or resolves in the registry."""
    return bool(_LEVEL_PREFIX.match(name)) or registry.is_collective(name) or (
        registry.resolve(name, jurisdiction) is not None)


def read_annotations(
    doc: Document,
    is_body: Callable[[str], bool] | None = None,
    table_rows: Sequence[TableRow] = (),
) -> list[tuple[int, str, RawRoles]]:
    """Everything that assigns a task in a document, as printed, before any name is resolved:
    (first line, raw text, names with roles) of each annotation, of each lead written in an
    item without annotation (when ``is_body`` says which printed names are bodies) and of each
    table row (its line is 0: a row has its page, not a line)."""
    paragraphs = doc.paragraphs
    found = [find_annotations(p.text) for p in paragraphs]
    convention = document_convention(p.text for p in paragraphs)
    out = []
    used: set[tuple[int, int]] = set()
    leads = _body_leads(paragraphs, found, is_body) if is_body is not None else []
    for unit in _units(paragraphs, found):
        pi, ann = unit[0]
        body = "；".join(a.body for _, a in unit if a.body)
        out.append((paragraphs[pi].line_at(ann.start), "".join(a.raw for _, a in unit),
                    parse_annotation(body, convention)))
        if leads:
            start, _ = _task_text(paragraphs, found, pi, unit.prev_end, ann)
            used |= set(_item_body_leads(paragraphs, leads, pi, start, unit.prev_end, ann))
    for k, in_paragraph in enumerate(leads):
        for b, lead in enumerate(in_paragraph):
            if (k, b) not in used and not lead.with_clause:
                p = paragraphs[k]
                out.append((p.line_at(lead.start), p.text[lead.start:lead.end], lead.roles))
    for row in table_rows:
        raw = "；".join(f"{_COLUMN_LABEL[role]}：{cell}" for role, cell in row.units)
        out.append((0, raw, parse_annotation(raw, convention)))
    return out


def _body_leads(
    paragraphs: Sequence[Paragraph],
    found: Sequence[Sequence[Annotation]],
    is_body: Callable[[str], bool],
) -> list[list[BodyLead]]:
    """The body leads of each paragraph, outside its annotations."""
    return [
        [b for b in find_body_leads(p.text, is_body)
         if not any(a.start <= b.start < a.end or b.start <= a.start < b.end for a in anns)]
        for p, anns in zip(paragraphs, found, strict=True)
    ]


def _item_body_leads(
    paragraphs: Sequence[Paragraph],
    body_leads: Sequence[Sequence[BodyLead]],
    pi: int,
    start: int,
    prev_end: int,
    ann: Annotation,
) -> list[tuple[int, int]]:
    """The (paragraph, index) of the body leads in the text an annotation attaches to."""
    out = []
    for k in range(pi, -1, -1):
        if paragraphs[k].end_line < start:
            break
        for b, lead in enumerate(body_leads[k]):
            if k == pi and not prev_end <= lead.start < ann.start:
                continue
            out.append((k, b))
    return out


def find_tasks(
    doc: Document,
    registry: Registry,
    *,
    table_rows: Sequence[TableRow] = (),
    page_lines: Mapping[int, tuple[int, int]] | None = None,
) -> tuple[list[Task], list[Problem]]:
    """Extract the tasks of a document with their lead, participants and group phrases.

    ``table_rows`` are the rows of the document's responsibility tables (``loaders.tables``,
    read from a PDF's cells); each becomes a task spanning its page's lines (``page_lines``:
    page → first and last line). Names that do not resolve are kept as written in
    ``Task.unresolved`` and reported as Problem A002; an annotation without any name is
    reported as A001.
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
    convention = document_convention(p.text for p in paragraphs)
    tasks: list[Task] = []
    problems: list[Problem] = []

    def is_body(name: str) -> bool:
        return is_body_name(name, registry, jid)

    body_leads = _body_leads(paragraphs, found, is_body)
    used: set[tuple[int, int]] = set()
    for unit in _units(paragraphs, found):
        pi, ann = unit[0]
        last_pi, last = unit[-1]
        p = paragraphs[pi]
        start, text = _task_text(paragraphs, found, pi, unit.prev_end, ann)
        raw = "".join(a.raw for _, a in unit)
        body = "；".join(a.body for _, a in unit if a.body)
        for wrong, fixed in registry.corrections:
            body = body.replace(wrong, fixed)
        roles = parse_annotation(body, convention)
        res = _resolve_roles(roles, registry, jid, prefixes)
        # leads the item's own text marks (line 38645: X牵头负责…；Y牵头负责…) lead its task
        # when the annotation marks none
        marked: list[str] = []
        for k, b in _item_body_leads(paragraphs, body_leads, pi, start, unit.prev_end, ann):
            used.add((k, b))
            marked += _resolve_roles(body_leads[k][b].roles, registry, jid, prefixes).lead
        if marked and not res.lead:
            res.lead = [n for n in res.participants if n in marked]
            res.participants = [n for n in res.participants if n not in marked]
            if res.lead:
                roles = dataclasses.replace(roles, basis=LeadBasis.MARKED)
        end_line = paragraphs[last_pi].line_at(max(last.end - 1, 0))
        span = Span(file=doc.file, start_line=p.line_at(ann.start), end_line=end_line)
        if not roles.names:
            problems.append(Errors.A001.at(span, excerpt=raw, raw=raw))
            continue
        for name in res.unresolved:
            problems.append(Errors.A002.at(span, excerpt=raw, name=name))
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
            raw=raw,
            start_line=start,
            end_line=end_line,
            unresolved=tuple(res.unresolved),
            unresolved_lead=tuple(res.unresolved_lead),
            lead_basis=roles.basis if res.lead or res.unresolved_lead else None,
        ))
    # leads written in an item with no annotation make a task of their own (not X会同Y alone:
    # in running text it mostly states procedure, as in regulations' articles)
    for k, leads in enumerate(body_leads):
        p = paragraphs[k]
        for b, lead in enumerate(leads):
            if (k, b) in used or lead.with_clause:
                continue
            res = _resolve_roles(lead.roles, registry, jid, prefixes)
            raw = p.text[lead.start:lead.end]
            span = Span(file=doc.file, start_line=p.line_at(lead.start),
                        end_line=p.line_at(lead.end - 1))
            for name in res.unresolved:
                problems.append(Errors.A002.at(span, excerpt=raw, name=name))
            first = p.line_at(lead.sentence_start)
            tasks.append(Task(
                id=f"{doc.id}-t{len(tasks) + 1}", doc_id=doc.id,
                text=p.text[lead.sentence_start:lead.sentence_end].strip(),
                section=_section_path(doc, first), lead=tuple(res.lead),
                participants=tuple(res.participants), collective=tuple(res.collective),
                etc=lead.roles.etc, jurisdiction=j.name if j else None, raw=raw,
                start_line=first, end_line=p.line_at(max(lead.sentence_end - 1, 0)),
                unresolved=tuple(res.unresolved),
                unresolved_lead=tuple(res.unresolved_lead),
                lead_basis=LeadBasis.MARKED if res.lead or res.unresolved_lead else None,
            ))
    for row in table_rows:
        top, bottom = (page_lines or {}).get(row.page, (doc.start_line, doc.end_line))
        raw = "；".join(f"{_COLUMN_LABEL[role]}：{cell}" for role, cell in row.units)
        roles = parse_annotation(raw, convention)
        res = _resolve_roles(roles, registry, jid, prefixes)
        span = Span(file=doc.file, start_line=top, end_line=bottom)
        if not roles.names:
            problems.append(Errors.A001_ROW.at(span, excerpt=raw, raw=raw))
            continue
        for name in res.unresolved:
            problems.append(Errors.A002.at(span, excerpt=raw, name=name))
        tasks.append(Task(
            id=f"{doc.id}-t{len(tasks) + 1}", doc_id=doc.id, text=row.text,
            section=_section_path(doc, top), lead=tuple(res.lead),
            participants=tuple(res.participants), collective=tuple(res.collective),
            etc=roles.etc, jurisdiction=j.name if j else None, raw=raw, start_line=top,
            end_line=bottom, unresolved=tuple(res.unresolved),
            unresolved_lead=tuple(res.unresolved_lead),
            lead_basis=roles.basis if res.lead or res.unresolved_lead else None,
        ))
    logger.debug("%s: %d tasks, %d problems", doc.id, len(tasks), len(problems))
    return tasks, problems


class _Unit(list[tuple[int, Annotation]]):
    """The annotations that make one task: one, or label lines that follow each other."""

    prev_end: int = 0


def _is_bare(ann: Annotation) -> bool:
    return ann.raw[:1] not in _ANN_OPEN


def _units(paragraphs: Sequence[Paragraph], found: Sequence[Sequence[Annotation]]) -> list[_Unit]:
    """Group annotations into tasks.

    Label lines on consecutive paragraphs (牵头单位：… / 配合单位：…) are one annotation, and a
    bracket left open at a paragraph's end goes on into the next paragraphs up to its closing
    bracket (70 河北 p2: （责任单位： / 省 / 生态环境厅、…）).
    """
    units: list[_Unit] = []
    open_label = -1  # the paragraph whose bare label reached its end, still open
    consumed: dict[int, int] = {}  # paragraph → offset up to which a continuation took it
    for pi, (p, anns) in enumerate(zip(paragraphs, found, strict=True)):
        prev_end = consumed.get(pi, 0)
        for k, ann in enumerate(anns):
            if ann.start < consumed.get(pi, 0):
                continue
            if (k == 0 and open_label == pi - 1 and _is_bare(ann)
                    and not p.text[:ann.start].strip()):
                units[-1].append((pi, ann))
            else:
                unit = _Unit([(pi, ann)])
                unit.prev_end = prev_end
                units.append(unit)
                if ann.end == len(p.text) and not _is_bare(ann):
                    _continue(unit, paragraphs, pi, consumed)
            prev_end = ann.end
        open_label = pi if anns and _is_bare(anns[-1]) and not p.text[anns[-1].end:].strip() else -1
    return units


def _continue(unit: _Unit, paragraphs: Sequence[Paragraph], pi: int,
              consumed: dict[int, int]) -> None:
    """Extend a bracket annotation left open at its paragraph's end into the next paragraphs."""
    first_pi, ann = unit[0]
    depth = sum(ch in _OPEN for ch in ann.raw) - sum(ch in _CLOSE for ch in ann.raw)
    if depth <= 0:
        return
    parts: list[tuple[int, Annotation]] = []
    for k in range(pi + 1, min(pi + 5, len(paragraphs))):
        text = paragraphs[k].text
        if ITEM_MARKER.match(text):
            return
        for end, ch in enumerate(text, start=1):
            depth += (ch in _OPEN) - (ch in _CLOSE)
            if depth == 0:
                parts.append((k, Annotation(raw=text[:end], body="", start=0, end=end)))
                body = ann.body + "".join(a.raw for _, a in parts)[:-1]
                unit[0] = (first_pi, Annotation(raw=ann.raw, body=body, start=ann.start,
                                                end=ann.end))
                unit.extend(parts)
                consumed[k] = end
                for j, _ in parts[:-1]:
                    consumed[j] = len(paragraphs[j].text)
                return
        parts.append((k, Annotation(raw=text, body="", start=0, end=len(text))))


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
