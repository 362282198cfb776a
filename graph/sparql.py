"""SPARQL over the store, with the project prefixes predeclared, and the W3C results formats.

``run_query`` runs on an opened store (pyoxigraph, on disk), a bare ``pyoxigraph.Store``, or
an ``rdflib.Graph`` (rdflib's own engine, the baseline), and always returns rdflib terms.
``serialize`` writes the W3C SPARQL 1.1 results formats (CSV, TSV, JSON, XML) through
pyoxigraph's writers, never by hand; ``format_result`` adds a table for people.  Nothing is
printed.  Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from policykg.errors import Errors, QueryError, StoreError
from policykg.graph.query_guard import check_query
from policykg.ontology import PREFIXES
from policykg.records import Span

__all__ = [
    "FORMATS",
    "QueryResult",
    "format_result",
    "run_query",
    "serialize",
    "short",
    "with_prefixes",
]

logger = logging.getLogger(__name__)

#: Output formats of ``format_result``.
FORMATS: Final = ("table", "csv", "tsv", "json", "xml")

# A prefix the query declares itself, e.g. "PREFIX pkg: <https://w3id.org/policykg/ontology#>"
DECLARED_PREFIX = re.compile(
    r"""(?im)^\s*PREFIX\s+
        (?P<prefix>[A-Za-z][\w.-]*)?   # prefix name, empty for the default prefix
        \s*:""",
    re.VERBOSE,
)

# pyoxigraph's SyntaxError text, e.g. "error at 3:2: expected OPTIONAL"
OXIGRAPH_ERROR = re.compile(
    r"""^error\ at\ (?P<line>\d+):(?P<column>\d+):\s*(?P<message>.*)$""",
    re.VERBOSE | re.DOTALL,
)

_TERM = Node | None
_SPO: Final = ("subject", "predicate", "object")


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryResult:
    """A query's answer: rows of rdflib terms (SELECT), a boolean (ASK) or triples."""

    kind: str  # "select", "ask" or "graph"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[_TERM, ...], ...] = ()
    boolean: bool | None = None

    def values(self) -> list[tuple[Any, ...]]:
        """The rows as Python values (``int``, ``Decimal``, ``date``, ``str`` …; None unbound)."""
        return [tuple(None if t is None else _python(t) for t in row) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def serialize(self, fmt: str) -> bytes:
        """The result in a W3C SPARQL 1.1 results format (``csv``, ``tsv``, ``json``, ``xml``)."""
        return serialize(self, fmt)

    def column(self, name: str) -> list[_TERM]:
        """The values of one variable, in row order."""
        i = self.variables.index(name)
        return [row[i] for row in self.rows]

    def dicts(self) -> list[dict[str, _TERM]]:
        """The rows as dicts of variable → term (unbound variables are None)."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


def _python(term: Node) -> Any:
    return term.toPython() if isinstance(term, Literal | URIRef | BNode) else term


def with_prefixes(text: str, prefixes: dict[str, str] | None = None) -> str:
    """Prepend a PREFIX line for each project prefix the query does not declare itself.

    >>> with_prefixes("PREFIX pkg: <x#> SELECT * {}").count("PREFIX pkg:")
    1
    >>> "PREFIX eli:" in with_prefixes("SELECT * {}")
    True
    """
    declared = {m["prefix"] or "" for m in DECLARED_PREFIX.finditer(text)}
    lines = [
        f"PREFIX {p}: <{ns}>"
        for p, ns in (prefixes or PREFIXES).items()
        if p not in declared
    ]
    return "\n".join([*lines, text]) if lines else text


def _query_error(text: str, line: int | None, message: str) -> QueryError:
    excerpt = ""
    span = None
    if line is not None:
        lines = text.splitlines()
        if 1 <= line <= len(lines):
            excerpt = lines[line - 1].strip()
        span = Span(file="<query>", start_line=line, end_line=line)
    if "Prefix not found" in message:
        said = Errors.Q013_PREFIX.format(prefixes=", ".join(PREFIXES))
    else:
        said = Errors.Q013.format(message=message[:300] + "…" if len(message) > 300 else message)
    return QueryError(said, span=span, excerpt=excerpt)


def _oxigraph_error(text: str, e: SyntaxError) -> QueryError:
    m = OXIGRAPH_ERROR.match(str(e))
    if m is None:
        return _query_error(text, None, str(e))
    return _query_error(text, int(m["line"]), m["message"])


_XSD_STRING: Final = str(XSD.string)


def _plain_literal_maker() -> Callable[[str], Literal]:
    """``Literal(text)`` for a plain string, without rdflib's parsing and normalising, which a
    plain string does not need (0.35 µs a term instead of 2.4–4 µs; results are mostly text).

    It sets the slots rdflib's constructor sets; should a probe built both ways differ in any
    slot, its text, hash or N3 form (another rdflib), the constructor is used instead.
    """

    def plain(text: str) -> Literal:
        literal = str.__new__(Literal, text)
        literal._language = None
        literal._datatype = None
        literal._value = text
        literal._ill_typed = None
        return literal

    def constructed(text: str) -> Literal:
        return Literal(text, normalize=False)

    probe = "探针 probe"
    try:
        fast, slow = plain(probe), Literal(probe)
        same = (all(getattr(fast, k) == getattr(slow, k) for k in Literal.__slots__)
                and fast == slow and hash(fast) == hash(slow) and fast.n3() == slow.n3())
    except (AttributeError, TypeError):
        same = False
    return plain if same else constructed


_plain_literal: Final = _plain_literal_maker()


def _converter() -> Callable[[Any], _TERM]:
    """A function turning pyoxigraph terms into rdflib terms, remembering the terms it has
    made for as long as it lives (one result): a count or a label repeated down a column is
    built once (an rdflib ``Literal`` costs 4–10 µs, looking it up 0.1 µs)."""
    import pyoxigraph

    made: dict[Any, _TERM] = {}

    def convert(term: Any) -> _TERM:
        if term is None:
            return None
        out = made.get(term)
        if out is not None:
            return out
        if isinstance(term, pyoxigraph.NamedNode):
            out = URIRef(term.value)
        elif isinstance(term, pyoxigraph.Literal):
            if term.language:
                out = Literal(term.value, lang=term.language)
            else:
                datatype = term.datatype.value
                out = (_plain_literal(term.value) if datatype == _XSD_STRING
                       else Literal(term.value, datatype=URIRef(datatype)))
        elif isinstance(term, pyoxigraph.BlankNode):
            out = BNode(term.value)
        else:
            raise QueryError(Errors.Q014.format(term=term))
        made[term] = out
        return out

    return convert


def _run_oxigraph(store: Any, text: str) -> QueryResult:
    import pyoxigraph

    try:
        answer = store.query(text, prefixes=dict(PREFIXES))
    except SyntaxError as e:
        raise _oxigraph_error(text, e) from e
    except OSError as e:
        raise QueryError(Errors.Q015.format(reason=e)) from e
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    if isinstance(answer, pyoxigraph.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        convert = _converter()
        rows = tuple(tuple(map(convert, solution)) for solution in answer)
        return QueryResult(kind="select", variables=variables, rows=rows)
    convert = _converter()
    triples = tuple(
        (convert(t.subject), convert(t.predicate), convert(t.object)) for t in answer
    )
    return QueryResult(kind="graph", variables=_SPO, rows=triples)


def _plain(term: Any) -> _TERM:
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term if isinstance(term, Node) else None


def _run_rdflib(graph: rdflib.Graph, text: str) -> QueryResult:
    from pyparsing import ParseException

    try:
        answer = graph.query(text, initNs=dict(PREFIXES))
    except ParseException as e:
        raise _query_error(text, e.lineno, e.msg) from e
    except SyntaxError as e:  # an rdflib.Graph over Oxigraph (oxrdflib) parses with Oxigraph
        raise _oxigraph_error(text, e) from e
    except Exception as e:
        # rdflib raises a bare Exception("Unknown namespace prefix : foo") for an undeclared
        # prefix; anything of a more specific type is a bug and propagates unchanged.
        if type(e) is not Exception:
            raise
        raise _query_error(text, None, str(e)) from e
    if answer.type == "ASK":
        return QueryResult(kind="ask", boolean=bool(answer.askAnswer))
    if answer.type == "SELECT":
        variables = tuple(str(v) for v in answer.vars or ())
        rows = tuple(tuple(_plain(x) for x in row) for row in answer)  # type: ignore[union-attr]
        return QueryResult(kind="select", variables=variables, rows=rows)
    g = answer.graph
    assert g is not None
    spo = tuple((s, p, o) for s, p, o in g)
    return QueryResult(kind="graph", variables=_SPO, rows=spo)


def run_query(store: Any, text: str, *, allow_federation: bool = False) -> QueryResult:
    """Run a SPARQL query with the project prefixes predeclared.

    The query first passes ``query_guard.check_query``: too long, nested too deep (which
    would overflow the engine's stack) or federated (``SERVICE``, unless
    ``allow_federation``) is a ``QueryError`` before any engine sees it.

    Args:
        store: an opened store (``graph.store.open_store``), a ``pyoxigraph.Store``, or an
            ``rdflib.Graph`` (rdflib's own engine).
        text: the query; PREFIX lines it declares itself win over the project's.

    Raises:
        QueryError: the query is malformed (with the parser's message and line) or failed.
    """
    if not text.strip():
        raise QueryError(Errors.Q012)
    check_query(text, allow_federation=allow_federation)
    if isinstance(store, rdflib.Graph):
        return _run_rdflib(store, text)
    inner = getattr(store, "store", store)
    if not hasattr(inner, "query"):
        raise QueryError(Errors.Q016.format(type=type(store).__name__))
    try:
        return _run_oxigraph(inner, text)
    except RuntimeError as e:
        # RocksDB reports a corrupt block met while reading (not at open) as a RuntimeError
        where = getattr(store, "path", "the store")
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise StoreError(Errors.S004.format(path=where, reason=first)) from e


# ---------------------------------------------------------------- formats


def short(term: _TERM) -> str:
    """A term as people read it: a project IRI as ``prefix:name``, a literal as its text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _table(result: QueryResult, max_cell: int = 60) -> str:
    from policykg.display import table

    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    body = table(result.variables, ([short(t) for t in row] for row in result.rows),
                 max_width=max_cell, sep=" | ", rule=True)
    n = len(result.rows)
    return f"{body}\n({n} row{'s' if n != 1 else ''})\n"


def _rdflib_json(result: QueryResult) -> bytes:
    """The result in the SPARQL 1.1 JSON format, written by rdflib's serializer."""
    from rdflib.query import Result
    from rdflib.term import Variable

    if result.kind == "ask":
        answer = Result("ASK")
        answer.askAnswer = bool(result.boolean)
    else:
        answer = Result("SELECT")
        answer.vars = [Variable(v) for v in result.variables]
        answer.bindings = [
            {Variable(v): t for v, t in zip(result.variables, row, strict=True)
             if isinstance(t, URIRef | BNode | Literal)}
            for row in result.rows
        ]
    out = answer.serialize(format="json")
    assert isinstance(out, bytes)
    return out


def serialize(result: QueryResult, fmt: str) -> bytes:
    """The result in a W3C SPARQL 1.1 results format: ``csv``, ``tsv``, ``json`` or ``xml``.

    pyoxigraph writes every format from the JSON rdflib's writer makes of the rows (the
    engines' terms are converted once, as they are read); nothing is formatted by hand here.

    Raises:
        QueryError: unknown format.
    """
    import pyoxigraph

    formats = {
        "csv": pyoxigraph.QueryResultsFormat.CSV,
        "tsv": pyoxigraph.QueryResultsFormat.TSV,
        "json": pyoxigraph.QueryResultsFormat.JSON,
        "xml": pyoxigraph.QueryResultsFormat.XML,
    }
    if fmt not in formats:
        raise QueryError(Errors.Q017.format(fmt=fmt, formats=", ".join(FORMATS)))
    parsed = pyoxigraph.parse_query_results(_rdflib_json(result),
                                            format=pyoxigraph.QueryResultsFormat.JSON)
    out = parsed.serialize(format=formats[fmt])
    assert isinstance(out, bytes)
    return out


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Return the result as a ``table`` for people, or a W3C format (``serialize``).

    Raises:
        QueryError: unknown format.
    """
    if fmt == "table":
        return _table(result)
    text = serialize(result, fmt).decode("utf-8")
    return text if text.endswith("\n") or not text else text + "\n"
