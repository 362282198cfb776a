"""Checks a SPARQL query must pass before any engine sees it: size, nesting and federation.

Oxigraph's parser and evaluator recurse: a query nested a few thousand ``{`` deep overflows
the stack of the process running it (the CLI died with SIGSEGV at 3,000, the server at
2,500).  ``SERVICE`` makes the engine call any address the query names.  Both are refused
here, from the query's text alone, before parsing.  Strings, IRIs and comments are skipped,
so ``"{"``, ``<http://x/{>`` or ``# SERVICE`` count for nothing.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from policykg.errors import Errors, QueryError

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "QueryShape",
    "check_query",
    "query_shape",
]

#: Deepest nesting of ``{ ( [`` accepted; real queries stay under 20.
MAX_DEPTH: Final = 64
#: Longest query accepted, in characters (a VALUES block of some thousand IRIs fits).
MAX_LENGTH: Final = 1_000_000

# What the scanner skips or counts, in the order tried at each position.
_TOKEN: Final = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z))
    | (?P<string>'(?:[^'\\\n]|\\.)*(?:'|$)|"(?:[^"\\\n]|\\.)*(?:"|$))
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<word>[?$]?[\w\u00b7-]+(?::[\w.\u00b7-]*)?|:[\w.\u00b7-]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class QueryShape:
    """What the scanner saw: the deepest nesting, the line it is on, and SERVICE lines."""

    depth: int
    depth_line: int
    service_lines: tuple[int, ...]


def query_shape(text: str) -> QueryShape:
    """Scan ``text`` once; strings, IRIs and comments are skipped.

    >>> query_shape('SELECT * { ?s ?p "{{" . { ?s ?p ?o } }').depth
    2
    >>> query_shape("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }").service_lines
    (1,)
    >>> query_shape("SELECT * { ?service ex:SERVICE ?o } # SERVICE").service_lines
    ()
    """
    depth = deepest = 0
    deepest_line = 1
    services: list[int] = []
    line = 1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            if depth > deepest:
                deepest, deepest_line = depth, line
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word" and m.group().upper() == "SERVICE":
            services.append(line)
        line += m.group().count("\n")
    return QueryShape(deepest, deepest_line, tuple(services))


def check_query(
    text: str,
    *,
    max_length: int = MAX_LENGTH,
    max_depth: int = MAX_DEPTH,
    allow_federation: bool = False,
) -> None:
    """Raise ``QueryError`` for a query too long, nested too deep, or federated unasked.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    >>> check_query("SELECT * WHERE " + "{" * 100 + "}" * 100)
    Traceback (most recent call last):
    ...
    policykg.errors.QueryError: [Q010] query nested 100 deep (at most 64)
    """
    if len(text) > max_length:
        raise QueryError(Errors.Q009.format(length=len(text), limit=max_length))
    if (text.count("{") + text.count("(") + text.count("[") <= max_depth
            and "SERVICE" not in text.upper()):
        # the scan cannot fail: it counts no more brackets than the text holds, and a word it
        # reads as SERVICE is in the text's upper case (the scan is ~0.5 ms of Python a query)
        return
    shape = query_shape(text)
    if shape.depth > max_depth:
        raise QueryError(Errors.Q010.format(depth=shape.depth, limit=max_depth))
    if shape.service_lines and not allow_federation:
        lines = ", ".join(map(str, shape.service_lines[:5]))
        raise QueryError(Errors.Q011.format(lines=lines))
