"""Typed records passed between stages: the contract of loaders → graph → viz.

Imports only the standard library.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "NON_POLICY_GENRES",
    "Agency",
    "BuildSummary",
    "Citation",
    "Corpus",
    "DateSource",
    "Direction",
    "DocKind",
    "Document",
    "Genre",
    "Inferred",
    "IssuerLevel",
    "LeadBasis",
    "Level",
    "OfficialElements",
    "OfficialType",
    "Paragraph",
    "Problem",
    "Relation",
    "Role",
    "Section",
    "SectorTag",
    "SourceLine",
    "Span",
    "Target",
    "Task",
    "page_at",
]


class DocKind(StrEnum):
    """What kind of text a document is."""

    SPEECH = "speech"
    CENTRAL_POLICY = "central_policy"
    MINISTRY_POLICY = "ministry_policy"
    LOCAL_POLICY = "local_policy"
    ENTERPRISE_PLAN = "enterprise_plan"
    INTERNATIONAL_AGREEMENT = "international_agreement"
    EXCERPT = "excerpt"


class DateSource(StrEnum):
    """Where a document's date was read."""

    UNDER_TITLE = "under_title"
    HEADER = "header"
    SIGN_OFF = "sign_off"
    TITLE = "title"
    BODY = "body"
    CITED = "cited"  # not printed in the document: taken from a document citing it
    #: an attached policy takes the date of the notice that publishes it
    COVERING_NOTICE = "covering_notice"
    #: only the 版记's 印发日期 is printed
    PRINTED = "printed"


class Genre(StrEnum):
    """What a document is, read from its title and issuer (issue 11)."""

    PLAN = "plan"  # 方案, 计划, 行动计划, 工作要点, 任务清单
    DEVELOPMENT_PLAN = "development_plan"  # 规划, 纲要, 战略
    OPINION = "opinion"  # 意见, 实施意见, 指导意见
    MEASURES = "measures"  # 办法, 规定, 细则, 规则, 措施, 政策, 规程
    NOTICE = "notice"  # 通知, 公告, 通告, 函 with policy content
    CALL = "call"  # call for projects: 申报, 征集, 遴选, 推荐, 揭榜挂帅, 申报指南
    MEETING = "meeting"  # meeting or training notice: 召开…会议, 培训, 宣传周, 竞赛
    STANDARD = "standard"  # standard, 技术规范, 技术指南, 核算方法, 目录, 标杆水平
    WHITE_PAPER = "white_paper"  # 白皮书
    SPEECH = "speech"  # 讲话, 致辞
    LAW = "law"  # 法, 条例, 决定 of a people's congress
    DECISION = "decision"  # 决定 of a Party committee or government
    AGREEMENT = "agreement"  # international agreements (compilation part 6)
    OTHER = "other"


#: Genres that load and are labelled but are not policies: kept out of the "1+N" tree and
#: out of policy counts.
NON_POLICY_GENRES = frozenset({Genre.CALL, Genre.MEETING, Genre.STANDARD})


class OfficialType(StrEnum):
    """The 15 公文种类 of the 党政机关公文处理工作条例 (2012), art. 8."""

    RESOLUTION = "决议"
    DECISION = "决定"
    ORDER = "命令"
    COMMUNIQUE = "公报"
    ANNOUNCEMENT = "公告"
    PUBLIC_NOTICE = "通告"
    OPINION = "意见"
    NOTICE = "通知"
    CIRCULAR = "通报"
    REPORT = "报告"
    REQUEST = "请示"
    REPLY = "批复"
    MOTION = "议案"
    LETTER = "函"
    MINUTES = "纪要"


class IssuerLevel(StrEnum):
    """The level of a document's issuer."""

    CENTRAL = "central"  # 中共中央, 国务院, 全国人大 and their offices
    MINISTRY = "ministry"  # ministries, commissions and national bureaus
    PROVINCIAL = "provincial"  # provinces, autonomous regions, municipalities
    MUNICIPAL = "municipal"  # prefecture-level cities, 盟, 州
    COUNTY = "county"  # districts, counties, county-level cities, development zones
    ENTERPRISE = "enterprise"
    OTHER = "other"


class Level(StrEnum):
    """Administrative level of an agency."""

    CENTRAL = "central"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    COUNTY = "county"
    ENTERPRISE = "enterprise"
    OTHER = "other"


class Role(StrEnum):
    """An agency's role in a task."""

    LEAD = "lead"
    PARTICIPANT = "participant"


class LeadBasis(StrEnum):
    """Why a task's lead agencies are lead."""

    #: the text marks them: 牵头, 牵头单位, 作为牵头单位, 会同
    MARKED = "marked"
    #: the document states its own convention (排在第一位的为牵头单位, 逗号前为牵头单位)
    STATED_CONVENTION = "stated_convention"


class Relation(StrEnum):
    """How a document refers to another one."""

    CITES = "cites"
    IMPLEMENTS = "implements"


class Direction(StrEnum):
    """What a quantitative target promises about its value."""

    REACH = "reach"
    REDUCE_BY = "reduce_by"
    REDUCE_TO = "reduce_to"
    INCREASE_BY = "increase_by"
    INCREASE_TO = "increase_to"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    MILESTONE = "milestone"


def page_at(page_lines: Sequence[int], line: int) -> int | None:
    """The page of ``line`` given the first line of each page (None: a text file).

    >>> page_at((1, 40, 81), 40), page_at((1, 40, 81), 39), page_at((), 7)
    (2, 1, None)
    """
    if not page_lines:
        return None
    return max(1, bisect.bisect_right(page_lines, line))


def _page(page: int | None) -> dict[str, int]:
    # a JSON row names the page only for a PDF: a text file's rows keep their fields
    return {} if page is None else {"page": page}


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A 1-based inclusive line range of a source file; ``page`` (1-based) for a PDF.

    A PDF's lines are numbered through the whole file, as ``policykg text FILE`` prints
    them; ``page`` is the page of ``start_line``.

    >>> str(Span(file="a.pdf", start_line=12, end_line=14, page=3))
    'a.pdf:p3:12-14'
    """

    file: str
    start_line: int
    end_line: int
    page: int | None = None

    def __str__(self) -> str:
        where = self.file if self.page is None else f"{self.file}:p{self.page}"
        if self.start_line == self.end_line:
            return f"{where}:{self.start_line}"
        return f"{where}:{self.start_line}-{self.end_line}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceLine:
    """One non-blank source line after page artifacts are removed; ``page`` for a PDF."""

    number: int
    text: str
    page: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """Wrapped source lines joined into one logical paragraph.

    ``offsets`` holds, for each joined source line, the character offset in
    ``text`` where it starts and its source line number, so any character maps
    back to its source line with ``line_at``. ``page`` is the PDF page of the first line
    (None for text files), as in ``Span``.
    """

    text: str
    start_line: int
    end_line: int
    offsets: tuple[tuple[int, int], ...]
    page: int | None = None

    def line_at(self, offset: int) -> int:
        """Return the source line of the character at ``offset``."""
        starts = [o for o, _ in self.offsets]
        i = bisect.bisect_right(starts, offset) - 1
        return self.offsets[max(i, 0)][1]


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A heading of a document's own structure (一、 / （一） / 1. / 第X章 …)."""

    id: str
    doc_id: str
    marker: str
    level: int
    heading: str
    path: tuple[str, ...]
    start_line: int
    end_line: int
    parent_id: str | None = None
    #: the PDF page of ``start_line`` (None for a text file)
    page: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Inferred:
    """A metadata value a document does not print, taken from a document that cites it."""

    field: str  # "doc_number", "date" or "title"
    value: str
    doc_id: str  # the citing document
    file: str
    line: int  # the citing line
    text: str  # what it prints: 《title》（中发〔2021〕36号）


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficialElements:
    """The GB/T 9704-2012 elements a document prints beside its title, 文号, date, issuers.

    版头: 份号, 密级 (and 保密期限), 紧急程度, 发文机关标志 (letterhead), 签发人; 主体: 主送机关
    (addressees), 附件说明, 附注; 版记: 抄送机关, 印发机关和印发日期.  A field not printed
    is None or empty; ``lines`` maps each element found to its first source line.
    """

    copy_number: str | None = None
    secrecy: str | None = None
    urgency: str | None = None
    letterhead: str | None = None
    signatories: tuple[str, ...] = ()
    addressees: str | None = None
    attachment_notes: tuple[str, ...] = ()
    note: str | None = None
    copied_to: str | None = None
    printed_by: str | None = None
    printed_date: str | None = None
    lines: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One document of a compilation, or a policy text loaded on its own."""

    id: str
    part: int | None
    chapter: str | None
    seq: str | None
    kind: DocKind
    title: str
    doc_number: str | None
    date: str | None
    date_source: DateSource | None
    year: int | None
    issuers: tuple[str, ...]
    url: str | None
    start_line: int
    end_line: int
    file: str
    jurisdiction: str | None = None
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    issuer_ids: tuple[str, ...] = ()
    #: values of ``doc_number`` / ``date`` not printed in the document itself (``Inferred``)
    inferred: tuple[Inferred, ...] = ()
    #: the input file's path relative to the input root (a folder given, or the file's own
    #: folder); ``file`` is its name as reported in spans
    source_file: str | None = None
    genre: Genre | None = None
    official_type: OfficialType | None = None
    level: IssuerLevel | None = None
    #: a covering notice: the ids of the documents it publishes (关于印发《X》的通知 → X)
    notice_of: tuple[str, ...] = ()
    #: an attached document: the id of the notice that publishes it
    attached_to: str | None = None
    #: fields taken from the covering notice because the attached text does not print them
    #: (``doc_number``, ``issuers``, ``date``)
    from_notice: tuple[str, ...] = ()
    #: first and last page of a document read from a PDF
    pages: tuple[int, int] | None = None
    official: OfficialElements | None = None

    @property
    def is_policy(self) -> bool:
        """False for calls, meeting notices, standards and covering notices."""
        return not self.notice_of and self.genre not in NON_POLICY_GENRES

    @property
    def span(self) -> Span:
        """The document's source span (with its first page for a PDF)."""
        return Span(file=self.file, start_line=self.start_line, end_line=self.end_line,
                    page=None if self.pages is None else self.pages[0])

    def to_json(self) -> dict[str, Any]:
        """The document's interface fields (issue 2 contract), in order."""
        return {
            "id": self.id,
            "part": self.part,
            "chapter": self.chapter,
            "seq": self.seq,
            "kind": str(self.kind),
            "title": self.title,
            "doc_number": self.doc_number,
            "date": self.date,
            "date_source": None if self.date_source is None else str(self.date_source),
            "year": self.year,
            "issuers": list(self.issuers),
            "url": self.url,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "jurisdiction": self.jurisdiction,
            "source_file": self.source_file,
            "genre": None if self.genre is None else str(self.genre),
            "official_type": None if self.official_type is None else str(self.official_type),
            "level": None if self.level is None else str(self.level),
            "notice_of": list(self.notice_of),
            "attached_to": self.attached_to,
            "from_notice": list(self.from_notice),
            "pages": None if self.pages is None else list(self.pages),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Agency:
    """An agency, body or organisation of the registry."""

    id: str
    name: str
    aliases: tuple[str, ...]
    level: Level
    jurisdiction: str | None
    parent: str | None
    #: a name that looks like a body's but no template or list knows (open world)
    unresolved: bool = False
    #: the agency id this body was renamed from (国家金融监督管理总局 <- 银保监会), and when
    predecessor: str | None = None
    since: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The agency's interface fields (issue 3 contract, plus issue 12's flags)."""
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "level": str(self.level),
            "jurisdiction": self.jurisdiction,
            "parent": self.parent,
            "unresolved": self.unresolved,
            "predecessor": self.predecessor,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Task:
    """A mandate: an item of a policy with the agencies responsible for it."""

    id: str
    doc_id: str
    text: str
    section: tuple[str, ...]
    lead: tuple[str, ...]
    participants: tuple[str, ...]
    collective: tuple[str, ...]
    etc: bool
    jurisdiction: str | None
    raw: str
    start_line: int
    end_line: int
    unresolved: tuple[str, ...] = ()
    #: why ``lead`` is lead; None when the task has no lead
    lead_basis: LeadBasis | None = None
    #: the names of ``unresolved`` the text (or the document's convention) marks as lead, so
    #: that an open-world agency made of one keeps its role
    unresolved_lead: tuple[str, ...] = ()
    #: the PDF page of ``start_line`` (None for a text file), as in ``Span``
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The task's interface fields (issue 3 contract, and issue 12's ``lead_basis``)."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "text": self.text,
            "section": list(self.section),
            "lead": list(self.lead),
            "participants": list(self.participants),
            "collective": list(self.collective),
            "etc": self.etc,
            "jurisdiction": self.jurisdiction,
            "raw": self.raw,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "lead_basis": None if self.lead_basis is None else str(self.lead_basis),
        } | _page(self.page)


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A quantitative target or a dated milestone."""

    id: str
    doc_id: str
    indicator: str
    value: float | None
    unit: str | None
    direction: Direction
    approx: bool
    year: int | None
    base_year: int | None
    text: str
    line: int
    value_max: float | None = None
    #: the PDF page of ``line`` (None for a text file)
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The target's interface fields (issue 4 contract)."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "indicator": self.indicator,
            "value": self.value,
            "unit": self.unit,
            "direction": str(self.direction),
            "approx": self.approx,
            "year": self.year,
            "base_year": self.base_year,
            "text": self.text,
            "line": self.line,
        } | _page(self.page)


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A 《…》 or 发文字号 mention of a policy in a document."""

    doc_id: str
    line: int
    cited_title: str
    cited_doc_id: str | None
    external_id: str | None
    relation: Relation
    #: the full title of the external policy (an alias or short form such as 《纲要》
    #: resolved); one title per ``external_id`` across the corpus; None when resolved
    external_title: str | None = None
    #: the PDF page of ``line`` (None for a text file)
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The citation's interface fields (issue 4 contract)."""
        return {
            "doc_id": self.doc_id,
            "line": self.line,
            "cited_title": self.cited_title,
            "cited_doc_id": self.cited_doc_id,
            "external_id": self.external_id,
            "relation": str(self.relation),
        } | _page(self.page)


@dataclass(frozen=True, slots=True, kw_only=True)
class SectorTag:
    """A sector assigned to a document, task or target, with the matched terms."""

    subject_id: str
    sector: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """Something in the input that was not understood; the run goes on."""

    code: str
    span: Span
    message: str
    excerpt: str = ""

    def __str__(self) -> str:
        return f"{self.span}: {self.code} {self.message}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready view of the problem."""
        return {
            "code": self.code,
            "file": self.span.file,
            "start_line": self.span.start_line,
            "end_line": self.span.end_line,
            "message": self.message,
            "excerpt": self.excerpt,
        } | _page(self.span.page)


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildSummary:
    """How every source line was accounted for.

    For a PDF, ``pages`` is its page count and ``furniture`` the removed lines by kind
    (their sum is ``artifact_lines``). A file that was not read has ``status`` "skipped"
    (``reason`` says why: empty, scan, encrypted …; ``detail`` the error message) or
    "ignored" (not a .pdf or .txt file in a folder) and no lines.
    """

    file: str
    total_lines: int
    blank_lines: int
    artifact_lines: int
    structure_lines: int
    document_lines: int
    unexplained_lines: int
    #: Lines of a document printed again in the same file, after its first copy (L006).
    repeated_lines: int = 0
    pages: int | None = None
    furniture: tuple[tuple[str, int], ...] = ()
    source_file: str = ""
    status: str = "read"
    reason: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """Everything the loaders extract from one or more input files."""

    documents: tuple[Document, ...]
    agencies: tuple[Agency, ...] = ()
    tasks: tuple[Task, ...] = ()
    targets: tuple[Target, ...] = ()
    citations: tuple[Citation, ...] = ()
    problems: tuple[Problem, ...] = ()
    summary: tuple[BuildSummary, ...] = field(default=())
    sectors: tuple[SectorTag, ...] = ()
