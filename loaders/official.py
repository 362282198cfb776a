"""The official-document model: documents loaded on their own, as GB/T 9704-2012 prints them.

A file holds one official document or several: a covering notice (关于印发《X》的通知) and the
policy X it publishes as 附件, a bundle of 附件, or unrelated documents printed one after the
other (a new title with its 文号 or 主送机关 after a complete sign-off). This module finds each
document's lines,
reads its 版头 (份号, 密级, 紧急程度, letterhead, 文号, 签发人), title, 主送机关, sign-off
(issuers and 成文日期), 附注 and 版记 (抄送, 印发机关和印发日期), and labels it with its genre,
公文种类 and issuer level.

Standard library and ``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or
jieba.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from policykg.loaders.header import (
    AGENCY_RE,
    find_doc_number,
    is_agency_line,
    parse_any_date,
    split_agencies,
)
from policykg.loaders.jurisdictions import Evidence, EvidenceKind, decide_jurisdiction
from policykg.loaders.lines import display_width, join_text
from policykg.records import (
    DateSource,
    Genre,
    IssuerLevel,
    Level,
    OfficialElements,
    OfficialType,
    SourceLine,
)

__all__ = [
    "OfficialDocument",
    "classify_genre",
    "document_jurisdiction",
    "document_starts",
    "issuer_level",
    "official_type",
    "published_titles",
    "read_official",
]

logger = logging.getLogger(__name__)

# 份号: six digits alone on the first lines ("000123"), or labelled.
COPY_NUMBER_RE = re.compile(r"""^(?:份\s*号\s*[：:]\s*)?(?P<value>\d{6})$""", re.VERBOSE)

# 密级 and 保密期限: "机密★1年", "秘密".
SECRECY_RE = re.compile(r"""^(?P<value>(?:绝密|机密|秘密)(?:\s*★\s*\S{0,6})?)$""", re.VERBOSE)

# 紧急程度: "特急", "加急".
URGENCY_RE = re.compile(r"""^(?P<value>特\s*急|加\s*急|特\s*提|平\s*急)$""", re.VERBOSE)

# 发文机关标志: "甘肃省人民政府文件"; "上海市生态环境局文件"; a joint letterhead prints the
# issuers one per line and "文件" (or "同文件", a mis-mapped glyph) on its own or after the last.
LETTERHEAD_RE = re.compile(r"""^(?P<name>[\u4e00-\u9fff（）()\s]{0,40}?)\s*文\s*件$""", re.VERBOSE)

# The cover of a standard: "ICS 07.060", "CCS A 45", "备案号：XXXX-XXXX", "HY", "HY/T XXXX-202X",
# "中华人民共和国海洋行业标准"; and a 文号 the PDF garbled beyond reading ("苏环办 (2021 J 364").
STANDARD_COVER_RE = re.compile(
    r"""^(?:ICS\s|CCS\s|备案号|[A-Z]{1,4}(?:/[TZ])?(?:\s+[\dXx.\-—]+)?$|[A-Z]{1,4}/[TZ]\s
        |中华人民共和国[\u4e00-\u9fff]{0,8}标准$|[\u4e00-\u9fff]{2,8}(?:地方)?标准$)""",
    re.VERBOSE,
)
BROKEN_NUMBER_RE = re.compile(
    r"""^(?:[\u4e00-\u9fff]{2,8}\s*[(（〔\[]\s*\d{4}\s*[A-Za-z]?\s*\d{1,4}
        |\S{1,8}\s*〔\s*\d{4}\s*〕\s*\d{1,4}\s*\S?)$""", re.VERBOSE)

# Who a news report says issued the document: "山东省生态环境厅制定《…》" (351),
# "人民银行杭州中心支行联合浙江银保监局…发布《…》".
NEWS_ISSUER_RE = re.compile(
    r"""(?P<name>[\u4e00-\u9fff]{2,24}?(?:厅|局|委员会|委|人民政府|办公厅|办公室))
        (?:联合\S{0,40}?)?(?:制定|印发|发布|出台)(?:了)?《""",
    re.VERBOSE,
)

# The end of a division's name inside a title: "2022年苏州市科技发展计划", "陕西省绿色发展".
INNER_DIVISION_RE = re.compile(r"""(?<=[\u4e00-\u9fff])(?:省|市|自治区)""", re.VERBOSE)

# The first heading of a body: "第一章 总则", "第一条", "一、总体要求".
HEADING_RE = re.compile(r"""^(?:第[一二三四五六七八九十]+[章条]|[一二三四五六七八九十]+、)""",
                        re.VERBOSE)

# An agency named relative to the issuer's own jurisdiction: "市生态环境局", "省林业局",
# "自治区发展改革委党组", "区发展改革委".
RELATIVE_NAME_RE = re.compile(r"""^(?:省|市|区|县|自治区|自治州|州|盟|旗)(?!人民代表)""",
                              re.VERBOSE)

# 签发人: "京技管[2021]115号 签发人：袁立洪".
SIGNATORY_RE = re.compile(r"""签\s*发\s*人\s*[：:]\s*(?P<names>\S.*)$""", re.VERBOSE)

# A labelled field of a web page's metadata block ("发布部门： 中国共产党中央委员会 国务院",
# "发文字号： 科财函〔2021〕159 号", "发布日期：2021.09.22", "成文日期： 2021 年…").
LABELLED_RE = re.compile(
    r"""^(?P<label>发布部门|发文机关|发文字号|文\s*号|成文日期|发布日期|发布时间|印发时间|
        标\s*题|索引号|主题分类|分\s*类|来\s*源|信息来源|时效性|效力级别|法规类别|实施日期|
        编辑时间|浏览次数|字体|分享|时间)\s*[：:]\s*(?P<value>.*)$""",
    re.VERBOSE,
)

# The date a congress or Party committee adopted a text, under its title:
# "（2022 年 3 月 30 日福建省第十三届人民代表大会常务委员会第三十二次会议通过）".
ADOPTED_RE = re.compile(
    r"""^[（(]\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?P<body>[^）)]*)(?:通过|批准)?""",
    re.VERBOSE,
)

# A web page's date and time under a title: "2021 年 11 月 22 日 09:58", "2022-01-30 09:55:00".
WEB_DATE_RE = re.compile(
    r"""^(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2})
        \s*\d{1,2}:\d{2}(?::\d{2})?$""",
    re.VERBOSE,
)

# An attachment label on its own line: "附件", "附件 1", "附件2：".
ANNEX_LABEL_RE = re.compile(r"""^附\s*件\s*(?P<n>\d{1,2}|[一二三四五六七八九十])?\s*[：:]?$""",
                            re.VERBOSE)

# 附件说明 in a notice's body: "附件：1．…", "附件：…名单".
ANNEX_NOTE_RE = re.compile(r"""^附\s*件\s*[：:]\s*(?P<value>\S.*)$""", re.VERBOSE)

# 附注 after a sign-off: "（此件公开发布）", "（联系人：…，电话：…）".
NOTE_RE = re.compile(
    r"""^[（(](?P<value>(?:此件|本件|本文|此文)[\u4e00-\u9fff]{1,10}|联系人.*|本文有删减)[）)]$""",
    re.VERBOSE,
)

# What a sign-off may be followed by besides 附注, 附件 and 版记: "（联系人：…）", "附件 1：…xlsx",
# "相关附件", a web page's links to its readings ("相关解读：", 80), a web page's
# "资料来源：http://…", "信息公开属性：主动公开", a stray page number (488: "1" between the
# sign-off and the attached plan).
AFTER_SIGN_OFF_RE = re.compile(
    r"""^(?:[（(](?:联系|此件|本件)|附\s*件\s*\d|相关附件|相关解读|资料来源|信息来源|来源[：:]|信息公开属性|
        公开属性|公开方式|https?://|\d{1,3}$)""",
    re.VERBOSE,
)

# 版记: "抄送：省委各部门…", "甘肃省人民政府办公厅 2021 年 12 月 30 日印发".
COPIED_TO_RE = re.compile(r"""^抄\s*送\s*[：:]\s*(?P<value>\S.*)$""", re.VERBOSE)
PRINTED_RE = re.compile(
    r"""^(?P<by>[\u4e00-\u9fff（）\s]{2,40}?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)
        \s*印\s*发$""",
    re.VERBOSE,
)

# A line that opens a body or the addressees rather than continuing a title.
# "为深入贯彻…", "根据《…》", "近日，…", "一、总体要求", "第一章 总则", "前 言", "目 录".
BODY_RE = re.compile(
    r"""^(?:为|根据|按照|依据|经|近日|日前|现将|现就|现印发|《|[一二三四五六七八九十]+、
      | [（(][一二三四五六七八九十]+[）)] | 第[一二三四五六七八九十百]+[章条节] | \d{1,2}[.．、]
      | 前\s*言 | 目\s*录 | 序\s*言 | 引\s*言 | 总\s*则)""",
    re.VERBOSE,
)

# What a title ends with: the genre word, then an edition note.
# "…的通知", "…实施方案（2021—2025年）", "…管理办法（试行）".
TITLE_END_RE = re.compile(
    r"""(?:通知|意见|方案|规划|办法|决定|计划|规定|细则|公告|通告|函|要点|安排|清单|措施|指南|
        条例|批复|报告|纪要|规则|规程|目录|思路|标准|方法|战略|纲要|政策|举措|公示|决议|
        白皮书|讲话|路线图|工作方案)
        (?:\s*\d{4})?(?:[（(][^（()）]{1,16}[）)])*[》”]?$""",
    re.VERBOSE,
)

# An edition note or period on a line of its own: "（试行）", "（2021—2025年）", "（修订版）".
TITLE_NOTE_RE = re.compile(r"""^[（(][^（()）]{1,20}[）)]$""", re.VERBOSE)

# A covering notice's title: it publishes, forwards or issues another document.
# "国务院关于印发2030年前碳达峰行动方案的通知"; "…关于发布《…（2022年版）》的通知";
# "中共中央办公厅、国务院办公厅印发《关于推动城乡建设绿色发展的意见》".
COVER_RE = re.compile(
    r"""(?:印发|发布|转发|公布|下发|出台)(?:了)?(?P<title>.+?)(?:的(?:通知|函|公告|决定)|$)""",
    re.VERBOSE,
)

# A 《…》 title inside a sentence or a title.
QUOTED_RE = re.compile(r"""[《«](?P<title>[^《》«»]{4,80}?)(?:[》〉»]|[）)](?=的))""", re.VERBOSE)

# Genre cues, tried in order on a title (the title of the published document for a notice).
_CALL_RE = re.compile(
    r"""申报|征集|遴选|推荐|揭榜挂帅|榜单|申请指南|项目指南|入库|备案的通知|名单的通知|
        下达.*(?:项目|资金)|资金安排|摸底调研|需求调研""",
    re.VERBOSE,
)
_MEETING_RE = re.compile(
    r"""召开|会议的通知|培训|讲座|宣传周|低碳日|竞赛|活动的通知|论坛|研讨会""", re.VERBOSE)
_STANDARD_RE = re.compile(
    r"""(?:标准|技术规范|技术指南|核查指南|核算方法|评价技术|指南|规范)
        (?:[（(][^（()）]{1,16}[）)])*$""",
    re.VERBOSE,
)
_GENRE_ENDINGS: tuple[tuple[re.Pattern[str], Genre], ...] = (
    (re.compile(r"白皮书$"), Genre.WHITE_PAPER),
    (re.compile(r"(?:讲话|致辞|演讲)$"), Genre.SPEECH),
    (re.compile(r"(?:规划|纲要|战略(?:\s*\d{4})?)$"), Genre.DEVELOPMENT_PLAN),
    (re.compile(r"意见$"), Genre.OPINION),
    (re.compile(r"(?:条例|[^办]法)$"), Genre.LAW),
    (re.compile(r"决定$"), Genre.DECISION),
    (re.compile(r"(?:办法|规定|细则|规则|规程|措施|政策|举措|机制|目录|水平)$"), Genre.MEASURES),
    (re.compile(r"(?:方案|计划|要点|安排|清单|思路|路线图|任务)$"), Genre.PLAN),
    (re.compile(r"(?:通知|公告|通告|函|通报|批复|公示)$"), Genre.NOTICE),
)

_OFFICIAL_TYPES: tuple[tuple[str, OfficialType], ...] = (
    ("决议", OfficialType.RESOLUTION),
    ("决定", OfficialType.DECISION),
    ("命令", OfficialType.ORDER),
    ("令", OfficialType.ORDER),
    ("公报", OfficialType.COMMUNIQUE),
    ("公告", OfficialType.ANNOUNCEMENT),
    ("通告", OfficialType.PUBLIC_NOTICE),
    ("意见", OfficialType.OPINION),
    ("通知", OfficialType.NOTICE),
    ("通报", OfficialType.CIRCULAR),
    ("报告", OfficialType.REPORT),
    ("请示", OfficialType.REQUEST),
    ("批复", OfficialType.REPLY),
    ("议案", OfficialType.MOTION),
    ("函", OfficialType.LETTER),
    ("纪要", OfficialType.MINUTES),
)

# The names of central bodies (level central), as printed in issuers or title prefixes.
_CENTRAL_RE = re.compile(
    r"""^(?:中共中央|中国共产党中央委员会|国务院|全国人民代表大会|全国人大|中央办公厅|
        中共中央办公厅|国务院办公厅|中央全面深化改革委员会)""",
    re.VERBOSE,
)
_ENTERPRISE_RE = re.compile(r"(?:集团|公司|电网|企业)(?:有限公司)?$")
_PROVINCIAL_SHORT_RE = re.compile(
    r"^(?:省|自治区)(?:委|政府|人民政府|[\u4e00-\u9fff]{1,12}(?:厅|局|委))")
_MUNICIPAL_SHORT_RE = re.compile(r"^市(?:委|政府|人民政府|[\u4e00-\u9fff]{1,12}(?:局|委|办))")
_MAX_TITLE_LINES = 6
_HEADER_SCAN = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficialDocument:
    """One document found in a file: its lines and what its header and sign-off print."""

    start: int  # index of its first line in the file's kept lines
    end: int  # index after its last line
    title: str
    title_lines: int  # lines from ``start`` up to and including the title's last line
    doc_number: str | None = None
    date: str | None = None
    date_source: DateSource | None = None
    issuers: tuple[str, ...] = ()
    #: printed evidence of the issuing jurisdiction: (where, text), strongest first
    evidence: tuple[tuple[str, str], ...] = ()
    genre: Genre = Genre.OTHER
    official_type: OfficialType | None = None
    level: IssuerLevel | None = None
    #: index into the file's documents of the notice publishing this one, or of the
    #: documents this notice publishes
    attached_to: int | None = None
    notice_of: tuple[int, ...] = ()
    from_notice: tuple[str, ...] = ()
    elements: OfficialElements = field(default_factory=OfficialElements)
    #: a title the document does not print, and where it was taken from: (the source line
    #: number of the evidence, its printed text); None when the title is printed
    title_from: tuple[int, str] | None = None
    #: which of the file's unrelated documents this one belongs to (0: the first; a later
    #: one starts after a complete sign-off, ``document_starts``); a covering notice and what
    #: it publishes share one
    segment: int = 0


@dataclass(slots=True)
class _Head:
    """What the first lines of a document print (mutable while it is read)."""

    title: str = ""
    title_start: int = 0
    title_end: int = 0
    body: int = 0
    doc_number: str | None = None
    date: str | None = None
    date_source: DateSource | None = None
    issuers: list[str] = field(default_factory=list)
    header_issuers: list[str] = field(default_factory=list)
    letterhead: str | None = None
    copy_number: str | None = None
    secrecy: str | None = None
    urgency: str | None = None
    signatories: list[str] = field(default_factory=list)
    addressees: str | None = None
    annex_label: bool = False
    labelled_date: bool = False
    lines: dict[str, int] = field(default_factory=dict)


def _norm(text: str) -> str:
    """Fold a title for comparison: NFKC, no spaces, quotes, brackets or dashes."""
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s《》〈〉<>«»“”\"'‘’「」()（）\[\]【】〔〕—–\-－―~～、·•]", "", t)


def official_type(title: str) -> OfficialType | None:
    """Return the 公文种类 a title names by its last word, or None.

    >>> official_type("国务院关于印发2030年前碳达峰行动方案的通知"), official_type("行动方案")
    (<OfficialType.NOTICE: '通知'>, None)
    >>> official_type("中华人民共和国国家发展和改革委员会令")
    <OfficialType.ORDER: '命令'>
    """
    t = re.sub(r"(?:[（(][^（()）]{1,16}[）)])+$", "", title.strip())
    for word, kind in _OFFICIAL_TYPES:
        if t.endswith(word):
            return kind
    return None


def published_titles(title: str, body: Sequence[str] = ()) -> list[str]:
    """Return the titles a covering notice publishes (from its title, else its body).

    >>> published_titles("国务院关于印发2030年前碳达峰行动方案的通知")
    ['2030年前碳达峰行动方案']
    >>> published_titles("关于发布《碳排放权登记管理规则（试行）》《碳排放权交易规则》的公告")
    ['碳排放权登记管理规则（试行）', '碳排放权交易规则']
    >>> published_titles("关于加强草原保护修复的若干意见")
    []
    """
    m = COVER_RE.search(title)
    if m is None:
        return []
    # read from the title's start: a 《 closed by ） needs the 的 after it (120)
    quoted = [q.group("title") for q in QUOTED_RE.finditer(title[m.start("title"):])]
    if quoted:
        return quoted
    bare = m.group("title").strip("《》〈〉«» ")
    if not bare or not TITLE_END_RE.search(bare):
        return []
    return [*_quoted_published(join_text([t.strip() for t in body])), bare]


def _quoted_published(text: str) -> list[str]:
    """The 《》 titles a sentence publishes: "《A》《B》和《C》，现印发给你们" gives A, B, C."""
    out: list[str] = []
    run: list[str] = []
    last_end = -1
    for q in QUOTED_RE.finditer(text):
        if run and not re.fullmatch(r"[、和及与\s]*", text[last_end:q.start()]):
            run = []
        run.append(q.group("title"))
        last_end = q.end()
        if re.search(r"印发|发布|转发", text[q.end():q.end() + 30]):
            out += [t for t in run if t not in out]
            run = []
    return out


def classify_genre(title: str, issuers: Sequence[str] = ()) -> Genre:
    """Return a document's genre from its title (the published title for a covering notice).

    >>> classify_genre("关于组织申报2022年度江苏省碳达峰碳中和科技创新专项资金项目的通知")
    <Genre.CALL: 'call'>
    >>> classify_genre("国务院关于印发2030年前碳达峰行动方案的通知")
    <Genre.PLAN: 'plan'>
    >>> classify_genre("天津市碳达峰碳中和促进条例"), classify_genre("海洋碳汇经济价值核算方法")
    (<Genre.LAW: 'law'>, <Genre.STANDARD: 'standard'>)
    """
    t = title.strip()
    if re.search(r"(?:讲话|致辞|演讲)$|——.{0,20}(?:讲话|致辞|演讲)", t):
        return Genre.SPEECH
    if _MEETING_RE.search(t) and official_type(t) is OfficialType.NOTICE:
        return Genre.MEETING
    if _CALL_RE.search(t):
        return Genre.CALL
    inner = published_titles(t)
    if inner:
        t = inner[0]
    t = re.sub(r"(?:[（(][^（()）]{1,20}[）)])+$", "", t).strip()
    if _STANDARD_RE.search(t) and not re.search(r"(?:办法|规定|细则)$", t):
        return Genre.STANDARD
    if t.endswith("决定") and any("人民代表大会" in i or "人大" in i for i in issuers):
        return Genre.LAW
    if re.search(r"规定$", t) and any("人民代表大会" in i for i in issuers):
        return Genre.LAW
    for pattern, genre in _GENRE_ENDINGS:
        if pattern.search(t):
            return genre
    return Genre.OTHER


def issuer_level(names: Sequence[str]) -> IssuerLevel | None:
    """Return the level of the first issuer (or title prefix) that tells it.

    Jurisdictions are read with the administrative map of ``loaders.jurisdictions``.

    >>> issuer_level(["国务院"]), issuer_level(["国家发展改革委"])
    (<IssuerLevel.CENTRAL: 'central'>, <IssuerLevel.MINISTRY: 'ministry'>)
    >>> issuer_level(["乌海市人民政府"]), issuer_level(["上海市浦东新区人民政府"])
    (<IssuerLevel.MUNICIPAL: 'municipal'>, <IssuerLevel.COUNTY: 'county'>)
    >>> issuer_level(["省生态环境厅"]), issuer_level(["中国华能集团有限公司"])
    (<IssuerLevel.PROVINCIAL: 'provincial'>, <IssuerLevel.ENTERPRISE: 'enterprise'>)
    """
    for raw in names:
        name = re.sub(r"\s+", "", raw)
        if not name:
            continue
        if _CENTRAL_RE.match(name):
            return IssuerLevel.CENTRAL
        if _PROVINCIAL_SHORT_RE.match(name):
            return IssuerLevel.PROVINCIAL
        if _MUNICIPAL_SHORT_RE.match(name):
            return IssuerLevel.MUNICIPAL
        found = decide_jurisdiction([Evidence(kind=EvidenceKind.ISSUER, text=name)])
        if found is not None and found.division is not None:
            return _LEVELS[found.level]
        if _ENTERPRISE_RE.search(name):
            return IssuerLevel.ENTERPRISE
        if found is not None or re.match(r"^(?:中华人民共和国|国家|中国)", name) or \
                AGENCY_RE.match(name):
            return IssuerLevel.MINISTRY
    return None


_LEVELS = {
    Level.CENTRAL: IssuerLevel.MINISTRY,
    Level.PROVINCIAL: IssuerLevel.PROVINCIAL,
    Level.MUNICIPAL: IssuerLevel.MUNICIPAL,
    Level.COUNTY: IssuerLevel.COUNTY,
    Level.ENTERPRISE: IssuerLevel.ENTERPRISE,
    Level.OTHER: IssuerLevel.OTHER,
}

# Where this module found a piece of evidence -> how ``loaders.jurisdictions`` weighs it.
_EVIDENCE_KINDS = {
    "header": EvidenceKind.ISSUER,
    "sign_off": EvidenceKind.SIGNOFF,
    "letterhead": EvidenceKind.LETTERHEAD,
    "printed_by": EvidenceKind.LETTERHEAD,
    "title": EvidenceKind.TITLE,
    "doc_number": EvidenceKind.DOC_NUMBER,
}


def document_jurisdiction(evidence: Sequence[tuple[str, str]], doc_number: str | None = None
                          ) -> tuple[str | None, str | None]:
    """Return a document's issuing jurisdiction (None: national or unknown) and the kind of
    evidence that decided it, using the administrative map of ``loaders.jurisdictions``.

    >>> document_jurisdiction([("title", "关于印发…的通知")], "渝府办发〔2022〕22号")
    ('重庆市', 'doc_number')
    >>> document_jurisdiction([("sign_off", "乌海市人民政府")])
    ('乌海市', 'signoff')
    """
    items = [Evidence(kind=_EVIDENCE_KINDS[where.removeprefix("notice_")], text=text)
             for where, text in evidence if where.removeprefix("notice_") in _EVIDENCE_KINDS]
    if doc_number:
        items.append(Evidence(kind=EvidenceKind.DOC_NUMBER, text=doc_number))
    found = decide_jurisdiction(items)
    if found is None:
        return None, None
    return found.name, str(found.evidence.kind)


def _date_line(text: str) -> str | None:
    """Return the ISO date of a line printing only a date (Arabic or Chinese numerals)."""
    t = text.strip()
    if len(t) > 24:
        return None
    return parse_any_date(t)


def _is_title_stop(text: str) -> bool:
    return bool(
        find_doc_number(text) is not None
        or _date_line(text) is not None
        or WEB_DATE_RE.match(text)
        or LABELLED_RE.match(text)
        or ANNEX_LABEL_RE.match(text)
        or (text.startswith("各") and len(text) > 4)
        or text.endswith(("：", ":"))
        or (BODY_RE.match(text) and display_width(text) > 30)
        or re.match(r"^(?:目\s*录|前\s*言|序\s*言|第一章|一、)", text)
        or "。" in text
        or SIGNATORY_RE.search(text)
    )


def _balanced(text: str) -> bool:
    """Return True when no 《, “ or （ of ``text`` is left open (a 的通知 tail closes 《)."""
    opened = text.count("《") + text.count("〈") > text.count("》") + text.count("〉")
    if opened and not re.search(r"的(?:通知|函|公告)$", text):
        return False
    # a PDF may close “ with an ASCII quote: 《江苏省“十四五"土壤…规划》
    return (text.count("“") <= text.count("”") + text.count('"')
            and text.count("（") + text.count("(") <= text.count("）") + text.count(")"))


def _open_title(joined: str) -> bool:
    """Return True when a title so far cannot end: a 《 or “ left open, a joining word, or the
    verb of a covering notice's title before what it publishes (528: "深圳市生态环境局 深圳市
    发展和改革委员会关于印发" then "《深圳市近零碳排放区试点建设实施方案》的通知")."""
    return not _balanced(joined) or joined.endswith(
        ("和", "、", "及", "与", "的", "《", "“", "关于", "印发", "转发"))


def _title_done(joined: str) -> bool:
    return bool(TITLE_END_RE.search(joined)) and _balanced(joined)


def _unspace(text: str) -> str:
    """Join a letter-spaced line: "广 州 市 黄 埔 区" → "广州市黄埔区"."""
    tokens = text.split()
    if len(tokens) > 2 and sum(len(t) == 1 for t in tokens) * 4 >= len(tokens) * 3:
        return "".join(tokens)
    return text


def _read_title(lines: Sequence[SourceLine], i: int, end: int) -> tuple[str, int]:
    """Read a title from line ``i``: return it joined and the index after its last line."""
    parts = [_unspace(lines[i].text.strip())]
    j = i + 1
    agency_run = is_agency_line(parts[0]) and not TITLE_END_RE.search(parts[0])
    while j < end and j - i < _MAX_TITLE_LINES:
        text = lines[j].text.strip()
        joined = join_text(parts)
        if (TITLE_NOTE_RE.match(text) and not LABELLED_RE.match(text)
                and find_doc_number(text) is None and not ADOPTED_RE.match(text)):
            if _date_line(text) is not None and _title_done(joined):
                break
            parts.append(text)
            j += 1
            continue
        if _norm(text) and _norm(joined).startswith(_norm(text)):
            break  # the title printed again
        if _is_title_stop(text) and not (text.startswith("各") and not _title_done(joined)
                                         and not text.endswith(("：", ":"))) and not (
                _open_title(joined) and "，" not in text and "。" not in text):
            break
        if _title_done(joined) and not text.startswith(("的", "》", "”")):
            break
        text = _unspace(text)
        if agency_run and is_agency_line(text):
            parts[-1] += " "
        agency_run = agency_run and is_agency_line(text)
        if display_width(text) > 70 and _title_done(joined + text) is False:
            break
        parts.append(text)
        j += 1
    title = re.sub(r"\s+", " ", join_text(parts).strip())
    if re.fullmatch(r"[《«][^《》«»]+[》»]", title):
        title = title[1:-1]
    return title, j


def _skip_repeat(lines: Sequence[SourceLine], j: int, end: int, title: str) -> int:
    """Skip a title printed a second time (web copies repeat it under the page's own)."""
    want = _norm(title)
    got = ""
    k = j
    while k < end and k - j < _MAX_TITLE_LINES and len(got) < len(want):
        got += _norm(lines[k].text)
        k += 1
        if got == want:
            return k
        if not want.startswith(got):
            return j
    return j


def _read_head(lines: Sequence[SourceLine], start: int, end: int) -> _Head:
    """Read the 版头, title and the lines under the title (文号, date, issuers, 主送机关)."""
    head = _Head(title_start=start)
    i = start
    letter_parts: list[str] = []
    # 版头 and a web page's metadata before the title
    while i < end and i - start < _HEADER_SCAN:
        text = lines[i].text.strip()
        number = lines[i].number
        if not text:
            i += 1
            continue
        if COPY_NUMBER_RE.match(text) and head.copy_number is None:
            head.copy_number = COPY_NUMBER_RE.match(text).group("value")  # type: ignore[union-attr]
            head.lines["copy_number"] = number
        elif SECRECY_RE.match(text):
            head.secrecy = text
            head.lines["secrecy"] = number
        elif URGENCY_RE.match(text):
            head.urgency = re.sub(r"\s", "", text)
            head.lines["urgency"] = number
        elif LETTERHEAD_RE.match(text) and (
            LETTERHEAD_RE.match(text).group("name").strip() == ""  # type: ignore[union-attr]
            or is_agency_line(re.sub(r"\s", "", LETTERHEAD_RE.match(text)  # type: ignore[union-attr]
                                     .group("name")))
            or (i - start < 5 and "关于" not in text and len(text) <= 24)):
            name = re.sub(r"\s", "", LETTERHEAD_RE.match(text).group("name"))  # type: ignore[union-attr]
            letter_parts.append(name.removesuffix("同"))
            head.letterhead = " ".join(p for p in letter_parts if p)
            head.lines.setdefault("letterhead", lines[i - len(letter_parts) + 1].number)
            letter_parts = []
        elif (i - start < 3 and is_agency_line(text) and i + 1 < end
              and find_doc_number(lines[i + 1].text) is not None and head.letterhead is None):
            head.letterhead = re.sub(r"\s", "", text)  # 发文机关标志 without "文件"
            head.lines["letterhead"] = number
        elif (head.letterhead and head.doc_number is None and is_agency_line(text)
              and not TITLE_END_RE.search(text) and "关于" not in text):
            head.letterhead += " " + re.sub(r"\s", "", text)
        elif (is_agency_line(text) and not TITLE_END_RE.search(text) and i + 1 < end
              and _letterhead_ahead(lines, i + 1, end)):
            letter_parts.append(re.sub(r"\s", "", text))
        elif _split_wenjian(lines, i, end) and letter_parts:
            head.letterhead = " ".join(letter_parts)
            head.lines.setdefault("letterhead", lines[i - len(letter_parts)].number)
            letter_parts = []
            i += 1  # "件"
        elif STANDARD_COVER_RE.match(text) or (
                BROKEN_NUMBER_RE.match(text) and find_doc_number(text) is None):
            head.lines.setdefault("cover", number)
        elif ANNEX_LABEL_RE.match(text) and i == start:
            head.annex_label = True
            head.lines["annex_label"] = number
        elif find_doc_number(text) is not None and head.doc_number is None:
            head.doc_number = find_doc_number(text)[0]  # type: ignore[index]
            head.lines["doc_number"] = number
            sig = SIGNATORY_RE.search(text)
            if sig is not None:
                head.signatories = split_agencies(sig.group("names"))
                head.lines["signatories"] = number
        elif SIGNATORY_RE.match(text):
            head.signatories = split_agencies(SIGNATORY_RE.match(text).group("names"))  # type: ignore[union-attr]
            head.lines["signatories"] = number
        elif LABELLED_RE.match(text):
            _labelled(head, LABELLED_RE.match(text), number)  # type: ignore[arg-type]
        else:
            break
        i += 1
    if i >= end:
        head.title_end = head.body = i
        return head
    first = lines[i].text.strip()
    if (first.endswith(("：", ":")) or first.startswith("各")) and \
            _addressees(lines, i, end) is not None:
        title, j = "", i  # no title printed (it was an image): the addressees come first
    elif "。" in first or "，" in first:
        # a news report or a body without its title: the first document it names, if any
        lead = join_text([s.text for s in lines[i:i + 3]])
        q = QUOTED_RE.search(lead)
        title, j = ("" if q is None else q.group("title")), i
        who = NEWS_ISSUER_RE.search(lead)
        if who is not None and is_agency_line(who.group("name")):
            head.header_issuers = [who.group("name")]
    else:
        title, j = _read_title(lines, i, end)
        head.lines["title"] = lines[i].number
        j = _skip_repeat(lines, j, end, title)
    head.title_start, head.title = i, title
    head.title_end = j
    k = _under_title(head, lines, j, end)
    own = _own_title(lines, k, end, title) if title else None
    if own is not None:
        # a web page's headline over the document's own title (56: "江苏印发《…》", date,
        # 来源, then "中共江苏省委 江苏省人民政府印发…的通知")
        head.title, head.title_end = own
        head.lines["title"] = lines[k].number
        k = _under_title(head, lines, own[1], end)
    head.body = k
    return head


def _own_title(lines: Sequence[SourceLine], k: int, end: int, headline: str
               ) -> tuple[str, int] | None:
    """Return the document's own title printed at ``k`` under a headline naming the same
    document, and the index after it; None when line ``k`` does not start one."""
    if k >= end:
        return None
    first = lines[k].text.strip()
    if "，" in first or "。" in first or first.endswith(("：", ":")) or BODY_RE.match(first):
        return None
    title, after = _read_title(lines, k, end)
    if not _title_done(title) or not re.search(r"关于|印发", title) or "，" in title:
        return None
    core = re.sub(r"^.*?(?:关于|印发)", "", _norm(headline))
    core = re.sub(r"(?:的)?(?:通知|意见|公告)$", "", core)
    if len(core) < 6 or core[:8] not in _norm(title):
        return None
    return title, _skip_repeat(lines, after, end, title)


def _under_title(head: _Head, lines: Sequence[SourceLine], j: int, end: int) -> int:
    """Read the lines under a title (文号, date, issuers, labelled fields, 主送机关) into
    ``head``; return the index of the body's first line."""
    k = j
    while k < end and k - j < _HEADER_SCAN:
        text = lines[k].text.strip()
        number = lines[k].number
        found = find_doc_number(text)
        if found is not None and len(text) <= 40:
            if head.doc_number is None:
                head.doc_number = found[0]
                head.lines["doc_number"] = number
            sig = SIGNATORY_RE.search(text)
            if sig is not None:
                head.signatories = split_agencies(sig.group("names"))
            k += 1
            continue
        iso = _date_line(text)
        web = WEB_DATE_RE.match(text)
        if iso is not None or web is not None:
            if head.date is None:
                head.date = iso if iso is not None else parse_any_date(
                    web.group("date"))  # type: ignore[union-attr]
                head.date_source = (DateSource.UNDER_TITLE if k == j and web is None
                                    else DateSource.HEADER)
                head.lines["date"] = number
            k += 1
            continue
        if LABELLED_RE.match(text):
            _labelled(head, LABELLED_RE.match(text), number)  # type: ignore[arg-type]
            k += 1
            continue
        adopted = ADOPTED_RE.match(text)
        if adopted is not None and k - j <= 2:
            if head.date is None:
                head.date = parse_any_date(adopted.group("date"))
                head.date_source = DateSource.UNDER_TITLE
                head.lines["date"] = number
            body = adopted.group("body")
            while not re.search(r"[）)]$", lines[k].text.strip()) and k + 1 < end and k - j < 4:
                k += 1
                body += lines[k].text.strip()
            congress = re.search(
                r"(?:中国共产党)?(?P<who>[\u4e00-\u9fff]{2,12}?)第[一二三四五六七八九十]+届"
                r"(?P<what>人民代表大会常务委员会|人民代表大会|委员会)", body)
            if congress is not None and not head.header_issuers:
                who = congress.group("who")
                head.header_issuers = [who + congress.group("what")]
            k += 1
            continue
        if re.match(r"^\s*[（(]?\s*\d{4}\s*年第\s*\d+\s*号\s*[）)]?$|^[（(]第.{1,6}号[）)]$", text):
            k += 1  # a 公告 or 令 number: "（2022 年第 4 号）", "（第八十二号）"
            continue
        if re.match(r"^(?:来源|发布机构|作者|字体|分享|打印|浏览)", text):
            k += 1
            continue
        if is_agency_line(text) and not text.endswith(("：", ":")):
            head.header_issuers.extend(split_agencies(text))
            head.lines.setdefault("header_issuers", number)
            k += 1
            continue
        addressed = _addressees(lines, k, end)
        if addressed is not None:
            head.addressees, k2 = addressed
            head.lines["addressees"] = number
            k = k2
        break
    return k


def _split_wenjian(lines: Sequence[SourceLine], k: int, end: int) -> bool:
    """Whether a letterhead's "文件" is printed vertically, one character a line (411)."""
    return (k + 1 < end and lines[k].text.strip() == "文"
            and lines[k + 1].text.strip() == "件")


def _letterhead_ahead(lines: Sequence[SourceLine], i: int, end: int) -> bool:
    """Return True when a joint letterhead's "文件" line follows agency lines from ``i``."""
    for k in range(i, min(end, i + 6)):
        text = lines[k].text.strip()
        if LETTERHEAD_RE.match(text) or _split_wenjian(lines, k, end):
            return True
        if not is_agency_line(re.sub(r"\s", "", text)) and not is_agency_line(text):
            return False
    return False


def _labelled(head: _Head, m: re.Match[str], number: int) -> None:
    label = re.sub(r"\s", "", m.group("label"))
    value = m.group("value").strip()
    if label in ("发文字号", "文号"):
        found = find_doc_number(value)
        if found is not None and head.doc_number is None:
            head.doc_number = found[0]
            head.lines["doc_number"] = number
    elif label in ("成文日期", "发布日期", "发布时间", "印发时间"):
        iso = parse_any_date(value.split()[0] if value else "")
        if iso is None and value:
            iso = parse_any_date(re.sub(r"\s*\d{1,2}:\d{2}(?::\d{2})?$", "", value))
        if iso is not None and (head.date is None or label == "成文日期"):
            head.date, head.date_source = iso, DateSource.HEADER
            head.labelled_date = label == "成文日期"
            head.lines["date"] = number
    elif label in ("发布部门", "发文机关") and value:
        head.header_issuers = [v for v in re.split(r"\s+", value) if v and v != "机构沿革"]


def _addressees(lines: Sequence[SourceLine], k: int, end: int) -> tuple[str, int] | None:
    """Read a 主送机关 line run ending with "：" from line ``k``; None when there is none."""
    parts: list[str] = []
    for m in range(k, min(end, k + 6)):
        text = lines[m].text.strip()
        if "。" in text or (m > k and BODY_RE.match(text)) or (
                m == k and _title_done(text) and not text.endswith(("：", ":"))):
            return None
        parts.append(text)
        if text.endswith(("：", ":")):
            joined = join_text(parts)
            if re.search(r"(?:政府|部门|单位|局|厅|委|办|机构|企业|公司|学校|高校|院所|组|会|"
                         r"处室|科室|银行|协会|中心|行|社|各位|区|市|县|州|盟)[：:]$", joined):
                return joined, m + 1
            return None
    return None


# A full date whose 日 wrapped to the next line (294: "2021 年 12 月 31" then "日").
_DAY_CUT_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}")


def _sign_off(lines: Sequence[SourceLine], start: int, end: int, title: str = ""
              ) -> tuple[str | None, list[str], int | None, int]:
    """Return the date, issuers, date-line index and first index of a sign-off in a segment.

    The sign-off is the last date line that closes the text: only 附注, 附件, 版记 or the
    segment's end follow it. The issuer lines above it are agency names. A date wrapped
    before its 年 (524: "2020" / "年 10 月 23 日") or its 日 (294: "2021 年 12 月 31" / "日")
    is read whole.
    """
    for i in range(end - 1, start - 1, -1):
        text = lines[i].text.strip()
        if re.fullmatch(r"\d{4}", text) and i + 1 < end and \
                re.match(r"^年\s*\d", lines[i + 1].text.strip()):
            continue  # 524: "2020" then "年 10 月 23 日", read at the next line
        if re.match(r"^年\s*\d", text) and i > start and \
                re.fullmatch(r"\d{4}", lines[i - 1].text.strip()):
            text = lines[i - 1].text.strip() + text
        after = i + 1
        if text == "日" and i > start and _DAY_CUT_RE.fullmatch(lines[i - 1].text.strip()):
            continue  # 294: read with the line before
        if after < end and lines[after].text.strip() == "日" and _DAY_CUT_RE.fullmatch(text):
            text += "日"
            after += 1
        iso = _date_line(text)
        if iso is None or len(iso) < 7 or text.startswith(("（", "(")):
            continue
        if not _closes(lines, after, end, title):
            continue
        top = i - 1 if re.match(r"^年", lines[i].text.strip()) else i
        issuers, first = _sign_off_issuers(lines, start, top)
        return iso, issuers, i, first
    return None, [], None, end


def _agency_text(text: str) -> bool:
    return is_agency_line(text) or is_agency_line(re.sub(r"\s", "", text))


# The start of a line that continues an agency name wrapped at the line's end:
# "中国银行保险监督管理委" + "员会邯郸监管分局" (524), "江苏省人民政府办公" + "厅" (511).
_NAME_TAIL_RE = re.compile(r"^(?:员会|会|厅|局|政局|府|室|部|委员会)")


def _sign_off_issuers(lines: Sequence[SourceLine], start: int, date_index: int
                      ) -> tuple[list[str], int]:
    """Read the issuer names printed over a sign-off date (names wrapped across lines are
    joined); return them and the index of the first issuer line."""
    raw: list[str] = []
    j = date_index - 1
    while j >= start and date_index - j <= 10:
        t = lines[j].text.strip()
        below = raw[0] if raw else ""
        if _agency_text(t) or (below and _NAME_TAIL_RE.match(below) and _agency_text(t + below)) \
                or (len(t) <= 8 and _NAME_TAIL_RE.match(t) and j > start
                    and _agency_text(lines[j - 1].text.strip() + t)):
            raw.insert(0, t)
            j -= 1
            continue
        break
    merged: list[str] = []
    for t in raw:
        if merged and (_NAME_TAIL_RE.match(t) or not _agency_text(merged[-1])):
            merged[-1] += t
        else:
            merged.append(t)
    issuers: list[str] = []
    for t in merged:
        names = split_agencies(t)
        if len(names) == 1 and " " in t and not is_agency_line(t):
            names = [re.sub(r"\s", "", t)]
        issuers += names
    return issuers, j + 1


def _inner_divisions(title: str) -> list[str]:
    """Candidate division names inside a title, longest first at each 省/市/自治区 (the
    administrative map keeps the real ones: 苏州市 of "…2022年苏州市科技…")."""
    out: list[str] = []
    for m in list(INNER_DIVISION_RE.finditer(title))[:3]:
        for k in range(8, 2, -1):
            name = title[max(0, m.end() - k):m.end()]
            if len(name) == k and re.fullmatch(r"[\u4e00-\u9fff]+", name) and name not in out:
                out.append(name)
    return out


def _preamble_sign_off(lines: Sequence[SourceLine], start: int, end: int, title: str = ""
                       ) -> tuple[str | None, list[str], int | None]:
    """Read a sign-off that closes a short preamble (a covering notice, a 公告, a 公示) before
    the text it introduces: the body's first heading (110: "…现予印发，请遵照执行。"
    深圳市工业和信息化局 2021 年 7 月 15 日 "第一章 总则"), a new page (319: the notice's
    issuers and 2022年5月26日 close page 1, the opinion it publishes starts page 2), or the
    title of the document the title names in 《》 (116: 关于《合肥市…实施方案》的公示, signed
    合肥市发展和改革委员会 2022 年 3 月 17 日, then "合肥市…实施方案"). Issuer lines are
    printed over the date, under the preamble's last sentence or its 附件说明."""
    named = [_norm(q.group("title")) for q in QUOTED_RE.finditer(title)]
    for i in range(start + 1, min(end - 1, start + 25)):
        iso = _date_line(lines[i].text.strip())
        if iso is None or len(iso) < 7:
            continue
        nxt = lines[i + 1]
        text = nxt.text.strip()
        heading = HEADING_RE.match(text) is not None
        if not (heading
                or (nxt.page is not None and lines[i].page is not None
                    and nxt.page != lines[i].page)
                or any(_norm(text) and w.startswith(_norm(text)) for w in named)):
            continue
        issuers, first = _sign_off_issuers(lines, start, i)
        if not issuers or first <= start:
            continue
        above = lines[first - 1].text.strip()
        if heading or above.endswith(("。", "！")) or ANNEX_NOTE_RE.match(above):
            # a sign-off closes a text (its last sentence, or its 附件说明); a cover's issuer
            # and date follow a title (180: "…技术指南（试行）" 江苏省生态环境厅 二〇二一年十二月)
            return iso, issuers, i
    return None, [], None


def _closes(lines: Sequence[SourceLine], i: int, end: int, title: str = "") -> bool:
    """Return True when only 附注, 附件, 版记, a web page's source note or nothing follow
    from ``i`` on (to ``end``), or the document's title printed again (58: a 公告 over the
    law it publishes)."""
    if i >= end:
        return True
    text = lines[i].text.strip()
    return bool(
        NOTE_RE.match(text) or ANNEX_LABEL_RE.match(text) or ANNEX_NOTE_RE.match(text)
        or COPIED_TO_RE.match(text) or PRINTED_RE.match(text)
        or AFTER_SIGN_OFF_RE.match(text)
        or (title and _norm(text) and _norm(title).startswith(_norm(text)))
    )


def _back_matter(lines: Sequence[SourceLine], start: int, end: int
                 ) -> tuple[dict[str, str], dict[str, int]]:
    """Read the 附注 and 版记 (抄送, 印发机关和印发日期) near a segment's end."""
    found: dict[str, str] = {}
    where: dict[str, int] = {}
    for i in range(max(start, end - 12), end):
        text = lines[i].text.strip()
        m = COPIED_TO_RE.match(text)
        if m is not None:
            value = m.group("value")
            k = i + 1
            while k < end and not PRINTED_RE.match(lines[k].text.strip()) and k - i < 4 and \
                    not lines[k].text.strip().endswith("印发"):
                value += lines[k].text.strip()
                k += 1
            found["copied_to"] = value.rstrip("。")
            where["copied_to"] = lines[i].number
            continue
        p = PRINTED_RE.match(re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text))
        if p is not None:
            found["printed_by"] = re.sub(r"\s", "", p.group("by"))
            iso = parse_any_date(p.group("date"))
            if iso is not None:
                found["printed_date"] = iso
            where["printed_by"] = lines[i].number
            continue
        n = NOTE_RE.match(text)
        if n is not None and "note" not in found:
            found["note"] = n.group("value")
            where["note"] = lines[i].number
    return found, where


def _annex_notes(lines: Sequence[SourceLine], start: int, end: int) -> tuple[str, ...]:
    """Read the 附件说明 of a notice's body ("附件：1．…", then "2．…")."""
    notes: list[str] = []
    for i in range(start, end):
        m = ANNEX_NOTE_RE.match(lines[i].text.strip())
        if m is None:
            continue
        notes.append(m.group("value"))
        k = i + 1
        while k < end and re.match(r"^\d{1,2}\s*[.．、]", lines[k].text.strip()):
            notes.append(lines[k].text.strip())
            k += 1
        break
    return tuple(notes)


def _matches(got: str, want: str, last_line: str) -> bool:
    """Whether title lines folded to ``got`` print the published title folded to ``want``."""
    if got == want:
        return True
    extra = len(got) - len(want)
    if got.startswith(want) and 0 < extra <= 12:
        # an edition note, or the title extended by a conjunction (181: "…项目指南" printed as
        # "…项目指南及申报要求")
        return bool(TITLE_NOTE_RE.match(last_line.strip()[-12:] or "x")) or \
            got[len(want)] in "及和与"
    # the notice's title drops the jurisdiction the document's own title opens with
    # (68: "印发自治区“十四五”应对气候变化规划" for "内蒙古自治区“十四五”…规划")
    return (got.endswith(want) and 2 <= extra <= 8
            and re.search(r"(?:省|市|区|县|州|盟)$", got[:extra]) is not None)


_NOTICE_TYPES = frozenset({OfficialType.NOTICE, OfficialType.ANNOUNCEMENT,
                           OfficialType.LETTER, OfficialType.CIRCULAR})

# 附件 that are forms and lists, not documents of their own: "申报书（模板）", "汇总表", "名单".
_NOT_A_POLICY_ANNEX_RE = re.compile(
    r"(?:表|名单|模板|申报书|目录|回执|样表|格式)(?:[（(].*[）)])?$")


def _annex_titles(lines: Sequence[SourceLine], start: int, end: int) -> list[str]:
    """The titles a notice's 附件说明 names ("附件：1．A" "2．B", or "附件：" over "A")."""
    for i in range(start, end):
        text = lines[i].text.strip()
        m = ANNEX_NOTE_RE.match(text)
        if m is not None:
            items = [m.group("value")]
        elif re.fullmatch(r"附\s*件\s*[：:]", text):
            items = []
        else:
            continue
        k = i + 1
        while k < end and len(items) < 12:
            nxt = lines[k].text.strip()
            if (_date_line(nxt) is not None or _agency_text(nxt) or "。" in nxt
                    or ANNEX_LABEL_RE.match(nxt)):
                break
            if not items or re.match(r"^\d{1,2}\s*[.．、]", nxt):
                items.append(nxt)
            elif not _title_done(items[-1]):
                items[-1] += nxt
            else:
                break
            k += 1
        titles = []
        for item in items:
            t = re.sub(r"^\d{1,2}\s*[.．、]\s*", "", item)
            t = re.sub(r"\.(?:pdf|docx?|xlsx?|wps)$", "", t, flags=re.IGNORECASE).strip("《》 ")
            if t:
                titles.append(t)
        return titles
    return []


def _find_published(lines: Sequence[SourceLine], titles: Sequence[str], start: int, end: int
                    ) -> list[tuple[int, str]]:
    """Find where each published title starts a document (after ``start``): (index, title)."""
    found: list[tuple[int, str]] = []
    wanted = [(t, _norm(t)) for t in titles if len(_norm(t)) >= 4]
    i = start
    while i < end and wanted:
        text = lines[i].text.strip()
        k = i + 1 if ANNEX_LABEL_RE.match(text) else i
        if k >= end:
            break
        first = lines[k].text.strip()
        if "，" in first or "。" in first or first.startswith("现将"):
            i += 1
            continue
        longest = max(len(w) for _, w in wanted) + 12
        got = ""
        hit = None
        m = k
        for m in range(k, min(end, k + _MAX_TITLE_LINES)):
            got += _norm(lines[m].text)
            hit = next(((t, w) for t, w in wanted if _matches(got, w, lines[m].text)), None)
            if hit is not None or len(got) > longest or "。" in lines[m].text:
                break
        if hit is not None:
            found.append((i, hit[0]))
            # the same document named twice (in the title and the body) is found once
            wanted = [w for w in wanted if w[1][:6] != hit[1][:6]]
            i = m + 1
            continue
        i += 1
    return found


def _bundle_starts(lines: Sequence[SourceLine], start: int, end: int) -> list[int]:
    """Find the "附件N" labels that each open a document in a bundle of attachments."""
    starts = []
    for i in range(start, end - 1):
        if not ANNEX_LABEL_RE.match(lines[i].text.strip()):
            continue
        title, _ = _read_title(lines, i + 1, end)
        if _title_done(title) and len(title) >= 6 and "，" not in title:
            starts.append(i)
    return starts


def read_official(lines: Sequence[SourceLine], hints: Sequence[str] = (),
                  letterheads: Sequence[tuple[int, str]] = ()) -> list[OfficialDocument]:
    """Find the documents of a file's kept lines and read each one's official elements.

    The file is first cut where a new document starts after a complete one
    (``document_starts``); each part is then read on its own. In a part, a covering notice
    and each document it publishes (found by title after the notice's sign-off, perhaps
    under a "附件" label) become separate documents linked to each other; the attached
    document takes the notice's 文号, issuers and date when it prints none. A part that
    opens with "附件" and holds several labelled attachments is split at each.

    Args:
        lines: the file's kept (non-blank, non-furniture) lines, in order.
        hints: titles the file's name lists (a collector's hint): a file holding several
            documents with no 附件 labels is split where each is printed as a title.
        letterheads: (line number, text) of letterhead lines the PDF loader set aside as
            page furniture (``loaders.furniture``): header evidence of the document they head.

    Returns:
        The documents in file order (``segment`` tells which part each one is in; indexes
        in ``attached_to`` and ``notice_of`` are into the whole list); at least one when
        ``lines`` is not empty.
    """
    import dataclasses

    if not lines:
        return []
    starts = document_starts(lines, letterheads)
    docs: list[OfficialDocument] = []
    for k, (start, end) in enumerate(zip(starts, [*starts[1:], len(lines)], strict=True)):
        at = len(docs)
        docs += [dataclasses.replace(
            d, segment=k, notice_of=tuple(i + at for i in d.notice_of),
            attached_to=None if d.attached_to is None else d.attached_to + at)
            for d in _read_part(lines, start, end, hints, letterheads)]
    return docs


def _notice_titles(lines: Sequence[SourceLine], head: _Head, end: int) -> list[str]:
    """The titles a part's first document publishes, if it is a covering notice."""
    body = [s.text for s in lines[head.body:min(end, head.body + 20)]]
    titles = published_titles(head.title, body)
    if not head.title:
        titles = _quoted_published(join_text([t.strip() for t in body]))
    if not titles and official_type(head.title) in _NOTICE_TYPES:
        # a notice that carries a policy as 附件 without "印发" in its title (400: 关于开展
        # 全国煤电机组改造升级的通知, 附件：全国煤电机组改造升级实施方案)
        titles = [t for t in _annex_titles(lines, head.body, min(end, head.body + 60))
                  if TITLE_END_RE.search(t) and not _NOT_A_POLICY_ANNEX_RE.search(t)]
    return titles


def _read_part(lines: Sequence[SourceLine], start: int, end: int, hints: Sequence[str],
               letterheads: Sequence[tuple[int, str]]) -> list[OfficialDocument]:
    """Read the documents of lines ``start``..``end``: one, a covering notice and what it
    publishes (linked; indexes relative to the part), or a bundle of 附件."""
    head = _read_head(lines, start, end)
    bounds: list[tuple[int, int]] = []
    notice = False
    titles = _notice_titles(lines, head, end)
    if titles:
        _, _, date_index, _ = _sign_off(lines, head.body, end)
        found = _find_published(lines, titles, head.body + 1, end)
        if date_index is not None:
            # a document published by the notice starts after its sign-off
            found = [f for f in found if f[0] > date_index] or found
        if found:
            notice = True
            starts = [start] + [i for i, _ in found]
            bounds = list(zip(starts, [*starts[1:], end], strict=True))
        elif not head.title and len(titles) == 1:
            # a notice printing no title publishes one 《X》 that prints no title either
            # (117: 现将《繁昌区节能降碳若干支持措施》印发给你们 … 2022 年 3 月 9 日 （此件公开
            # 发布）, then page 2 opens with X's first paragraph): X starts after the sign-off
            k = _after_notice_sign_off(lines, head.body, end)
            if k is not None:
                notice = True
                bounds = [(start, k), (k, end)]
    if not bounds and len(hints) > 1:
        # the file's name lists several titles (27: 《A》《B》): split where each is printed
        printed = _find_published(lines, hints, start, end)
        if len(printed) > 1:
            starts = [i for i, _ in printed]
            starts = starts if starts[0] == start else [start, *starts]
            bounds = list(zip(starts, [*starts[1:], end], strict=True))
    if not bounds and head.annex_label:
        starts = _bundle_starts(lines, start, end)
        if len(starts) > 1:
            starts[0] = start
            bounds = list(zip(starts, [*starts[1:], end], strict=True))
    if not bounds:
        bounds = [(start, end)]
    docs = [_read_document(lines, s, e, _letterhead_before(lines, s, letterheads))
            for s, e in bounds]
    if titles and not head.title:
        docs = _titles_not_printed(docs, lines, titles)
    if notice and len(docs) > 1:
        docs = _link(docs)
    return docs


#: The fewest lines an attached document printing no title has (a sign-off followed by a
#: line or two is the notice's 版记 or a web page's trailer, not a document).
_MIN_ATTACHED_LINES = 5


def _after_notice_sign_off(lines: Sequence[SourceLine], start: int, end: int) -> int | None:
    """Where the document a title-less notice publishes starts, when it prints no title.

    The notice's sign-off is its first full date line within a few lines of its opening,
    closed by a 附注 (（此件公开发布）) or by the end of its page; the attached document is
    what follows (at least ``_MIN_ATTACHED_LINES`` lines).
    """
    for i in range(start, min(end - 1, start + 15)):
        iso = _date_line(lines[i].text.strip())
        if iso is None or len(iso) < 10:
            continue
        j = i + 1
        while j < end and NOTE_RE.match(lines[j].text.strip()):
            j += 1
        closed = j > i + 1 or (lines[j].page is not None and lines[j].page != lines[i].page)
        if closed and end - j >= _MIN_ATTACHED_LINES and not ANNEX_LABEL_RE.match(
                lines[j].text.strip()):
            return j
        return None
    return None


def _publishing_line(lines: Sequence[SourceLine], start: int, end: int, title: str
                     ) -> tuple[int, str, str] | None:
    """The line of a notice's body that prints 《title》 with the verb publishing it:
    (its index, the printed sentence, the verb: 印发, 发布 or 转发)."""
    want = _norm(title)
    for i in range(start, min(end, start + 20)):
        text = join_text([t.text.strip() for t in lines[i:i + 3]])
        if "《" not in lines[i].text or want not in _norm(text[:len(title) + 40]):
            continue
        sentence = text.split("。")[0]
        verb = _PUBLISHING_RE.search(sentence)
        return None if verb is None else (i, sentence, verb.group("verb") or verb.group("v2"))
    return None


# What a covering notice says as it publishes: "现将《X》印发给你们", "《X》…，现印发给你们",
# "现予印发", "现转发给你们" (not "《X》发布以来", which only cites X).
_PUBLISHING_RE = re.compile(
    r"""(?P<verb>印发|发布|转发)给你们
        | 现(?:予|将[^。]{0,60}?)?(?P<v2>印发|发布|转发)""", re.VERBOSE)


def _titles_not_printed(docs: list[OfficialDocument], lines: Sequence[SourceLine],
                        titles: Sequence[str]) -> list[OfficialDocument]:
    """Give a covering notice that prints no title, and a document it publishes that prints
    none, the title the notice's sentence names, each with that sentence as its source.

    The notice is titled as such notices are (关于印发《X》的通知, with the sentence's verb);
    X is the 《X》 it quotes.
    """
    import dataclasses

    notice = docs[0]
    if notice.title or len(titles) != 1:
        return docs
    found = _publishing_line(lines, notice.start, notice.end, titles[0])
    if found is None:
        return docs
    i, sentence, verb = found
    source = (lines[i].number, sentence)
    title = f"关于{verb}《{titles[0]}》的通知"
    out = [dataclasses.replace(notice, title=title, title_from=source,
                               evidence=(*notice.evidence, ("title", title)))]
    for doc in docs[1:]:
        if doc.title_lines == 0 or not doc.title:
            doc = dataclasses.replace(
                doc, title=titles[0], title_lines=0, title_from=source,
                genre=classify_genre(titles[0], doc.issuers),
                evidence=(*doc.evidence, ("title", titles[0])))
        out.append(doc)
    return out


def document_starts(lines: Sequence[SourceLine], letterheads: Sequence[tuple[int, str]] = ()
                    ) -> list[int]:
    """Where each unrelated document of a file starts (index 0 first).

    A document starts after a complete one (GB/T 9704): the previous one's sign-off (issuer
    lines over a 成文日期, or the date alone under the last sentence: the seal is an image)
    or its 版记's 印发 line, then only 附注 or 版记 lines, then a new 版头 or title followed by
    a 发文字号 or a 主送机关 line (``各…：``), or set under a letterhead. A title followed by
    both its 发文字号 and 主送机关 also starts one right after a sentence's end (the last
    article of a covering notice's 附件, which has no sign-off of its own). A "附件" label,
    or a title the previous document publishes, is left to ``read_official``'s linking; a
    title quoted in a body is neither after a sign-off nor over a 文号 and 主送机关.
    """
    starts = [0]
    end = len(lines)
    i = 1
    while i < end - 1:
        s = _closed_at(lines, starts[-1], i, end)
        # a web page's trailer may follow the 版记 ("作者：…", "Jschina.com.cn"): two lines
        t = None if s is None else next(
            (t for t in range(s, min(s + 2, end - 1)) if _head_line(lines[t].text.strip())),
            s + 2)
        if t is not None and t < end - 1 and _opens_document(lines, starts[-1], t, end,
                                                             letterheads):
            starts.append(t)
            i = t + 1
            continue
        if lines[i - 1].text.rstrip().endswith(("。", "！", "）", ")")) and \
                _head_ahead(lines, i, end) and \
                _opens_document(lines, starts[-1], i, end, letterheads, full=True):
            starts.append(i)
        i += 1
    return starts


def _closed_at(lines: Sequence[SourceLine], previous: int, i: int, end: int) -> int | None:
    """When line ``i`` closes a document (its sign-off's date, or its 版记's 印发 line),
    the index after the 附注 and 版记 that follow; else None."""
    text = lines[i].text.strip()
    if _printed_line(text):
        return _after_back_matter(lines, i + 1, end)
    iso = _date_line(text)
    if iso is None or len(iso) < 7 or text.startswith(("（", "(")):
        return None
    if _sign_off_issuers(lines, previous, i)[0] or \
            lines[i - 1].text.rstrip().endswith(("。", "！")):
        return _after_back_matter(lines, i + 1, end)
    return None


def _head_ahead(lines: Sequence[SourceLine], i: int, end: int) -> bool:
    """Whether a short line ``i`` has a 发文字号 line and a 主送机关 line under it (cheap)."""
    text = lines[i].text.strip()
    if len(text) > 60 or "，" in text or "。" in text:
        return False
    below = [s.text.strip() for s in lines[i:min(end, i + 8)]]
    return any(t.startswith("各") or t.endswith(("：", ":")) for t in below[1:]) and any(
        len(t) <= 40 and find_doc_number(t) is not None for t in below)


def _head_line(text: str) -> bool:
    """Whether a line can open a 版头 or a title: not a note in brackets ("（新华社北京…电）"),
    a reference ("[1] GB/T …"), a labelled web line ("作者：…") or Latin text alone, unless
    it is a 文号 ("（鲁政办发〔2022〕7 号）") or a web page's metadata field."""
    if (find_doc_number(text) is not None and len(text) <= 40) or LABELLED_RE.match(text):
        return True
    return (re.search(r"[\u4e00-\u9fff]", text) is not None
            and not re.match(r"^[（(\[【]", text) and not re.search(r"[：:]", text))


def _after_back_matter(lines: Sequence[SourceLine], i: int, end: int) -> int:
    """The index after the 附注 and 版记 that follow a sign-off from ``i`` (no 附件)."""
    while i < end:
        text = lines[i].text.strip()
        if COPIED_TO_RE.match(text):
            # 抄送 wraps over a few lines, up to the 印发 line (178: "…国" / "家气候战略中心。")
            k = i + 1
            while k < min(end, i + 4) and not _printed_line(lines[k].text) and \
                    not COPIED_TO_RE.match(lines[k].text.strip()) and \
                    not _starts_title(lines[k].text.strip()):
                k += 1
            i = k
            continue
        if re.match(r"^[（(]", text) and (NOTE_RE.match(text) or AFTER_SIGN_OFF_RE.match(text)):
            i += 1
            continue
        if re.match(r"^[（(](?:此件|本件|此文|本文|联系)", text):
            # a 附注 wrapped over lines (212: "（此件公开发布，联系人：…" … "…163.com）")
            k = i + 1
            while k < min(end, i + 4) and not re.search(r"[）)]$", lines[k - 1].text.strip()):
                k += 1
            i = k
            continue
        if _printed_line(text) or (AFTER_SIGN_OFF_RE.match(text)
                                   and not re.match(r"^(?:附\s*件|相关附件)", text)):
            i += 1
            continue
        break
    return i


def _printed_line(text: str) -> bool:
    """印发机关和印发日期 (a 版记's last line), whole or its tail: "…2022 年 4 月 2" "日印发"."""
    t = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text.strip())
    return bool(PRINTED_RE.match(t) or re.fullmatch(r"(?:\d{1,2}\s*)?日\s*印\s*发", t))


def _starts_title(text: str) -> bool:
    """Whether a line opens a title (关于…) rather than continuing a 抄送 list."""
    return "关于" in text and "，" not in text and "。" not in text


def _opens_document(lines: Sequence[SourceLine], previous: int, s: int, end: int,
                    letterheads: Sequence[tuple[int, str]], full: bool = False) -> bool:
    """Whether line ``s`` opens a new, unrelated document (``document_starts``); ``full``:
    its title has both a 发文字号 and a 主送机关 under it."""
    text = lines[s].text.strip()
    if ANNEX_LABEL_RE.match(text) or text.startswith(("附件", "附 件")) or not _head_line(text):
        return False
    head = _read_head(lines, s, end)
    title = head.title
    if (not title or not _title_done(title) or re.search(r"[，。：:\[\]]|https?:", title)
            or head.annex_label or head.body >= end):
        return False
    if full and not (head.doc_number and head.addressees):
        return False
    if not (head.doc_number or head.addressees or head.letterhead
            or _letterhead_before(lines, s, letterheads)):
        return False
    first = _read_head(lines, previous, s)
    want = _norm(title)
    return not any(_matches(want, _norm(t), title) or (len(_norm(t)) >= 6 and _norm(t) in want)
                   for t in _notice_titles(lines, first, s))


def _letterhead_before(lines: Sequence[SourceLine], start: int,
                       letterheads: Sequence[tuple[int, str]]) -> str | None:
    """The letterhead set aside over a document's first lines (西安市人民政府文件)."""
    low = lines[start - 1].number if start > 0 else 0
    high = lines[min(start + 3, len(lines) - 1)].number
    names = [re.sub(r"\s|文件$", "", re.sub(r"\s*文\s*件\s*$", "", text))
             for number, text in letterheads if low < number < high]
    names = [n for n in names if n]
    return " ".join(names) or None


def _read_document(lines: Sequence[SourceLine], start: int, end: int,
                   letterhead: str | None = None) -> OfficialDocument:
    """Read one document's elements from its lines ``start``..``end``."""
    head = _read_head(lines, start, end)
    if head.letterhead is None and letterhead:
        head.letterhead = letterhead
    date, sign_issuers, date_index, _ = _sign_off(lines, head.body, end, head.title)
    if date is None:
        date, sign_issuers, date_index = _preamble_sign_off(lines, head.body, end, head.title)
    back, back_lines = _back_matter(lines, head.body, end)
    issuers = sign_issuers or head.header_issuers or head.issuers
    # the first issuer leads; a relative name (市生态环境局, 省林业局, 自治区发展改革委) names no
    # jurisdiction by itself, and then a co-signing branch of a national body (人行营业管理部,
    # 340) must not make the document national
    evidence: list[tuple[str, str]] = [
        (where, names[0]) for where, names in (("sign_off", sign_issuers),
                                               ("header", head.header_issuers))
        if names and not RELATIVE_NAME_RE.match(names[0])]
    if head.letterhead:
        evidence.append(("letterhead", head.letterhead.split()[0]))
    evidence.append(("title", head.title))
    # a division named inside the title (269: "关于组织申报2022年苏州市科技发展计划…");
    # the administrative map decides whether it is one
    evidence += [("title", name) for name in _inner_divisions(head.title)]
    if back.get("printed_by"):
        evidence.append(("printed_by", back["printed_by"]))
    date_source = head.date_source
    out_date = head.date
    if date is not None and not head.labelled_date and (
            out_date is None or date_source is not DateSource.UNDER_TITLE):
        out_date, date_source = date, DateSource.SIGN_OFF
    if out_date is None and back.get("printed_date"):
        # only the 版记 is dated (76: "福建省人民政府办公厅 2021年10月26日印发")
        out_date, date_source = back["printed_date"], DateSource.PRINTED
    if not issuers and head.title:
        prefix = _title_issuers(head.title)
        if prefix:
            issuers = prefix
    level = issuer_level([*issuers, head.letterhead or "", _title_prefix(head.title)])
    where = dict(head.lines)
    where.update(back_lines)
    if date_index is not None:
        where["sign_off"] = lines[date_index].number
    elements = OfficialElements(
        copy_number=head.copy_number,
        secrecy=head.secrecy,
        urgency=head.urgency,
        letterhead=head.letterhead,
        signatories=tuple(head.signatories),
        addressees=head.addressees,
        attachment_notes=_annex_notes(lines, head.body, end if date_index is None
                                      else min(end, date_index + 3)),
        note=back.get("note"),
        copied_to=back.get("copied_to"),
        printed_by=back.get("printed_by"),
        printed_date=back.get("printed_date"),
        lines=tuple(sorted(where.items(), key=lambda kv: (kv[1], kv[0]))),
    )
    return OfficialDocument(
        start=start,
        end=end,
        title=head.title,
        title_lines=head.title_end - start,
        doc_number=head.doc_number,
        date=out_date,
        date_source=date_source if out_date is not None else None,
        issuers=tuple(dict.fromkeys(i for i in issuers if i)),
        evidence=tuple(evidence),
        genre=classify_genre(head.title, issuers),
        official_type=official_type(head.title),
        level=level,
        elements=elements,
    )


# The issuers a title opens with: "国家发展改革委 国家能源局关于…", "中共中央、国务院关于…",
# "国家发展改革委等部门关于…".
_TITLE_ISSUERS_RE = re.compile(
    r"""^(?P<names>[^《“]{2,80}?)(?:等\s*\d*\s*[个]?部门)?(?:关于|印发)""", re.VERBOSE)


def _title_issuers(title: str) -> list[str]:
    """Return the issuers a title names before 关于/印发, when every one is an agency name."""
    m = _TITLE_ISSUERS_RE.match(title)
    if m is None:
        return []
    names = [n for n in re.split(r"[\s、，,]+", m.group("names")) if n]
    if names and all(AGENCY_RE.match(n) for n in names):
        return names
    return []


def _title_prefix(title: str) -> str:
    m = re.match(r"^(.{2,40}?)(?:关于|印发|贯彻)", title)
    return m.group(1) if m is not None else title


def _link(docs: list[OfficialDocument]) -> list[OfficialDocument]:
    """Link a covering notice to the documents it publishes; they take its missing fields."""
    import dataclasses

    notice = docs[0]
    # the 版记 printed after the last 附件 is the notice's (GB/T 9704: it closes the whole
    # 公文): 抄送 and 印发机关和印发日期 move from the last document to the notice
    last = docs[-1].elements
    back = {"copied_to": last.copied_to, "printed_by": last.printed_by,
            "printed_date": last.printed_date}
    if any(back.values()):
        moved = {k for k, v in back.items() if v}
        docs[-1] = dataclasses.replace(docs[-1], elements=dataclasses.replace(
            last, copied_to=None, printed_by=None, printed_date=None,
            lines=tuple(kv for kv in last.lines if kv[0] not in moved)))
        notice = dataclasses.replace(notice, elements=dataclasses.replace(
            notice.elements, copied_to=back["copied_to"], printed_by=back["printed_by"],
            printed_date=back["printed_date"],
            lines=tuple(sorted((*notice.elements.lines,
                                *(kv for kv in last.lines if kv[0] in moved)),
                               key=lambda kv: (kv[1], kv[0])))))
    # a covering notice is a notice, unless it is itself a call or a meeting notice (181)
    genre = notice.genre if notice.genre in (Genre.CALL, Genre.MEETING) else Genre.NOTICE
    out = [dataclasses.replace(notice, notice_of=tuple(range(1, len(docs))), genre=genre)]
    for doc in docs[1:]:
        taken: list[str] = []
        number, date, source, issuers = doc.doc_number, doc.date, doc.date_source, doc.issuers
        if number is None and notice.doc_number is not None:
            number = notice.doc_number
            taken.append("doc_number")
        if not issuers and notice.issuers:
            issuers = notice.issuers
            taken.append("issuers")
        # the notice's 成文日期 is the attached document's date unless it prints as full a one
        if notice.date is not None and (date is None or source is DateSource.PRINTED
                                        or len(date) < len(notice.date)):
            date, source = notice.date, DateSource.COVERING_NOTICE
            taken.append("date")
        evidence = doc.evidence + tuple(("notice_" + w, t) for w, t in notice.evidence)
        level = doc.level if doc.issuers else notice.level
        out.append(dataclasses.replace(
            doc, doc_number=number, date=date, date_source=source, issuers=issuers,
            attached_to=0, from_notice=tuple(taken), evidence=evidence,
            level=level or notice.level))
    return out
