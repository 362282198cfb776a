"""Read a document's header and sign-off: title, 发文字号, date, issuers, source address.

Standard library and ``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or
jieba.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from loaders.lines import display_width, join_text
from policykg.records import DateSource, Problem, SourceLine

__all__ = ["Header", "read_header"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Header:
    """The metadata read from a document's first and last lines."""

    title: str
    title_lines: int
    doc_number: str | None = None
    date: str | None = None
    date_source: DateSource | None = None
    year: int | None = None
    issuers: tuple[str, ...] = ()
    url: str | None = None
    problems: tuple[Problem, ...] = field(default=())


def read_header(lines: Sequence[SourceLine], *, title_start: str | None = None) -> Header:
    """Read the title (joined over its wrapped lines) of a document block.

    Args:
        lines: the document's kept lines; the first holds the title.
        title_start: the title text on the first line when a printed number precedes it.

    Returns:
        The header fields found.
    """
    first = title_start if title_start is not None else lines[0].text
    parts = [first]
    used = 1
    for line in lines[1:3]:
        if display_width(line.text) > 40 or line.text[-1] in "。；，：":
            break
        parts.append(line.text)
        used += 1
        if display_width(line.text) < 30:
            break
    return Header(title=join_text(parts), title_lines=used)
