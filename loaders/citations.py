"""Citations between policies: 《…》 title mentions and 发文字号 mentions, resolved to documents.

Imports only the standard library and ``policykg`` records/errors; must not import
rdflib, networkx, spaCy, jieba or anything from ``graph``/``viz``.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from policykg.errors import Errors, RegistryError
from policykg.records import Citation, DocKind, Document, Paragraph, Problem, Relation, Span

__all__ = [
    "DOC_NUMBER",
    "TITLE_MENTION",
    "DocCitations",
    "ShortTitle",
    "document_keys",
    "external_id",
    "find_citations",
    "normalise_doc_number",
    "normalise_title",
    "resolve_citations",
    "short_titles",
]

logger = logging.getLogger(__name__)

#: A 《…》 mention; titles may hold 〈…〉 or <…> (line 38559 "《关于发布<高耗能行业…>的通知》").
#: line 9479: "为贯彻落实《中共中央国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见》"
TITLE_MENTION = re.compile(
    r"""
    《 (?P<title> [^《》]{1,120} ) 》
    """,
    re.VERBOSE,
)

#: A 发文字号: "国发〔2021〕4号" (line 32073), "发改能源规〔2021〕1051号", "苏政发﹝2022﹞…".
DOC_NUMBER = re.compile(
    r"""
    (?P<number>
        (?P<prefix> [\u4e00-\u9fff]{1,12} ) \s*
        [〔\[［(（﹝【] \s* (?P<year> (?:19|20)\d\d ) \s* [〕\]］)）﹞】] \s*
        (?P<serial> \d{1,4} ) \s* 号
    )
    """,
    re.VERBOSE,
)

# The bracketed year every 发文字号 holds: "〔2021〕" of 国发〔2021〕4号 (line 3158).
_NUMBER_YEAR = re.compile(
    r"""[〔\[［(（﹝【] \s* (?:19|20)\d\d \s* [〕\]］)）﹞】] \s* \d{1,4} \s* 号""", re.VERBOSE
)

#: An alias defined right after a title: "（以下简称《意见》）" (line 26079),
#: "（京发改〔2020〕789号，以下简称《实施方案》）" (line 31032),
#: "（以下简称“十四五”规划《纲要》）" (line 25559), "（下称《报告》）" (line 43627).
ALIAS = re.compile(
    r"""
    ^ \s* [（(] [^（()）]{0,30}? (?: 以下简称 | 以下称 | 简称 | 下称 ) [“"]? [^《》）)]{0,12}
    《 (?P<alias> [^《》]{1,20} ) 》 [”"]? \s* [）)]
    """,
    re.VERBOSE,
)

#: Words before a title (or a list of titles), in its clause, saying the document carries it
#: out: line 9479 "为贯彻落实《…》", line 8959 "根据《…》，制定本行动方案", line 9436
#: "按照《实施方案》要求", line 38555 "为贯彻落实国家发展改革委等部门《关于严格能效约束…》".
IMPLEMENTS = re.compile(
    r"""
    (?P<verb> 贯彻 | 落实 | 执行 | 实施 | 履行 | 根据 | 按照 | 依据 | 依照 | 遵照 | 遵循 )
    (?P<gap> [^，。；：！？,;:《》]{0,24} ) $
    """,
    re.VERBOSE,
)
#: Not carrying out: the cited text is being drafted or revised between verb and title.
_DRAFTING = re.compile(r"制定|出台|修订|修改|编制|研究|起草|启动|对标|参照|符合")
#: A template for any region is no policy: "编制《地区气候投融资试点工作方案》" (line 29731).
_TEMPLATE = re.compile(r"^地区")

#: What sits between two titles of one list: "《A》、《B》和《C》", "《A》（国发〔2021〕4号）、".
_LIST_GAP = re.compile(
    r"^(?:\s|[、，,和及与以其]|等|我省|我市|我区|本省|本市|[（(][^（()）《》]{0,40}[）)])*$"
)

#: Names that are not policies: tables, forms, reports, books.
_NOT_POLICY = re.compile(
    r"""
    (?: 表 | 清单 | 结论 | 名单 | 大纲 | 模板 | 报告 | 白皮书 )$
    | ^ (?: 求是 | 人民日报 )$
    """,
    re.VERBOSE,
)

#: A bare document-type noun, a self-reference unless an alias defines it: 《公约》, 《意见》.
_GENERIC = re.compile(
    r"""
    ^ (?: 实施 | 工作 | 行动 | 总体 | 指导 )?
      (?: 公约 | 协定 | 议定书 | 意见 | 方案 | 纲要 | 条例 | 办法 | 通知 | 规划 | 决定
        | 指南 | 细则 | 计划 | 规定 | 标准 | 目录 | 指引 | 宣言 | 导则 | 法 ) $
    """,
    re.VERBOSE,
)

#: The text a notice publishes is the document itself: "现印发给你们" (line 29088).
_PUBLISHES = re.compile(
    r"^\s*(?:[（(][^（()）]{0,40}[）)])?\s*[，,]?\s*(?:现)?(?:予以)?(?:印发|发布|转发)(?:给)?你们"
)
_ISSUED_BY_TITLE = re.compile(r"^(?P<issuer>.*?)关于(?:印发|发布|转发)(?P<inner>.+?)的通知")

_BRACKETS = str.maketrans({c: None for c in "()（）[]［］【】〔〕﹝﹞<>〈〉《》「」『』“”‘’\"'"})
_DROP = re.compile(r"[\s、，,·•:：]")
_DASHES = re.compile(r"[—–−－~～]+")
_DATELINE = re.compile(r"\s*[（(][^（()）]*\d{4}\s*年[^（()）]*[）)]\s*$")
_JURISDICTION_SHORT = re.compile(r"(?:省|市|自治区|回族自治区|壮族自治区|维吾尔自治区|特别行政区)$")


def normalise_title(title: str) -> str:
    """Return the comparison key of a title.

    Spaces, 、 and commas, quotes and bracket characters are dropped (the text inside
    brackets is kept), full-width forms become half-width and dashes one hyphen.

    >>> normalise_title("中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见")
    '中共中央国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见'
    >>> a, b = "碳排放权交易管理办法（试行）", "碳排放权交易管理办法(试行)"
    >>> normalise_title(a) == normalise_title(b)
    True
    >>> normalise_title("“十四五”循环经济发展规划")
    '十四五循环经济发展规划'
    """
    text = unicodedata.normalize("NFKC", title)
    text = text.translate(_BRACKETS)
    text = _DROP.sub("", text)
    return _DASHES.sub("-", text).lower()


def normalise_doc_number(number: str) -> str:
    """Return a 发文字号 with one bracket style and no spaces.

    >>> normalise_doc_number("苏政发﹝2022﹞ 8号")
    '苏政发〔2022〕8号'
    """
    m = DOC_NUMBER.search(number)
    if m is None:
        return re.sub(r"\s", "", number)
    return f"{m.group('prefix')}〔{m.group('year')}〕{m.group('serial')}号"


#: Longest readable part of an external id; longer titles are cut and get a hash suffix.
_ID_MAX = 60
_ID_HASH = 8
#: An issuer printed before 关于 in a title: "财政部 工业和信息化部 科技部 发展改革委关于完善
#: 新能源汽车推广应用财政补贴政策的通知" (line 26860), the same notice as "关于完善…的通知".
_ISSUER_PREFIX = re.compile(
    r"""
    ^ (?P<issuer> [^关]{2,60}? ) (?= 关于 )
    """,
    re.VERBOSE,
)
#: A local issuer keeps its name in the id: "省发展改革委等五部门关于…" (line 33761) may share
#: its words with another province's text.
_LOCAL_ISSUER = re.compile(r"省|自治区|县|(?<!城)市(?!场)|州")


def external_id(title: str) -> str:
    """Return the readable, deterministic id of a policy outside the corpus.

    The id is ``ext-`` and the normalised title (a central issuer before 关于 dropped, so
    that a title quoted with and without its issuers is one policy); a title longer than
    60 characters is cut and ends with 8 hex digits of its SHA-1.

    >>> external_id("巴黎协定")
    'ext-巴黎协定'
    >>> external_id("《巴黎协定》".strip("《》")) == external_id(" 巴黎 协定")
    True
    >>> external_id("国务院关于加强环境保护重点工作的意见")
    'ext-关于加强环境保护重点工作的意见'
    >>> len(external_id("关于" + "很长的标题" * 20))
    64
    """
    key = normalise_title(title)
    issuer = _ISSUER_PREFIX.match(key)
    if issuer is not None and not _LOCAL_ISSUER.search(issuer.group("issuer")):
        key = key[issuer.end() :]
    if len(key) > _ID_MAX:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:_ID_HASH]
        key = f"{key[: _ID_MAX - _ID_HASH - 1]}-{digest}"
    return f"ext-{key}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ShortTitle:
    """A short form whose full title is fixed by the words printed before it."""

    short: str
    before: tuple[str, ...]
    title: str
    reason: str


@functools.cache
def short_titles() -> tuple[ShortTitle, ...]:
    """Read ``loaders/lexicons/short_titles.toml`` (the well-known short forms).

    Raises:
        RegistryError: the file is not valid TOML or an entry lacks a field.
    """
    label = "loaders/lexicons/short_titles.toml"
    text = resources.files("policykg.loaders").joinpath("lexicons", "short_titles.toml").read_text(
        encoding="utf-8"
    )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RegistryError(Errors.V008.format(path=label, reason=e)) from e
    entries: list[ShortTitle] = []
    for i, row in enumerate(data.get("short_title", []), 1):
        try:
            entries.append(
                ShortTitle(
                    short=normalise_title(str(row["short"])),
                    before=tuple(normalise_title(str(b)) for b in row["before"]),
                    title=str(row["title"]),
                    reason=str(row["reason"]).strip(),
                )
            )
        except (KeyError, TypeError) as e:
            raise RegistryError(Errors.V014.format(path=label, n=i, key=e)) from e
        if not entries[-1].reason:
            raise RegistryError(Errors.V014_REASON.format(path=label, n=i))
    return tuple(entries)


def _keys(title: str) -> set[str]:
    """Return the comparison keys of a title: whole, without issuer, published inner title."""
    title = DOC_NUMBER.sub("", title).strip()
    keys = {normalise_title(title)}
    # a dateline is no part of the title: "《联合国气候变化框架公约》（1992年5月9日 纽约）"
    dated = _DATELINE.sub("", title)
    keys.add(normalise_title(dated))
    # an agreement under a convention: "《联合国气候变化框架公约》巴黎协定" is also "巴黎协定"
    under = re.match(r"^《[^《》]+》(?P<rest>.+)$", dated)
    if under is not None:
        keys.add(normalise_title(under.group("rest")))
    m = _ISSUED_BY_TITLE.match(title.strip())
    if m is not None:
        keys.add(normalise_title(m.group("inner")))
    for key in list(keys):
        i = key.find("关于")
        if i > 0:
            keys.add(key[i:])
    return {k for k in keys if len(k) >= 4}


_FUZZY_MIN = 14
_FUZZY_EDITS = 2


def _within(a: str, b: str, limit: int = _FUZZY_EDITS) -> bool:
    """Return whether two strings are at most ``limit`` edits apart (Levenshtein).

    >>> _within("关于强化能效约束", "关于严格能效约束"), _within("关于强化能效约束", "关于能效")
    (True, False)
    """
    if abs(len(a) - len(b)) > limit:
        return False
    if len(set(a).symmetric_difference(b)) > 2 * limit:
        return False  # one edit changes the set of characters by at most two
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _date_key(doc: Document) -> str | None:
    """Return a sortable date of a document: its date, else its year."""
    if doc.date:
        return doc.date
    if doc.year is not None:
        return str(doc.year)
    return None


def _not_newer(cited: Document, citing: Document) -> bool:
    """Return whether ``cited`` may be cited by ``citing`` given their dates."""
    a, b = _date_key(cited), _date_key(citing)
    if a is None or b is None:
        return True
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


def _short_jurisdiction(name: str) -> str:
    """Return a jurisdiction without its administrative suffix: 江苏省 → 江苏."""
    return _JURISDICTION_SHORT.sub("", name)


@dataclass(frozen=True, slots=True)
class _Index:
    """Documents by title key and by 发文字号."""

    by_key: dict[str, list[Document]]
    by_number: dict[str, list[Document]]
    # the documents whose title keys are near a key, by key (many titles are cited often)
    near_key: dict[str, dict[str, Document]] = field(default_factory=dict)
    # a covering notice's id -> the one document it publishes (citations resolve to that)
    published: dict[str, Document] = field(default_factory=dict)
    # what the document being read looked up: title keys, keys matched fuzzily, numbers
    log: tuple[set[str], set[str], set[str]] = field(
        default_factory=lambda: (set(), set(), set()))

    @classmethod
    def build(cls, documents: Sequence[Document]) -> _Index:
        """Index documents by every key of their title and by their 发文字号."""
        by_key: dict[str, list[Document]] = defaultdict(list)
        by_number: dict[str, list[Document]] = defaultdict(list)
        for doc in documents:
            for key in _keys(doc.title):
                by_key[key].append(doc)
            if doc.doc_number:
                by_number[normalise_doc_number(doc.doc_number)].append(doc)
        by_id = {doc.id: doc for doc in documents}
        published = {doc.id: by_id[doc.notice_of[0]] for doc in documents
                     if len(doc.notice_of) == 1 and doc.notice_of[0] in by_id}
        return cls(dict(by_key), dict(by_number), published=published)

    def _published(self, doc: Document | None, citing: Document) -> Document | None:
        """A covering notice cited stands for the one document it publishes (issue 11)."""
        if doc is None:
            return None
        target = self.published.get(doc.id)
        return target if target is not None and target.id != citing.id else doc

    def resolve(self, title: str, citing: Document) -> Document | None:
        """Return the document a title names, as seen from ``citing``, or None.

        A title misquoted by at most two characters still names its document:
        line 10321 "关于强化能效约束…" is 8678 "关于严格能效约束…".
        """
        keys = _keys(title)
        self.log[0].update(keys)
        seen: dict[str, Document] = {}
        for key in keys:
            for doc in self.by_key.get(key, ()):
                seen[doc.id] = doc
        found = _choose(list(seen.values()), title, citing)
        if found is not None:
            return self._published(found, citing)
        near: dict[str, Document] = {}
        for key in keys:
            if len(key) >= _FUZZY_MIN:
                self.log[1].add(key)
                near.update(self._near(key))
        return self._published(_choose(list(near.values()), title, citing), citing)

    def _near(self, key: str) -> dict[str, Document]:
        """Return the documents (by id) with a title key at most two edits from ``key``."""
        found = self.near_key.get(key)
        if found is None:
            found = {}
            for other, docs in self.by_key.items():
                if abs(len(other) - len(key)) <= _FUZZY_EDITS and _within(key, other):
                    found.update((doc.id, doc) for doc in docs)
            self.near_key[key] = found
        return found

    def resolve_number(self, number: str, citing: Document) -> Document | None:
        """Return the document with a 发文字号, as seen from ``citing``, or None."""
        self.log[2].add(normalise_doc_number(number))
        found = self.by_number.get(normalise_doc_number(number), [])
        return self._published(_choose(found, number, citing), citing)


def _choose(candidates: list[Document], title: str, citing: Document) -> Document | None:
    """Pick the candidate a citing document can mean: older, not itself, same jurisdiction."""
    ok: list[Document] = []
    for doc in candidates:
        if doc.id == citing.id or not _not_newer(doc, citing):
            continue
        if doc.jurisdiction and doc.jurisdiction != citing.jurisdiction:
            short = _short_jurisdiction(doc.jurisdiction)
            if short not in title:
                continue
        ok.append(doc)
    if not ok:
        return None
    # prefer the same input file (a compilation's own copy), the same jurisdiction, one of the
    # jurisdiction the title names (梧州 citing "广西壮族自治区人民政府关于…的实施意见" means
    # Guangxi's, not an opinion of the same title whose jurisdiction is not known: 80's "省人民政府
    # 关于…"), then the latest document not newer than the citing one
    ok.sort(key=lambda d: (d.file == citing.file, d.jurisdiction == citing.jurisdiction,
                           bool(d.jurisdiction) and _short_jurisdiction(d.jurisdiction or "")
                           in title, _date_key(d) or "", d.start_line))
    return ok[-1]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Mention:
    """One 《…》 mention in a paragraph."""

    title: str
    start: int
    end: int


def _relation(text: str, mentions: list[_Mention], i: int) -> Relation:
    """Return implements when the words before the title (or its list) say so."""
    j = i
    while j > 0 and _LIST_GAP.match(text[mentions[j - 1].end : mentions[j].start]):
        j -= 1
    before = text[max(0, mentions[j].start - 40) : mentions[j].start]
    before = re.split(r"[，。；：！？,;:]", before)[-1]
    m = IMPLEMENTS.search(before)
    if m is None or _DRAFTING.search(m.group("gap")):
        return Relation.CITES
    return Relation.IMPLEMENTS


def _own_publication(doc: Document, key: str) -> bool:
    """Return whether an enterprise plan's mention names the company's own text.

    Line 42276: 中国节能 "发布《中国节能环保集团有限公司碳达峰碳中和行动方案》".
    """
    if doc.kind is not DocKind.ENTERPRISE_PLAN:
        return False
    own = normalise_title(doc.title)
    shared = 0
    for a, b in zip(own, key, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= 4


def _citation(
    doc: Document,
    line: int,
    title: str,
    cited: Document | None,
    relation: Relation,
    full_title: str | None = None,
) -> Citation:
    """Make a citation record, external (named by ``full_title``) when unresolved."""
    name = full_title or title
    return Citation(
        doc_id=doc.id,
        line=line,
        cited_title=title,
        cited_doc_id=None if cited is None else cited.id,
        external_id=None if cited is not None else external_id(name),
        relation=relation,
        external_title=None if cited is not None else name,
    )


#: The words printed right before a 《…》, normalised, compared with short_titles.toml.
_BEFORE_CHARS = 16
#: A local outline: "我省“十四五”规划《纲要》" names the province's own plan.
_LOCAL_BEFORE = re.compile(r"(?:省|市|区|县|州)$")


def _short_form(text: str, start: int, key: str) -> str | None:
    """Return the full title a well-known short form stands for, given the words before it.

    Line 25589: "“十四五”规划《纲要》102 项重大工程" is the national 14th Five-Year Plan outline.
    """
    before = normalise_title(text[max(0, start - _BEFORE_CHARS) : start])
    for entry in short_titles():
        if entry.short != key:
            continue
        for words in entry.before:
            if before.endswith(words) and not _LOCAL_BEFORE.search(before[: -len(words)]):
                return entry.title
    return None


def _earlier_title(
    key: str, here: Sequence[str], earlier: Mapping[str, tuple[str, Document | None]]
) -> tuple[str, Document | None] | None:
    """Return the title a bare short form (《条例》) names from the titles quoted before it.

    The last title of the same paragraph ending with the short form wins (line 33430–33432:
    "开展《江苏省生物多样性保护条例》立法调研，推进《条例》研究制定"); else the one such title of
    the document so far, when there is exactly one.
    """
    for title in reversed(here):
        if normalise_title(title).endswith(key) and normalise_title(title) != key:
            return earlier[normalise_title(title)]
    found = {k: v for k, v in earlier.items() if k.endswith(key) and k != key}
    if len(found) == 1:
        return next(iter(found.values()))
    return None


def _one_title_per_external(citations: list[Citation]) -> list[Citation]:
    """Give every citation of one external policy the same, longest full title.

    "关于构建绿色金融体系的指导意见" and "中国人民银行 财政部 … 关于构建绿色金融体系的指导意见"
    (line 28998) share their id; the node is named by the fuller title.
    """
    def rank(title: str) -> tuple[int, int, str]:
        # the most words, then the fewest stray spaces ("和 2035 年" wrapped, line 20786)
        return len(normalise_title(title)), -title.count(" "), title

    best: dict[str, str] = {}
    for c in citations:
        if c.external_id is None or c.external_title is None:
            continue
        now = best.get(c.external_id)
        if now is None or rank(c.external_title) > rank(now):
            best[c.external_id] = c.external_title
    return [
        c
        if c.external_id is None or best.get(c.external_id, c.external_title) == c.external_title
        else dataclasses.replace(c, external_title=best[c.external_id])
        for c in citations
    ]


def _doc_citations(doc: Document, index: _Index) -> Iterator[Citation | Problem]:
    """Yield the citations of one document (and C001 problems)."""
    aliases: dict[str, tuple[str, Document | None] | None] = {}  # None: the document itself
    quoted: dict[str, tuple[str, Document | None]] = {}  # full titles cited so far, by key
    own_keys = _keys(doc.title)
    for para in doc.paragraphs:
        text = para.text
        here: list[str] = []  # full titles cited so far in this paragraph
        alias_at: dict[int, Relation] = {}
        skip_at: set[int] = set()
        mentions = [
            _Mention(title=m.group("title").strip(), start=m.start(), end=m.end())
            for m in TITLE_MENTION.finditer(text)
        ]
        for i, mention in enumerate(mentions):
            title = re.sub(r"\s*\n\s*", "", mention.title)
            line = para.line_at(mention.start)
            relation = _relation(text, mentions, i)
            after = text[mention.end :]
            key = normalise_title(title)
            if _PUBLISHES.match(after) or own_keys & _keys(title):
                # the notice's own attached text (line 9411 "现将《…实施方案》（以下简称
                # 《实施方案》）印发给你们"), or the document itself: not a citation
                alias = ALIAS.match(after)
                if alias is not None:
                    aliases[normalise_title(alias.group("alias"))] = None
                    skip_at.add(mention.end + alias.start("alias") - 1)
                continue
            if mention.start in skip_at:
                continue
            if (
                _TEMPLATE.match(key)
                or after.lstrip().startswith("报告")  # "编制《江苏应对气候变化政策与行动2021》报告"
                or _own_publication(doc, key)
            ):
                alias = ALIAS.match(after)
                if alias is not None:
                    aliases[normalise_title(alias.group("alias"))] = None
                    skip_at.add(mention.end + alias.start("alias") - 1)
                continue
            if mention.start in alias_at:
                # the alias inside "（以下简称《意见》）" shares its title's relation
                relation = alias_at[mention.start]
            if key in aliases:
                target = aliases[key]
                if target is not None:
                    yield _citation(doc, line, title, target[1], relation, target[0])
                continue
            full = _short_form(text, mention.start, key)
            if full is not None:
                # "“十四五”规划《纲要》" (line 25589): a well-known short form
                yield _citation(doc, line, title, index.resolve(full, doc), relation, full)
                continue
            if _NOT_POLICY.search(key):
                continue
            if _GENERIC.match(key):
                just_before = text[max(0, mention.start - 4) : mention.start]
                defined_here = re.search(r"简称[“\"]?$", just_before)
                earlier = None if defined_here else _earlier_title(key, here, quoted)
                if defined_here:
                    aliases[key] = None  # "工作方案（以下简称《方案》）" (line 41772): its own text
                elif earlier is not None:
                    # "开展《江苏省生物多样性保护条例》立法调研，推进《条例》研究制定" (33430-33432)
                    yield _citation(doc, line, title, earlier[1], relation, earlier[0])
                elif not normalise_title(doc.title).endswith(key):
                    # "推进《条例》研究制定" (line 33432): a short name defined nowhere
                    yield Errors.C001.at(
                        Span(file=doc.file, start_line=line, end_line=line),
                        excerpt=text[max(0, mention.start - 20) : mention.end + 10],
                        title=title,
                    )
                    yield _citation(doc, line, title, None, relation)
                continue
            cited = index.resolve(title, doc)
            number = DOC_NUMBER.match(re.sub(r"^[（(]", "", after[:40]))
            if number is not None and after[:1] in "（(" and cited is None:
                cited = index.resolve_number(number.group("number"), doc)
            alias = ALIAS.match(after)
            yield _citation(doc, line, title, cited, relation)
            here.append(title)
            quoted.setdefault(key, (title, cited))
            if alias is not None:
                aliases[normalise_title(alias.group("alias"))] = (title, cited)
                alias_at[mention.end + alias.start("alias") - 1] = relation
        yield from _number_mentions(doc, para, index, mentions)


def _number_mentions(
    doc: Document, para: Paragraph, index: _Index, mentions: list[_Mention]
) -> Iterator[Citation]:
    """Yield 发文字号 mentions outside 《…》 brackets that name a document of the corpus."""
    if _NUMBER_YEAR.search(para.text) is None:
        return  # DOC_NUMBER tries 12 characters before every bracket: only where a year is
    for m in DOC_NUMBER.finditer(para.text):
        if any(x.start <= m.start() < x.end for x in mentions):
            continue
        # a number in brackets right after a title belongs to that title
        before = para.text[max(0, m.start() - 3) : m.start()]
        if "》" in before:
            continue
        cited = index.resolve_number(m.group("number"), doc)
        if cited is None or cited.id == doc.id:
            continue
        ctx = re.split(r"[，。；：！？,;:]", para.text[max(0, m.start() - 30) : m.start()])[-1]
        relation = Relation.IMPLEMENTS if IMPLEMENTS.search(ctx) else Relation.CITES
        yield _citation(doc, para.line_at(m.start("number")), m.group("number"), cited, relation)


@dataclass(frozen=True, slots=True, kw_only=True)
class DocCitations:
    """One document's citations and C001 problems (before ``_one_title_per_external``),
    with what resolving them looked up, so a change of the corpus re-reads only the
    documents whose citations it can change (``may_change``)."""

    citations: tuple[Citation, ...]
    problems: tuple[Problem, ...]
    keys: frozenset[str]
    near: frozenset[str]
    numbers: frozenset[str]

    def may_change(self, keys: Iterable[str], numbers: Iterable[str]) -> bool:
        """Whether documents with these title keys and 发文字号 (``document_keys``), come
        into the corpus or gone from it, can change what this document cites."""
        keys = set(keys)
        if self.keys & keys or self.numbers & set(numbers):
            return True
        return any(abs(len(a) - len(b)) <= _FUZZY_EDITS and _within(a, b)
                   for a in self.near for b in keys)


def document_keys(doc: Document) -> tuple[set[str], set[str]]:
    """The title keys and normalised 发文字号 other documents' citations find ``doc`` by."""
    return _keys(doc.title), {normalise_doc_number(doc.doc_number)} if doc.doc_number else set()


def find_citations(documents: Sequence[Document]) -> tuple[list[Citation], list[Problem]]:
    """Return every policy citation of the documents, resolved where possible.

    Args:
        documents: all documents of the corpus (the candidates for resolution).

    Returns:
        Citations in document and text order, and C001 problems for bare short titles.
    """
    citations, problems, _ = resolve_citations(documents)
    return citations, problems


def resolve_citations(
    documents: Sequence[Document],
    known: Callable[[Document], DocCitations | None] | None = None,
) -> tuple[list[Citation], list[Problem], dict[str, DocCitations]]:
    """``find_citations``, with each document's own results too; ``known(doc)`` gives a
    document's results from an earlier run when they still hold (None: read it)."""
    index = _Index.build(documents)
    per_doc: dict[str, DocCitations] = {}
    for doc in documents:
        found = known(doc) if known is not None else None
        if found is None:
            for logged in index.log:
                logged.clear()
            items = list(_doc_citations(doc, index))
            found = DocCitations(
                citations=tuple(i for i in items if isinstance(i, Citation)),
                problems=tuple(i for i in items if isinstance(i, Problem)),
                keys=frozenset(index.log[0]), near=frozenset(index.log[1]),
                numbers=frozenset(index.log[2]))
        per_doc[doc.id] = found
    citations = [c for found in per_doc.values() for c in found.citations]
    problems = [p for found in per_doc.values() for p in found.problems]
    citations = _one_title_per_external(citations)
    logger.info(
        "%d citations, %d resolved in the corpus",
        len(citations),
        sum(c.cited_doc_id is not None for c in citations),
    )
    return citations, problems, per_doc
