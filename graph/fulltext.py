"""Ranked text search: the one ranking rule of ``policykg search`` (paragraphs) and ``who`` (tasks).

A query arrives with its jieba segmentation (``loaders.nlp.segment``, called by the API: graph
never imports jieba).  Texts are not segmented: a query word counts where it occurs as a
substring, which suits unsegmented Chinese.  The rule, in order of precedence:

1. a text holding the whole query as a phrase (spaces aside) ranks first;
2. then texts holding more of the query's distinct words;
3. then BM25 over the words (k1 1.2, b 0.75); ties keep corpus order.

A query of several words must have most of them in a text (``min_match``): 量子计算 is
segmented 量子 / 计算 and never matches a text that says only 计算.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policykg.lookupindex import (
    K1,
    STOP_WORDS,
    B,
    TextIndex,
    compact,
    min_match,
    phrase_pattern,
    query_terms,
)
from policykg.records import Document, Paragraph, Section

__all__ = [
    "K1",
    "STOP_WORDS",
    "B",
    "Ranked",
    "SearchHit",
    "min_match",
    "query_terms",
    "rank",
    "search",
]

@dataclass(frozen=True, slots=True, kw_only=True)
class Ranked:
    """One text that matches: its index among the texts and why it ranks where it does."""

    index: int
    phrase: bool
    matched: tuple[str, ...]
    score: float


def rank(query: str, tokens: Sequence[str], texts: Sequence[str]) -> list[Ranked]:
    """Rank ``texts`` for a query by the module's rule; only texts that match come back.

    Args:
        query: the query as typed (for the phrase test).
        tokens: the query's segmentation.
        texts: the texts to rank, in corpus order.

    >>> [r.index for r in rank("量子计算", ["量子", "计算"],
    ...                          ["云计算", "量子 计算", "量子通信和计算"])]
    [1, 2]
    """
    return [Ranked(index=i, phrase=p, matched=m, score=s)
            for i, p, m, s in TextIndex(texts).rank(query, tokens)]


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """A paragraph matching a search, with where it stands and where the words are."""

    doc_id: str
    title: str
    section: tuple[str, ...]  # heading path, outermost first
    file: str
    page: int | None
    line: int  # source line of the first matched word
    start_line: int
    end_line: int
    text: str  # the whole paragraph
    matches: tuple[tuple[int, int], ...]  # character spans of the matched words in ``text``
    phrase: bool
    words: tuple[str, ...]  # the query words the paragraph holds
    score: float

    def snippet(self, width: int = 80) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A window of about ``width`` characters around the first match, and the match
        spans inside it (an ellipsis marks cut text)."""
        if len(self.text) <= width:
            return self.text, self.matches
        first = self.matches[0][0] if self.matches else 0
        start = max(0, min(first - width // 4, len(self.text) - width))
        end = start + width
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(self.text) else ""
        spans = tuple(
            (max(s, start) - start + len(prefix), min(e, end) - start + len(prefix))
            for s, e in self.matches if e > start and s < end
        )
        return prefix + self.text[start:end] + suffix, spans


def _spans(text: str, query: str, words: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Character spans of the phrase (spaces allowed inside) or else of each word."""
    found: list[tuple[int, int]] = []
    phrase = compact(query)
    if phrase:
        found = [m.span() for m in phrase_pattern(phrase).finditer(text)]
    if not found:
        for word in words:
            found += [m.span() for m in re.finditer(re.escape(word), text)]
    merged: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


def section_at(doc: Document, line: int) -> Section | None:
    """The innermost section of ``doc`` holding source line ``line``."""
    starts = [s.start_line for s in doc.sections]
    i = bisect.bisect_right(starts, line)
    for s in reversed(doc.sections[:i]):
        if s.start_line <= line <= s.end_line:
            return s
    return None


def search(query: str, tokens: Sequence[str], documents: Sequence[Document],
           limit: int = 20) -> list[SearchHit]:
    """Search every paragraph of ``documents`` (which must carry paragraphs).

    Args:
        query: the query as typed.
        tokens: its segmentation.
        documents: the documents to search, in corpus order.
        limit: how many hits (0 or less: all).

    Returns:
        The hits, best first (see the module's rule).
    """
    where: list[tuple[Document, Paragraph]] = [
        (d, p) for d in documents for p in d.paragraphs
    ]
    ranked = rank(query, tokens, [p.text for _, p in where])
    chosen = ranked if limit <= 0 else ranked[:limit]
    hits = []
    for r in chosen:
        doc, para = where[r.index]
        spans = _spans(para.text, query, r.matched)
        first = spans[0][0] if spans else 0
        line = para.line_at(first)
        section = section_at(doc, line)
        hits.append(SearchHit(
            doc_id=doc.id, title=doc.title,
            section=section.path if section is not None else (),
            file=doc.file, page=getattr(para, "page", None), line=line,
            start_line=para.start_line, end_line=para.end_line, text=para.text,
            matches=spans, phrase=r.phrase, words=r.matched, score=r.score,
        ))
    return hits
