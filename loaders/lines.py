"""Undo PDF-extraction damage: drop page artifacts and join wrapped lines into paragraphs.

Every kept character keeps its source line number (``Paragraph.offsets``), which is the
provenance of everything downstream. Standard library and ``policykg.records`` only: must
not import rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from policykg.display import width
from policykg.records import Paragraph, SourceLine

__all__ = [
    "DEFAULT_WIDTH",
    "CleanedLines",
    "Furniture",
    "FurnitureKind",
    "ascii_punctuation_damage",
    "clean_lines",
    "display_width",
    "halfwidth",
    "join_paragraphs",
    "join_text",
    "normalise_doc_number",
    "restore_punctuation",
    "restore_yi_punctuation",
    "wrap_width",
    "yi_punctuation_damage",
]

logger = logging.getLogger(__name__)

#: Wrap width (in half-width cells) of the compilation's body text: 30 CJK characters.
DEFAULT_WIDTH = 60

# A page footer left by the PDF extraction; it stands after two blank lines.
# line 282: "16" (lone page number); line 7576-7577: "—" then "201 —";
# line 35510: "—" alone (number lost).
FOOTER_RE = re.compile(
    r"""^\s*(?:
        [—\-－]\s*\d{1,4}\s*[—\-－]   # — 201 —
      | \d{1,4}\s*[—\-－]            # 201 —
      | [—\-－]                      # —
      | \d{1,4}                      # 16
    )\s*$""",
    re.VERBOSE,
)

# The second half of a footer split over two lines. line 7577: "201 —"
FOOTER_TAIL_RE = re.compile(r"^\s*\d{1,4}\s*[—\-－]\s*$", re.VERBOSE)

# CJK characters (ideographs) — the spaces between two of them are kept ("中共中央 国务院").
_CJK = "\u3400-\u9fff\uf900-\ufaff"
# Full-width punctuation and brackets next to which a space is a PDF artifact.
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”\u2018\u2019—…"

# A space between a CJK character or full-width punctuation and a digit, or next to
# full-width punctuation, is a PDF artifact. line 14383: "到 2025年"-style "能源领域 5G".
ARTIFACT_SPACE_RE = re.compile(
    rf"""
    (?<=[{_CJK}{_CJK_PUNCT}])[ \t\u3000]+(?=[0-9\uff10-\uff19])   # 到 2025年
  | (?<=[0-9\uff10-\uff19%％])[ \t\u3000]+(?=[{_CJK}])            # 2021年 7月 → 7月; 30 %
  | (?<=[{_CJK_PUNCT}])[ \t\u3000]+                       # （ https
  | [ \t\u3000]+(?=[{_CJK_PUNCT}])                        # 姚伊乐 ）
    """,
    re.VERBOSE,
)

# A heading marker that opens a new paragraph.
# line 4934: "1．推进城乡建设绿色低碳转型。" ; line 100: "——面对疫情，" ;
# line 6672: "第一章 总则" ; line 30907: "(一)统筹部署与综合协调".
MARKER_RE = re.compile(
    r"""^(?:
        (?P<strong>
            [一二三四五六七八九十百]+、                      # 一、
          | [（(][一二三四五六七八九十百]+[）)]              # （一）
          | 第[一二三四五六七八九十百零]+[章节条部分]         # 第一章 / 第三条
          | ——                                            # ——面对疫情
          | 附件\s*\d*\s*$                                 # 附件 1
        )
      | (?P<weak>
            \d{1,2}[.．、](?![0-9\uff10-\uff19])                  # 1． but not 1.2亿
          | [（(]\d{1,2}[）)]                             # （1）
          | [①-⑳]                                         # ①
        )
    )""",
    re.VERBOSE,
)

# A numbered clause of a standard, printed with a space after its number, opens a paragraph
# even after a line that fills the width: line 24012 "3.0.4 绿色建造宜结合实际需求，…"; so
# does a chapter heading alone, line 24120 "5 绿色设计". Not line 2979 "21 日）", not a
# table row (line 8988 "3 电解铝 铝液交流电耗 …", line 10496-style "8.5 7.5 GB 30251").
CLAUSE_LINE_RE = re.compile(
    r"""^(?:
        \d{1,2} (?:\.\d{1,2}){1,4} [ \u3000]+ [\u4e00-\u9fff]     # 3.0.4 绿色建造…
      | \d{1,2} [ \u3000]+ [\u4e00-\u9fff]{2,12} $                # 5 绿色设计
    )""",
    re.VERBOSE,
)

# A source address on its own line, which is its own paragraph. line 3604:
# "（http://www.gov.cn/zhengce/…htm）"; line 3606: "http://www.gov.cn/zhengce/…".
URL_LINE_RE = re.compile(r"""^[（(]?\s*(?:https?://|www\.)""", re.VERBOSE | re.IGNORECASE)

# An addressee line, which ends its paragraph. line 3160: "各省、自治区、直辖市人民政府，
# 国务院各部委、各直属机构：".
ADDRESSEE_RE = re.compile(r"""^各[\u4e00-\u9fff].*[：:]$""", re.VERBOSE)

_SENTENCE_END = "。！？；：!?;:"
# How much narrower than ``width - 4`` (a two-character indent) the first line of a
# paragraph may be: half-width digits and Latin letters leave a few cells (line 35334, 55).
_INDENT_SLACK = 6
_FULL_STOP = "。！？!?"
_CLOSERS = "”\u2019）)》」』】"


class FurnitureKind(StrEnum):
    """What a removed piece of page furniture was (``loaders.furniture``), or a table of
    contents (``loaders.contents``)."""

    PAGE_NUMBER = "page_number"
    RUNNING_HEAD = "running_head"
    LETTERHEAD = "letterhead"
    WATERMARK = "watermark"
    WEB_METADATA = "web_metadata"
    #: a printed table of contents (``loaders.contents``): the body's headings listed again
    CONTENTS = "contents"


@dataclass(frozen=True, slots=True, kw_only=True)
class Furniture:
    """A line (or, ``partial``, the part of a line) set aside as page furniture."""

    kind: FurnitureKind
    line: int
    page: int
    text: str
    partial: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanedLines:
    """The kept source lines of one file and how every other line was accounted for.

    For a PDF: ``furniture`` holds every removed line (the letterhead is header evidence),
    ``pages`` the page count and ``source_file`` the path relative to the input root.
    """

    file: str
    total_lines: int
    lines: tuple[SourceLine, ...]
    artifacts: tuple[int, ...]
    blank_lines: int
    page_starts: frozenset[int]
    fresh: frozenset[int]
    furniture: tuple[Furniture, ...] = field(default=())
    pages: int | None = None
    source_file: str = ""
    #: For a PDF, the number of the first line of each page (``page_of`` reads it).
    page_lines: tuple[int, ...] = ()
    #: The text layer gave full-width punctuation as ASCII and it was restored (P003).
    restored_punctuation: bool = False
    #: How many full-width marks the text layer gave as Yi syllables, restored (P004).
    yi_punctuation: int = 0

    def page_of(self, line: int) -> int | None:
        """The page of a line number (None for a text file).

        >>> CleanedLines(file="a.pdf", total_lines=9, lines=(), artifacts=(), blank_lines=0,
        ...              page_starts=frozenset(), fresh=frozenset(), pages=2,
        ...              page_lines=(1, 5)).page_of(7)
        2
        """
        if not self.page_lines:
            return None
        return max(1, bisect.bisect_right(self.page_lines, line))


def display_width(text: str) -> int:
    """Return the width of ``text`` in half-width cells: ``policykg.display.width``, the
    project's one rule (CJK, full-width forms and Chinese punctuation count 2).

    >>> display_width("碳达峰 2030")
    11
    """
    return width(text)


def _split_lines(text: str) -> list[str]:
    raw = text.split("\n")
    if raw and not raw[-1].strip():
        # the text after the last newline is not a line (the compilation ends "\n ")
        raw.pop()
    return [r[:-1] if r.endswith("\r") else r for r in raw]


def clean_lines(text: str, file: str) -> CleanedLines:
    """Drop blank lines and page footers; strip the page-break leading space.

    A footer (``16``, ``—`` then ``201 —``, ``— 201 —``) is recognised by its shape and by
    the two blank lines that stand before it in the extraction (line 7574-7577); a lone
    number inside a table (line 25267 ``1``) has no such gap and is kept.

    Args:
        text: the decoded file text.
        file: the file name used in provenance.

    Returns:
        The kept lines (stripped), the artifact line numbers, the blank count, the lines
        that began a page (a leading space) and the lines that follow a page or section
        gap (``fresh``: after a footer or two blank lines).

    >>> c = clean_lines("标题\\n\\n\\n\\n16\\n\\n正文", "x.txt")
    >>> [(s.number, s.text) for s in c.lines], c.artifacts
    ([(1, '标题'), (7, '正文')], (5,))
    """
    raw = _split_lines(text)
    kept: list[SourceLine] = []
    artifacts: list[int] = []
    page_starts: set[int] = set()
    fresh: set[int] = set()
    blank = 0
    blank_run = 0
    after_artifact = False
    prev_artifact_dash = False
    for number, line in enumerate(raw, start=1):
        stripped = line.strip()
        if not stripped:
            blank += 1
            blank_run += 1
            continue
        if (blank_run >= 2 and FOOTER_RE.match(stripped)) or (
            prev_artifact_dash and blank_run == 0 and FOOTER_TAIL_RE.match(stripped)
        ):
            artifacts.append(number)
            prev_artifact_dash = stripped in {"—", "-", "－"}
            after_artifact = True
            blank_run = 0
            continue
        if line[:1].isspace() and not line.startswith("\t"):
            page_starts.add(number)
        if after_artifact or blank_run >= 2 or number == 1:
            fresh.add(number)
        kept.append(SourceLine(number=number, text=stripped))
        blank_run = 0
        after_artifact = False
        prev_artifact_dash = False
    return CleanedLines(
        file=file,
        total_lines=len(raw),
        lines=tuple(kept),
        artifacts=tuple(artifacts),
        blank_lines=blank,
        page_starts=frozenset(page_starts),
        fresh=frozenset(fresh),
    )


def wrap_width(lines: Sequence[SourceLine], widths: Sequence[int] | None = None) -> int:
    """Return the wrap width of a run of lines: the most common width of long lines.

    >>> wrap_width([SourceLine(number=1, text="碳" * 30)] * 5)
    60
    """
    counts = Counter(widths if widths is not None else [display_width(s.text) for s in lines])
    long = [(n, w) for w, n in counts.items() if w >= 36]
    if sum(n for n, _ in long) < 5:
        return DEFAULT_WIDTH
    return max(long)[1]


def _normalise(text: str) -> str:
    if " " not in text and "\u3000" not in text and "\t" not in text:
        return text
    return ARTIFACT_SPACE_RE.sub("", text)


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_text(parts: Sequence[str]) -> str:
    """Join wrapped line texts as printed: no space between lines, one between Latin words.

    >>> join_text(["中共中央 国务院关于完整准确全面贯彻新发展", "理念做好碳达峰碳中和工作的意见"])
    '中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见'
    >>> join_text(["LegalEntity", "Identifier"])
    'LegalEntity Identifier'
    """
    out = ""
    for part in parts:
        if out and part and out[-1].isalpha() and out[-1].isascii() and _is_latin(part[0]):
            last_token = out.rsplit(" ", 1)[-1]
            if "/" not in last_token and "." not in last_token:
                out += " "
        out += part
    return out


def _is_unwrapped(widths: Sequence[int]) -> bool:
    """Return True when many lines are far longer than a printed line (a web page copy)."""
    long = sum(1 for w in widths if w > 2 * DEFAULT_WIDTH)
    return long >= 3 and long * 5 >= len(widths)


def _ends_sentence(text: str, ends: str = _SENTENCE_END) -> bool:
    t = text.rstrip(_CLOSERS) or text
    return t[-1] in ends


def _open_bracket(texts: Sequence[str]) -> bool:
    """Return True when the joined ``texts`` leave a round bracket open."""
    opened = sum(t.count("（") + t.count("(") for t in texts)
    return opened > sum(t.count("）") + t.count(")") for t in texts)


def join_paragraphs(lines: Sequence[SourceLine], width: int | None = None) -> list[Paragraph]:
    """Join wrapped lines into logical paragraphs, keeping each character's source line.

    A paragraph ends after a sentence end (。！？；：) on a line clearly shorter than the
    wrap width, after a short line (a heading, a salutation, a sign-off: under 70% of the
    width), and before a heading marker (一、 （一） 1. （1） 第X章
    第X条 ——). Spaces between a CJK character and a digit are PDF artifacts and are
    dropped; spaces between CJK names ("中共中央 国务院") and Latin words are kept.

    Args:
        lines: kept source lines in order (``CleanedLines.lines`` or a document's slice).
        width: wrap width in half-width cells; measured from ``lines`` when None.

    Returns:
        The paragraphs in order.

    >>> ls = [SourceLine(number=1, text="一、总体要求"),
    ...       SourceLine(number=3, text="碳" * 29 + "，"),
    ...       SourceLine(number=5, text="到 2025年完成。")]
    >>> [(p.text[-11:], p.start_line, p.offsets) for p in join_paragraphs(ls, 60)]
    [('一、总体要求', 1, ((0, 1),)), ('碳，到2025年完成。', 3, ((0, 3), (30, 5)))]
    """
    widths = [display_width(s.text) for s in lines]
    w = wrap_width(lines, widths) if width is None else width
    # text copied from a web page is not wrapped: every line is a paragraph
    unwrapped = width is None and _is_unwrapped(widths)
    short_limit = w - 4
    heading_limit = w * 7 // 10
    paragraphs: list[Paragraph] = []
    texts: list[str] = []
    offsets: list[tuple[int, int]] = []
    length = 0
    prev_text = ""
    prev_width = 0
    in_url = False

    first_page: int | None = None

    def flush() -> None:
        nonlocal texts, offsets, length
        if texts:
            paragraphs.append(
                Paragraph(
                    text="".join(texts),
                    start_line=offsets[0][1],
                    end_line=offsets[-1][1],
                    offsets=tuple(offsets),
                    page=first_page,
                )
            )
        texts, offsets, length = [], [], 0

    for line, line_width in zip(lines, widths, strict=True):
        text = _normalise(line.text)
        if not text:
            continue
        url = URL_LINE_RE.match(text) is not None
        if texts and (
            unwrapped
            or url
            or (in_url and not text.isascii())
            or ADDRESSEE_RE.match(prev_text)
            or CLAUSE_LINE_RE.match(line.text)
        ):
            flush()
        if texts:
            marker = MARKER_RE.match(text)
            prev_short = prev_width < heading_limit or (
                prev_width < short_limit and _ends_sentence(prev_text)
            )
            # a sentence that ends at the wrap width, then an indented first line
            # (line 3205 "…加以推进。" at 60 cells, 3207 "坚持市场导向。…企业" at 56)
            # (not after ；or ：, nor inside brackets: line 34043 "…（牵头单位：市大数据局；")
            indented = (
                short_limit - _INDENT_SLACK <= line_width <= short_limit
                and _ends_sentence(prev_text, _FULL_STOP)
                and not _ends_sentence(line.text)
                and not _open_bracket(texts)
            )
            if prev_short or indented or (
                marker
                and (
                    marker.group("strong")
                    or _ends_sentence(prev_text)
                    or prev_text[-1] in "）)"
                    or prev_width <= short_limit
                    # the paragraph so far is a heading: line 31559 "（六）健全绿色制造
                    # 体系，激发绿色发展新动能" before "15、开展新一轮…"
                    or (MARKER_RE.match(texts[0]) is not None and "。" not in "".join(texts))
                )
            ):
                flush()
        if texts and texts[-1] and _is_latin(texts[-1][-1]) and _is_latin(text[0]):
            last_token = texts[-1].rsplit(" ", 1)[-1]
            if texts[-1][-1].isalpha() and "/" not in last_token and "." not in last_token:
                texts.append(" ")
                length += 1
        if not texts:
            in_url = url
            first_page = line.page
        offsets.append((length, line.number))
        texts.append(text)
        length += len(text)
        prev_text = line.text
        prev_width = line_width
    flush()
    return paragraphs


# Full-width digits, Latin letters and the ideographic space, and their ASCII forms.
_HALFWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
     "\u3000": " "}
)


def halfwidth(text: str) -> str:
    """Full-width digits and Latin letters as ASCII, for values (the printed text is kept).

    >>> halfwidth("到２０２５年，细颗粒物下降１０％")
    '到2025年，细颗粒物下降10％'
    >>> halfwidth("\\uff30\\uff2d２.５") == "PM2.5"
    True
    """
    return text.translate(_HALFWIDTH)


# The year of a 发文字号 in any bracket a copy uses: 〔2021〕 [2021] 【2021】 (2021) ［2021］.
_DOC_NUMBER_YEAR_RE = re.compile(r"""[〔\[【(（［]\s*(?P<year>\d{4})\s*[〕\]】)）］]""")


def normalise_doc_number(text: str) -> str:
    """A 发文字号 as GB/T 9704 prints it: ASCII digits, 〔year〕, no spaces.

    >>> normalise_doc_number("甘政发 〔２０２１〕６２号")
    '甘政发〔2021〕62号'
    >>> normalise_doc_number("京技管[2021]115号")
    '京技管〔2021〕115号'
    """
    compact = re.sub(r"\s+", "", halfwidth(text))
    return _DOC_NUMBER_YEAR_RE.sub(lambda m: f"〔{m.group('year')}〕", compact)


# The two patterns of PDF punctuation damage are compiled when a PDF is first checked: with
# their CJK classes they take 10 ms, which a build of text files need not pay.


@functools.cache
def _ascii_punct_re() -> re.Pattern[str]:
    """ASCII punctuation standing against a CJK character: a text layer whose font maps the
    full-width marks to ASCII (107 甘肃: "省政府各部门,中央"; "请认真贯彻执行.")."""
    return re.compile(rf"(?<=[{_CJK}])[,:;!?]|[,:;!?](?=[{_CJK}])")


_FULL_COMMA_RE = re.compile("[，：；]")
_PUNCT_MAP = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）",
              "«": "《", "»": "》"}


@functools.cache
def _restore_re() -> re.Pattern[str]:
    """What is restored once a file is known to be damaged: , : ; ! ? next to CJK; a full
    stop after CJK or a closing mark (not "1.构建", not "......."); ( ) around CJK; « »."""
    return re.compile(
        rf"""(?<=[{_CJK}])[,:;!?] | [,:;!?](?=[{_CJK}])
          | (?<=[{_CJK}”’）)»])\.(?![.\d])
          | \((?=[{_CJK}]) | (?<=[{_CJK}])\) | [«»]""",
        re.VERBOSE,
    )


def ascii_punctuation_damage(texts: Sequence[str]) -> bool:
    """Return True when a file's text layer prints full-width punctuation as ASCII.

    Many ASCII marks against CJK and fewer full-width ones: the font maps them so.

    >>> ascii_punctuation_damage(["各市人民政府,省政府各部门:"] * 6)
    True
    >>> ascii_punctuation_damage(["各市人民政府，省政府各部门：1,2"] * 6)
    False
    """
    ascii_marks = sum(len(_ascii_punct_re().findall(t)) for t in texts)
    full_marks = sum(len(_FULL_COMMA_RE.findall(t)) for t in texts)
    return ascii_marks >= 10 and ascii_marks > full_marks


def restore_punctuation(text: str) -> str:
    """Restore the full-width punctuation a damaged text layer gives as ASCII.

    Only for files ``ascii_punctuation_damage`` finds damaged.

    >>> restore_punctuation("现将 «关于…方案»印发你们,请认真贯彻执行.")
    '现将 《关于…方案》印发你们，请认真贯彻执行。'
    >>> restore_punctuation("1.构建长江生态, 3.5亿")
    '1.构建长江生态， 3.5亿'
    """
    return _restore_re().sub(lambda m: "。" if m.group(0) == "." else _PUNCT_MAP[m.group(0)],
                           text)


# Full-width punctuation given as Yi syllables: a text layer whose font has no proper
# ToUnicode map (方正 fonts) gives the GB2312 code as the code point, and GB2312's row 3
# (0xA3A1-0xA3FE, full-width ASCII U+FF01-FF5E) falls in the Yi Syllables block. 108 青海
# prints "各市、 自治州人民政府ꎬ 省政府各委" and "认真抓好贯彻落实ꎮ": ꎬ U+A3AC for ，,
# ꎮ U+A3AE, ꎻ U+A3BB for ； (612 of them; no other file of the dev corpus has any). Only
# row 3's punctuation is mapped, not its digits and letters (Yi syllables too, which a real
# Yi text uses): a file is damaged only when every Yi character it holds is one of these.
_YI_PUNCT_MAP = {chr(0xA3A1 + i): chr(0xFF01 + i) for i in range(0x5E)
                 if not chr(0xFF01 + i).isalnum()}
# ꎮ is GB2312's full-width full stop ．(0xA3AE), but these files print it where a sentence
# ends ("特制定本行动方案ꎮ", never after a list number in 108): 。, which sentence and clause
# splitting read as the end (．, which the loaders read as a list number's dot "8．", would
# glue the sentences of a paragraph into one).
_YI_PUNCT_MAP["\ua3ae"] = "。"
_YI_PUNCT = str.maketrans(_YI_PUNCT_MAP)
# Yi Syllables and Yi Radicals.
_YI_RE = re.compile("[\ua000-\ua4cf]")


def yi_punctuation_damage(texts: Sequence[str]) -> int:
    """How many full-width marks a file's text layer gives as Yi syllables (0: none, sound).

    Damaged: ten marks at least, and every Yi character of the file is a GB2312 row-3
    punctuation code, so a text in Yi (which uses many other syllables) is never touched.

    >>> yi_punctuation_damage(["各市、 自治州人民政府ꎬ 省政府各委、 办ꎬ 国家能源局"] * 5)
    10
    >>> yi_punctuation_damage(["ꆈꌠꁱꂷꎬ 凉山彝族自治州ꎬ"] * 5)
    0
    """
    marks = Counter(_YI_RE.findall("\n".join(texts)))
    count = sum(marks.values())
    return count if count >= 10 and marks.keys() <= _YI_PUNCT_MAP.keys() else 0


def restore_yi_punctuation(text: str) -> str:
    """Restore the full-width punctuation a damaged text layer gives as Yi syllables.

    One character for one, so every offset into the line is kept. Only for files
    ``yi_punctuation_damage`` finds damaged.

    >>> restore_yi_punctuation("到 ２０３０ 年并网规模达到 ４０００ 万千瓦左右ꎻ 在海西州格尔木ꎬ")
    '到 ２０３０ 年并网规模达到 ４０００ 万千瓦左右； 在海西州格尔木，'
    >>> restore_yi_punctuation("认真抓好贯彻落实ꎮ ꎨ一ꎩ ꎺ ꎿ ꎡ")
    '认真抓好贯彻落实。 （一） ： ？ ！'
    """
    return text.translate(_YI_PUNCT)
