"""Metadata completed from the corpus: a 文号 or date another document prints for a document.

A document whose own text prints no 发文字号 or no date takes it from the documents that cite
it with one, with the citing line as provenance (``Document.inferred``):

- a 文号 in brackets right after the cited title: line 39302-39304,
  "《中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见》（中发〔2021〕36号）";
- a full date just before the verb that issued it: "2021年9月22日，中共中央、国务院印发《…》".

Only citations already resolved to the document count (``loaders.citations``), a value is
never newer than the citing document, and when citing documents disagree the value most of
them print wins (a tie: nothing is inferred).  A value printed in the document itself always
wins over any inferred one.  Must not import rdflib, networkx or anything of ``graph``/``viz``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

from policykg.loaders.header import find_doc_number, parse_date
from policykg.records import Citation, DateSource, Document, Inferred, Paragraph

__all__ = ["Evidence", "citation_evidence", "infer_metadata"]

logger = logging.getLogger(__name__)

# The bracketed 文号 right after a cited title: "》（中发〔2021〕36号）" (line 39304).
_NUMBER_AFTER = re.compile(
    r"""\s* (?P<bracketed> [（(] \s* [^（）()《》，。、；\s]{1,14} \s*
        [〔\[［【(（﹝] \s* \d{4} \s* [〕\]］】)）﹞] \s* \d{1,4} \s* 号 \s* [）)] )""",
    re.VERBOSE,
)
# A full date before the verb that issued the cited document, in the same clause:
# "2021年9月22日，中共中央、国务院印发" (the words right before 《…》).
_DATE_BEFORE = re.compile(
    r"""(?P<date> \d{4} \s* 年 \s* \d{1,2} \s* 月 \s* \d{1,2} \s* 日 )
        [^。；《》]{0,30}? (?:印发|发布|出台|公布|下发) (?:了|的)? \s* $""",
    re.VERBOSE,
)
_SPACE = re.compile(r"\s+")

#: What a citing document prints beside a cited title: (field, value, line, quoted text).
Evidence = list[tuple[str, str, int, str]]


def _title_spans(title: str, text: str) -> Iterator[tuple[int, int]]:
    """Where ``text`` prints ``《title》`` (the spans ``re.finditer`` gives for
    ``《\\s*c\\s*c…\\s*》``): the title as printed may be broken by spaces the normalised
    title lost.  Scanned, not compiled: a regex per cited title cost more than the search."""
    chars = _SPACE.sub("", title)
    at = text.find("《")
    while at >= 0:
        i = at + 1
        for ch in chars:
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text) or text[i] != ch:
                break
            i += 1
        else:
            while i < len(text) and text[i].isspace():
                i += 1
            if i < len(text) and text[i] == "》":
                yield at, i + 1
                at = text.find("《", i + 1)
                continue
        at = text.find("《", at + 1)


def _evidence(citation: Citation, paragraph: Paragraph) -> Evidence:
    """(field, value, line, quoted text) that the citing paragraph prints for the title."""
    found: Evidence = []
    for m_start, m_end in _title_spans(citation.cited_title, paragraph.text):
        line = paragraph.line_at(m_start)
        if citation.line not in (line, paragraph.line_at(m_end - 1)):
            continue
        after = _NUMBER_AFTER.match(paragraph.text, m_end)
        if after is not None:
            number = find_doc_number(after.group("bracketed"))
            if number is not None:
                quote = paragraph.text[m_start:after.end()]
                found.append(("doc_number", number[0], line, quote))
        start = max(0, m_start - 48)
        before = _DATE_BEFORE.search(paragraph.text[start:m_start])
        if before is not None:
            date = parse_date(_SPACE.sub("", before.group("date")))
            if date is not None and len(date) == 10:
                quote = paragraph.text[start + before.start():m_end]
                found.append(("date", date, paragraph.line_at(start + before.start()), quote))
    return found


def _not_newer(value: str, field: str, citing: Document) -> bool:
    if field == "date":
        return citing.date is None or value[: len(citing.date)] <= citing.date
    year = re.search(r"\d{4}", value)
    return citing.year is None or year is None or int(year.group()) <= citing.year


def citation_evidence(citation: Citation, citing: Document) -> Evidence:
    """What ``citing`` prints for the title ``citation`` cites, in the paragraphs holding
    the citation's line: a 文号 right after it, a date before the verb that issued it."""
    found: Evidence = []
    for paragraph in citing.paragraphs:
        if paragraph.start_line <= citation.line <= paragraph.end_line:
            found += _evidence(citation, paragraph)
    return found


def infer_metadata(
    documents: Sequence[Document], citations: Sequence[Citation],
    evidence: Callable[[Citation, Document], Evidence] = citation_evidence,
) -> list[Document]:
    """Return ``documents`` with a missing 文号 or date taken from the documents citing them.

    Each value taken is recorded in the document's ``inferred`` with the citing document,
    line and text; a date taken sets ``date_source`` to ``cited`` and the year.
    ``evidence``: what finds a citation's evidence (a store change passes one that reuses
    the earlier results of the citing documents it has not re-read).
    """
    by_id = {d.id: d for d in documents}
    votes: dict[tuple[str, str], list[Inferred]] = {}
    for c in citations:
        cited = by_id.get(c.cited_doc_id or "")
        citing = by_id.get(c.doc_id)
        if cited is None or citing is None or cited.id == citing.id:
            continue
        if cited.doc_number and cited.date:
            continue
        for field, value, line, quote in evidence(c, citing):
            if getattr(cited, field) or not _not_newer(value, field, citing):
                continue
            votes.setdefault((cited.id, field), []).append(Inferred(
                field=field, value=value, doc_id=citing.id, file=citing.file, line=line,
                text=quote))
    out = []
    for doc in documents:
        taken: list[Inferred] = []
        for field in ("doc_number", "date"):
            seen = votes.get((doc.id, field), [])
            if not seen:
                continue
            ranked = Counter(v.value for v in seen).most_common()
            if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
                logger.info("%s: citing documents disagree on its %s: %s", doc.id, field, ranked)
                continue
            taken.append(next(v for v in seen if v.value == ranked[0][0]))
        if not taken:
            out.append(doc)
            continue
        changes: dict[str, object] = {"inferred": (*doc.inferred, *taken)}
        for t in taken:
            changes[t.field] = t.value
            if t.field == "date":
                changes["date_source"] = DateSource.CITED
                changes["year"] = int(t.value[:4])
        out.append(dataclasses.replace(doc, **changes))  # type: ignore[arg-type]
    return out
