"""Read a PDF's text layer: bytes of a PDF -> pages of text lines, deterministically.

The text comes from pypdfium2 (PDFium, BSD/Apache), chosen by measurement on the development
corpus (``bench/pdf_libraries.py``, README "PDF input"). ``read_pdf`` is a pure function of
the file's bytes, so it can run in a process pool. Imports only the standard library,
``policykg`` and pypdfium2 (inside functions); must not import rdflib, networkx, pyvis, spaCy
or jieba.

Lines are numbered through the whole file (page 1's lines first), so a line number alone
finds a line and ``policykg text FILE`` shows both page and line.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.errors import (
    DamagedPdfError,
    EmptyInputError,
    EncryptedPdfError,
    Errors,
    ScannedPdfError,
)
from policykg.records import Problem, SourceLine, Span

__all__ = [
    "PDF_MAGIC",
    "PdfPage",
    "PdfText",
    "is_pdf",
    "parse_pdf",
    "read_pdf",
]

logger = logging.getLogger(__name__)

#: Every PDF starts with this signature (within its first 1024 bytes, per ISO 32000).
PDF_MAGIC = b"%PDF-"

# PDFium's FPDF_GetLastError codes for a document it cannot open.
_ERR_FILE = 2
_ERR_FORMAT = 3
_ERR_PASSWORD = 4
_ERR_SECURITY = 5

# Line breaks PDFium writes between text lines (\r\n), and the odd lone one.
_BREAK_RE = re.compile(r"\r\n|\r|\n")

# Glyphs with no Unicode meaning: the private-use areas (a font's own codes: "" printed for
# 一 by some 方正 fonts), U+FFFD and the C0 controls PDFium emits for unmapped character codes
# (\x02 for a hyphen it cannot place, \x00-\x1f for codes without a ToUnicode entry).
_UNMAPPED_RE = re.compile(
    "[\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd\ufffe\x00-\x08\x0b\x0c\x0e-\x1f]"
)

# A page with fewer non-space characters than this has no usable text layer.
_MIN_PAGE_CHARS = 1
# A file whose pages hold on average fewer than this many characters is a scan.
_MIN_FILE_CHARS = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class PdfPage:
    """One page's text lines in reading order, right-stripped; ``number`` is 1-based."""

    number: int
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PdfText:
    """The text layer of one PDF file and the problems found reading it."""

    file: str
    pages: tuple[PdfPage, ...]
    problems: tuple[Problem, ...] = field(default=())

    def source_lines(self) -> list[SourceLine]:
        """Every line of every page, numbered through the file, each with its page.

        Blank lines keep their number (with empty text), so numbers match ``policykg text``.
        """
        out: list[SourceLine] = []
        number = 0
        for page in self.pages:
            for text in page.lines:
                number += 1
                out.append(SourceLine(number=number, text=text, page=page.number))
        return out

    @property
    def text(self) -> str:
        """All lines joined with newlines (pages follow each other with no marker)."""
        return "\n".join(s.text for s in self.source_lines())


def is_pdf(data: bytes) -> bool:
    """Return True when ``data`` starts like a PDF (``%PDF-`` in the first 1024 bytes).

    >>> is_pdf(b"%PDF-1.7\\n"), is_pdf("碳达峰".encode())
    (True, False)
    """
    return PDF_MAGIC in data[:1024]


def read_pdf(path: Path, name: str | None = None) -> PdfText:
    """Read a PDF file's text layer.

    Args:
        path: the PDF file.
        name: the file name used in provenance and messages (default: ``path.name``).

    Returns:
        The pages and their lines, and a P001 problem per page holding unmapped glyphs.

    Raises:
        EmptyInputError: the file is empty.
        EncryptedPdfError: the file needs a password.
        DamagedPdfError: PDFium cannot parse the file or it has no pages.
        ScannedPdfError: no page has a text layer (an image of a printout).
    """
    label = name if name is not None else path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DamagedPdfError(Errors.I004.format(path=path, reason=e.strerror),
                              _span(label)) from e
    return parse_pdf(data, label)


def _span(name: str, page: int | None = None, line: int = 1) -> Span:
    return Span(file=name, start_line=line, end_line=line, page=page)


def parse_pdf(data: bytes, name: str) -> PdfText:
    """Extract the text lines of every page of the PDF in ``data``.

    Args:
        data: the bytes of a PDF file.
        name: the file name used in provenance and messages.

    Returns:
        The pages of text lines and the problems found (P001 unmapped glyphs, P002 a page
        without text among pages with text).

    Raises:
        EmptyInputError, EncryptedPdfError, DamagedPdfError, ScannedPdfError: as ``read_pdf``.
    """
    import pypdfium2 as pdfium

    if not data.strip():
        raise EmptyInputError(Errors.I003_PDF, _span(name))
    if not is_pdf(data):
        raise DamagedPdfError(Errors.I008, _span(name))
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code in (_ERR_PASSWORD, _ERR_SECURITY):
            raise EncryptedPdfError(Errors.I009, _span(name)) from e
        raise DamagedPdfError(Errors.I008_DAMAGED.format(reason=e), _span(name)) from e
    try:
        return _read_pages(doc, name)
    finally:
        doc.close()


def _read_pages(doc: Any, name: str) -> PdfText:
    import pypdfium2 as pdfium

    count = len(doc)
    if count == 0:
        raise DamagedPdfError(Errors.I008_NO_PAGES, _span(name))
    pages: list[PdfPage] = []
    problems: list[Problem] = []
    empty_pages: list[int] = []
    chars = 0
    line_base = 0
    for index in range(count):
        try:
            page = doc[index]
            textpage = page.get_textpage()
            raw = textpage.get_text_range()
            textpage.close()
            page.close()
        except pdfium.PdfiumError as e:
            raise DamagedPdfError(Errors.I008_PAGE.format(page=index + 1, reason=e),
                                  _span(name, index + 1)) from e
        lines = tuple(line.rstrip() for line in _BREAK_RE.split(raw))
        if lines and not lines[-1]:
            lines = lines[:-1]
        page_chars = sum(len(ln.replace(" ", "").replace("\u3000", "")) for ln in lines)
        chars += page_chars
        if page_chars < _MIN_PAGE_CHARS:
            empty_pages.append(index + 1)
        problems.extend(_unmapped(lines, name, index + 1, line_base))
        pages.append(PdfPage(number=index + 1, lines=lines))
        line_base += len(lines)
    if chars < _MIN_FILE_CHARS * count and chars < _MIN_FILE_CHARS * 5:
        raise ScannedPdfError(
            Errors.I010.format(pages=count, chars=chars),
            _span(name)
        )
    for number in empty_pages:
        problems.append(Errors.P002.at(_span(name, number, _first_line(pages, number)),
                                       page=number))
    return PdfText(file=name, pages=tuple(pages), problems=tuple(problems))


def _first_line(pages: list[PdfPage], number: int) -> int:
    """The file-wide number of the first line of page ``number`` (or the line before it)."""
    return max(1, sum(len(p.lines) for p in pages if p.number < number) + 1)


def _unmapped(lines: tuple[str, ...], name: str, page: int, line_base: int) -> list[Problem]:
    """One P001 problem for a page holding private-use or unmapped glyphs."""
    found: Counter[str] = Counter()
    first = last = 0
    for offset, line in enumerate(lines, start=1):
        hits = _UNMAPPED_RE.findall(line)
        if hits:
            found.update(hits)
            first = first or line_base + offset
            last = line_base + offset
    if not found:
        return []
    shown = ", ".join(f"U+{ord(ch):04X}×{n}" for ch, n in sorted(found.items()))
    return [Errors.P001.at(Span(file=name, start_line=first, end_line=last, page=page),
                           page=page, count=sum(found.values()), glyphs=shown)]
