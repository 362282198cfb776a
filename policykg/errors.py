"""The project's one exception hierarchy and the catalogue of problem codes.

Imports only the standard library and ``policykg.records``.
"""

from __future__ import annotations

import unicodedata

from policykg.records import Span

__all__ = [
    "PROBLEM_CODES",
    "AmbiguousError",
    "DamagedPdfError",
    "EmptyInputError",
    "EncodingError",
    "EncryptedPdfError",
    "Errors",
    "GraphError",
    "InputError",
    "NotAPolicyTextError",
    "ParseError",
    "PolicyKGError",
    "QueryError",
    "RegistryError",
    "ScannedPdfError",
    "ShapeViolation",
    "StoreError",
    "one_line",
]

#: Stable, greppable codes of the problems a build reports without stopping.
PROBLEM_CODES: dict[str, str] = {
    "L001": "line not understood",
    "L002": "document number out of sequence",
    "L003": "compilation part heading missing, inferred",
    "L004": "input ends inside a document",
    "L005": "document loaded twice",
    "L006": "document repeated in this file",
    "D001": "document header field not found",
    "A001": "annotation not parsed",
    "A002": "agency not resolved",
    "T001": "target sentence not understood",
    "C001": "citation not resolved",
    "E001": "input decoded from a legacy encoding",
    "P001": "private-use or unmapped glyphs on a PDF page",
    "P002": "PDF page without a text layer",
    "P003": "PDF text layer gives full-width punctuation as ASCII, restored",
}


def one_line(text: str) -> str:
    r"""Escape control characters (a newline in a file name) so a message stays on one line.

    >>> one_line("cannot read x\ny.txt")
    'cannot read x\\ny.txt'
    """
    return "".join(repr(c)[1:-1] if _breaks(c) else c for c in text)


def _breaks(c: str) -> bool:
    """A control or line-separator character (not a space, not an ideographic space)."""
    return unicodedata.category(c) in ("Cc", "Zl", "Zp")


class _WithCodes(type):
    """Give every message of a catalogue class its code: ``Errors.Q001`` → ``[Q001] …``."""

    def __getattribute__(cls, code: str) -> str:
        message = type.__getattribute__(cls, code)
        if code.startswith("_") or not isinstance(message, str):
            return message  # type: ignore[no-any-return]
        return f"[{code}] {message}"


class Errors(metaclass=_WithCodes):
    """The catalogue of user-facing error messages (spaCy's ``Errors`` is the model).

    Call sites raise ``QueryError(Errors.Q001.format(ref=...))``; the code travels with the
    message, so a user's report names it and ``grep Q001`` finds both ends.

    >>> Errors.Q001.format(ref="x")
    "[Q001] no document matches 'x' (see 'policykg docs')"
    """

    # the user's references: documents, agencies, sectors, dates
    Q001 = "no document matches {ref!r} (see 'policykg docs')"
    Q002 = "{ref!r} matches {n} documents; give the id, the 文号 or more of the title"
    Q003 = "no sector is called {text!r} (give a slug, a Chinese or an English label)"
    Q004 = "{text!r} names several sectors: {labels}"
    Q005 = "not a date: {value!r} (give 2021, 2021-10 or 2021-10-24)"
    Q006 = "give a QUERY or --file q.rq"
    Q007 = "{path}: cannot read the query ({reason})"
    Q008 = "nothing to search for in {text!r}"
    # SPARQL refused before any engine sees it (graph/query_guard.py)
    Q009 = "query of {length:,} characters (at most {limit:,})"
    Q010 = "query nested {depth} deep (at most {limit})"
    Q011 = ("federated query (SERVICE on line {lines}) refused: it would make this machine call "
            "another server; allow it explicitly with --allow-federation")
    Q012 = "empty SPARQL query"


class PolicyKGError(Exception):
    """Root of every error this project raises on purpose."""

    def __init__(self, message: str, span: Span | None = None, excerpt: str = "") -> None:
        self.message = message
        self.span = span
        self.excerpt = excerpt
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span is not None else ""
        text = one_line(f"{where}{self.message}")
        if self.excerpt:
            cut = self.excerpt if len(self.excerpt) <= 60 else self.excerpt[:60] + "…"
            text += f"\n    {cut!r}"
        return text


class InputError(PolicyKGError):
    """The input as a whole cannot be used."""

    #: Why a folder build skipped the file, counted in the build summary.
    reason = "unreadable"


class EncodingError(InputError):
    """The input is binary or not text in a known encoding."""

    reason = "binary or undecodable"


class EmptyInputError(InputError):
    """The input holds no text."""

    reason = "empty"


class NotAPolicyTextError(InputError):
    """The input is text, but not a policy document or compilation."""

    reason = "not a policy"


class ParseError(InputError):
    """The input's structure cannot be read."""

    reason = "not understood"


class EncryptedPdfError(InputError):
    """The PDF is encrypted and needs a password to open."""

    reason = "encrypted"


class DamagedPdfError(InputError):
    """The PDF is truncated or damaged: PDFium cannot parse it."""

    reason = "damaged PDF"


class ScannedPdfError(InputError):
    """The PDF has no text layer: its pages are images (a scan)."""

    reason = "scan without text"


class RegistryError(PolicyKGError):
    """A lexicon or registry data file is malformed."""


class QueryError(PolicyKGError):
    """The user's SPARQL query is malformed or failed."""


class AmbiguousError(QueryError):
    """The user's name fits several records; ``candidates`` holds (id, label) pairs."""

    def __init__(self, message: str, candidates: tuple[tuple[str, str], ...] = ()) -> None:
        self.candidates = candidates
        super().__init__(message)


class GraphError(PolicyKGError):
    """The graph could not be built, validated or stored."""


class ShapeViolation(GraphError):
    """The built graph does not conform to the SHACL shapes."""


class StoreError(GraphError):
    """The store directory is missing, damaged or cannot be written."""
