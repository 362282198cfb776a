"""A printed table of contents, found and set aside so its entries are not read as headings.

A plan printed as a booklet lists its chapters and sections before the body: a heading line
``目录`` (``目 录``) and a run of entries, each a heading's marker and words, often with dot
leaders and a page number (``第一章 发展环境与形势………… 1``), sometimes several glued on
one line by the text layer. Read as the body, those entries open the document's outline
and the real headings nest under the last of them (191 山东 能源科技创新, lines 38-62).

An entry is a line opening with a heading marker (``第一章``, ``一、``, ``（一）``, ``1.``),
a line with leaders and a page number, or a short line printed again later (``前 言``). The
run is a table of contents only when most of its entries are printed again, after it, at the
start of a line (the body's headings): ``目录`` ending a sentence, or heading a list of what
a notice publishes, is not one. The run ends at the first line that is not an entry, or at
the body's first heading, which repeats the first entry (58 天津 条例: ``第一章 总 则`` right
after ``第八章 附 则``); entries at its end printed nowhere after it are the body's. Without
a ``目录`` line, a run of at least three entries with leaders and page numbers is one.

The lines are set aside as ``FurnitureKind.CONTENTS`` (counted in the line account with the
page furniture; ``policykg text`` marks them ``[contents]``). Standard library and
``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from policykg.loaders.lines import CleanedLines, Furniture, FurnitureKind, display_width
from policykg.records import SourceLine

__all__ = ["Contents", "find_contents", "set_aside_contents"]

_CN = "一二三四五六七八九十百零〇两"

# Dot leaders (after NFKC: "…" is "..."): dots, middle dots, or any mark repeated 4 times
# (108 青海: an unmapped glyph, U+1001BA). The page number after them: "5", "- 1 -", "(5 )".
_LEADER = r"(?:\.{3,}|[·・•‧∙⋅⋯]{3,}|([^\w\s])\1{3,})"
_PAGE = r"(?:[-—–]\s*\d{1,3}\s*[-—–]|\(\s*\d{1,3}\s*\)|\d{1,3}|[IVXivx]{1,5})(?![\d.])"
LEADER_RE = re.compile(rf"\s*{_LEADER}\s*(?P<page>{_PAGE})?\s*")
# Leaders as printed (before NFKC), to find the lines worth reading: a mark three times.
_ANY_LEADER_RE = re.compile(r"([^\w\s])\1\1")

# A heading's marker opening an entry or a line of the body (after NFKC).
MARKER_RE = re.compile(
    rf"""^(?:
        第[{_CN}\d]+(?:章|节|篇|部分|条)
      | [{_CN}]+[、.]
      | \(\s*[{_CN}\d]{{1,3}}\s*\)
      | \d{{1,2}}(?:\.\d{{1,2}}){{0,3}}(?:[.、](?!\d)|\s+|(?=[^\W\d_]))
      | 附(?:件|表|录)\s*[A-Z\d]*
    )\s*""",
    re.VERBOSE,
)

# What a heading entry never holds: the end of a sentence.
_SENTENCE_RE = re.compile(r"[。！？；!?;]")
# A heading the text layer glued after the sentence before it (563 贵州, line 286:
# "…作出更大贡献。 第二节 基本原则").
_SENTENCE_START_RE = re.compile(r"(?<=[。！？；!?;])\s*")
_NOT_WORD_RE = re.compile(r"[\W_]+")
_SPACE_RE = re.compile(r"[\s\u3000]+")

#: How many characters of an entry are compared with the body's lines (a long heading wraps).
_KEY = 10
#: The widest line (half-width cells) that is an entry without leaders.
_ENTRY_WIDTH = 70
#: An entry without marker or leaders must be short (前 言, 结束语).
_UNMARKED_WIDTH = 30
#: The longest line (characters) that is a head: "目　　录" with spaces.
_HEAD_WIDTH = 12
#: How many entries with leaders and page numbers make a table of contents without a head.
_MIN_LEADERS = 3


@functools.cache
def _heads() -> frozenset[str]:
    data = tomllib.loads(
        resources.files("policykg.loaders").joinpath("lexicons", "contents.toml")
        .read_text(encoding="utf-8")
    )
    return frozenset(data["heads"])


@dataclass(frozen=True, slots=True)
class Contents:
    """A table of contents: its head line (None when it has none) and its entries' lines."""

    head: int | None
    lines: tuple[int, ...]
    #: the entries as printed (a line holding several is split), leaders and pages cut off
    entries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Line:
    entries: tuple[str, ...]   # the line's entries, leaders and page numbers cut off
    keys: tuple[str, ...]      # what of each entry is compared with the body
    leaders: int               # how many of its entries end in leaders
    paged: int                 # how many of those end in a page number
    norm: str                  # the whole line as compared with an entry's key
    marked: bool               # opens with a heading marker
    sentence: bool             # holds a sentence's end
    width: int


def _norm(text: str) -> str:
    """What of a heading is compared: no marker, no punctuation or spaces."""
    text = MARKER_RE.sub("", text, count=1)
    return _NOT_WORD_RE.sub("", text)


def _read(text: str) -> _Line:
    t = unicodedata.normalize("NFKC", text).strip()
    entries: list[str] = []
    leaders = paged = 0
    at = 0
    for m in LEADER_RE.finditer(t):
        if m.start() == 0 and not entries and at == 0:
            # leaders alone: the end of an entry wrapped onto this line
            leaders += 1
            paged += m.group("page") is not None
            at = m.end()
            continue
        piece = t[at:m.start()].strip()
        if piece:
            entries.append(piece)
            leaders += 1
            paged += m.group("page") is not None
        at = m.end()
    rest = t[at:].strip()
    if rest:
        entries.append(rest)
    return _Line(
        entries=tuple(entries),
        keys=tuple(_norm(e)[:_KEY] for e in entries),
        leaders=leaders,
        paged=paged,
        norm=_norm(LEADER_RE.sub(" ", t)),
        marked=MARKER_RE.match(t) is not None,
        sentence=_SENTENCE_RE.search(t) is not None,
        width=display_width(t),
    )


@functools.cache
def _head_lines() -> re.Pattern[str]:
    """Lines of a joined text that are a head with spaces anywhere (``_is_head`` then checks
    the width)."""
    gap = r"[^\S\n]*"  # spaces, not the end of the line
    heads = "|".join(gap.join(map(re.escape, h)) for h in sorted(_heads()))
    return re.compile(rf"^{gap}(?:{heads}){gap}$", re.MULTILINE)


def _is_head_word(text: str) -> bool:
    """Whether ``text`` is a head's word with spaces anywhere (目 录)."""
    return _SPACE_RE.sub("", text) in _heads()


def _is_head(text: str) -> bool:
    return len(text) <= _HEAD_WIDTH and _is_head_word(text)


class _Body:
    """A file's lines, each read when first asked about, and where an entry's words are
    printed again."""

    def __init__(self, lines: Sequence[SourceLine]) -> None:
        self.lines = lines
        self._read: dict[int, _Line] = {}
        self._starts: str | None = None
        self._offsets: list[int] = []

    def __len__(self) -> int:
        return len(self.lines)

    def read(self, index: int) -> _Line:
        r = self._read.get(index)
        if r is None:
            r = self._read[index] = _read(self.lines[index].text)
        return r

    def printed_after(self, key: str, index: int) -> bool:
        """Whether a line after ``index``, or a sentence in it, starts with ``key``."""
        if len(key) < 2:
            return False
        if self._starts is None:
            # each line's and each sentence's start, one a line, in one string
            parts: list[str] = []
            at = 0
            for s in self.lines:
                self._offsets.append(at)
                t = unicodedata.normalize("NFKC", s.text)
                for piece in _SENTENCE_START_RE.split(t):
                    if piece:
                        part = "\n" + _norm(piece)
                        parts.append(part)
                        at += len(part)
            self._offsets.append(at)
            self._starts = "".join(parts)
        if index + 1 >= len(self.lines):
            return False
        return self._starts.find("\n" + key, self._offsets[index + 1]) >= 0

    def is_entry(self, index: int) -> bool:
        r = self.read(index)
        if not r.entries:
            return r.leaders > 0  # leaders (and a page number) alone
        if r.leaders:
            return True
        if r.sentence or r.width > _ENTRY_WIDTH:
            return False
        if r.marked:
            return True
        return r.width <= _UNMARKED_WIDTH and self.printed_after(r.keys[0], index)


def _run(body: _Body, start: int, head: bool) -> tuple[int, int] | None:
    """The lines ``[start, end)`` of a table of contents whose first entry is at ``start``."""
    read = body.read
    first: str | None = None
    end = start
    body_start = False
    while end < len(body):
        r = read(end)
        if head and end > start and _is_head_line(r):
            end += 1  # the head printed again above the next page of the contents
            continue
        if first is not None and not r.leaders and r.norm.startswith(first):
            body_start = True  # the body's first heading
            break
        if not body.is_entry(end):
            break
        if first is None and r.keys:
            first = r.keys[0] if len(r.keys[0]) >= 2 else None
        end += 1
    # entries at the end printed nowhere after are the body's own headings
    while not body_start and end > start and not read(end - 1).leaders and not any(
            body.printed_after(k, end - 1) for k in read(end - 1).keys):
        end -= 1
    if end == start:
        return None
    run = [read(k) for k in range(start, end)]
    keys = [k for r in run for k in r.keys if len(k) >= 2]
    again = sum(1 for k in keys if body.printed_after(k, end - 1))
    # most entries are printed again; under a head, the body's first heading repeating the
    # first entry is proof enough where a damaged text layer spells the rest apart (468 西安)
    if again < 2 or (2 * again < len(keys) and not (head and body_start)):
        return None
    if not head and sum(r.paged for r in run) < _MIN_LEADERS:
        return None
    return start, end


def _is_head_line(r: _Line) -> bool:
    return len(r.entries) == 1 and not r.leaders and _is_head_word(r.entries[0])


def find_contents(lines: Sequence[SourceLine]) -> list[Contents]:
    """The tables of contents among a file's kept lines, in order.

    >>> lines = [SourceLine(number=n, text=t) for n, t in enumerate([
    ...     "规划", "目 录", "第一章 总则……1", "第二章 任务……3", "第一章 总则", "第一条 为了…。",
    ...     "第二章 任务", "第二条 加强…。"], start=1)]
    >>> [(c.head, c.lines, c.entries) for c in find_contents(lines)]
    [(2, (2, 3, 4), ('第一章 总则', '第二章 任务'))]
    """
    # where one may start (most lines never do): a head, or leaders on three lines running;
    # found in one scan of the joined text (a search per line cost twice as much)
    text = "\n".join(s.text for s in lines)
    line_starts = list(itertools.accumulate((len(s.text) + 1 for s in lines[:-1]), initial=0))
    leads = {bisect.bisect_right(line_starts, m.start()) - 1
             for m in _ANY_LEADER_RE.finditer(text)}
    heads = {i for i in {bisect.bisect_right(line_starts, m.start()) - 1
                         for m in _head_lines().finditer(text)} if _is_head(lines[i].text)}
    starts = sorted(heads | {i for i in leads if all(
        k in leads for k in range(i, min(i + _MIN_LEADERS, len(lines))))})
    body = _Body(lines)
    found: list[Contents] = []
    end = 0
    for i in starts:
        if i < end:
            continue
        head = i in heads
        run = None if not head and not body.read(i).paged else _run(
            body, i + 1 if head else i, head)
        if run is None:
            continue
        start, end = run
        numbers = tuple(s.number for s in lines[i if head else start:end])
        entries = tuple(e for k in range(start, end) for e in body.read(k).entries)
        found.append(Contents(head=lines[i].number if head else None, lines=numbers,
                              entries=entries))
    return found


def set_aside_contents(cleaned: CleanedLines) -> CleanedLines:
    """``cleaned`` with the lines of its tables of contents moved to its furniture.

    Each line becomes a ``Furniture`` of kind ``contents`` and an artifact, so the line
    account still holds it; the line after a table of contents is ``fresh`` (it follows a
    gap), and a PDF's page starts are its pages' first kept lines again.
    """
    found = find_contents(cleaned.lines)
    if not found:
        return cleaned
    aside = {n for c in found for n in c.lines}
    kept = tuple(s for s in cleaned.lines if s.number not in aside)
    furniture = sorted(
        [*cleaned.furniture,
         *(Furniture(kind=FurnitureKind.CONTENTS, line=s.number, page=s.page or 0, text=s.text)
           for s in cleaned.lines if s.number in aside)],
        key=lambda f: (f.line, f.partial))
    after = {c.lines[-1] for c in found}
    fresh = set(cleaned.fresh)
    for prev, line in zip(cleaned.lines, cleaned.lines[1:], strict=False):
        if prev.number in after:
            fresh.add(line.number)
    page_starts = cleaned.page_starts
    if cleaned.pages is not None:
        seen: set[int | None] = set()
        starts = set()
        for s in kept:
            if s.page not in seen:
                seen.add(s.page)
                starts.add(s.number)
        page_starts = frozenset(starts)
    return dataclasses.replace(
        cleaned, lines=kept, artifacts=tuple(sorted({*cleaned.artifacts, *aside})),
        furniture=tuple(furniture), fresh=frozenset(fresh), page_starts=page_starts)
