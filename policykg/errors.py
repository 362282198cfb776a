"""The project's one exception hierarchy and the catalogue of problem codes.

Imports only the standard library and ``policykg.records``.
"""

from __future__ import annotations

import unicodedata

from policykg.records import Problem, Span

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
    "ProblemMessage",
    "QueryError",
    "RegistryError",
    "ScannedPdfError",
    "ShapeViolation",
    "StoreError",
    "one_line",
    "problem_messages",
]

def one_line(text: str) -> str:
    r"""Escape control characters (a newline in a file name) so a message stays on one line.

    >>> one_line("cannot read x\ny.txt")
    'cannot read x\\ny.txt'
    """
    return "".join(repr(c)[1:-1] if _breaks(c) else c for c in text)


def _breaks(c: str) -> bool:
    """A control or line-separator character (not a space, not an ideographic space)."""
    return unicodedata.category(c) in ("Cc", "Zl", "Zp")


class ProblemMessage:
    """A catalogued problem (reported, the build goes on): its message template and meaning.

    The code is the attribute's name in ``Errors`` up to any ``_`` (``L002_ORDER`` is an
    L002, whose meaning the entry ``L002`` gives); ``at`` makes the ``Problem`` with the
    template formatted from named fields.
    """

    __slots__ = ("code", "meaning", "name", "template")

    def __init__(self, template: str, *, meaning: str = "") -> None:
        self.template = template
        self.meaning = meaning
        self.name = self.code = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.code = name.split("_")[0]

    def __repr__(self) -> str:
        return f"<{self.name}: {self.template}>"

    def format(self, **fields: object) -> str:
        """The message: the template with ``fields`` filled in."""
        return self.template.format(**fields)

    def at(self, span: Span, excerpt: str = "", **fields: object) -> Problem:
        """The problem at ``span``, its message made from the template and ``fields``.

        >>> Errors.L004.at(Span(file="c.txt", start_line=4013, end_line=4299), doc="p2-1.3")
        Problem(code='L004', span=Span(file='c.txt', start_line=4013, end_line=4299, \
page=None), message='input ends inside document p2-1.3: no source address, no sentence end', \
excerpt='')
        """
        return Problem(code=self.code, span=span, message=self.format(**fields),
                       excerpt=excerpt)


class _WithCodes(type):
    """Give every message of a catalogue class its code: ``Errors.Q001`` → ``[Q001] …``."""

    def __getattribute__(cls, name: str) -> str:
        message = type.__getattribute__(cls, name)
        if name.startswith("_") or not isinstance(message, str):
            return message  # type: ignore[no-any-return]
        return f"[{name.split('_')[0]}] {message}"


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
    # SPARQL run on a store (graph/sparql.py)
    Q013 = "SPARQL syntax error: {message}"
    Q013_PREFIX = ("SPARQL syntax error: unknown prefix (declare it with PREFIX, or use one of: "
                   "{prefixes})")
    Q014 = "unsupported term in a result: {term!r}"
    Q015 = "the query failed: {reason}"
    Q016 = "cannot query a {type}"
    Q017 = "unknown result format {fmt!r} (one of {formats})"
    # the user's requests to the commands and the API (policykg/api.py, cli.py, pipeline.py,
    # graph/search.py)
    Q018 = "no document with id {id!r} in {store} (see 'policykg docs')"
    Q019 = "'viz agency' needs an agency NAME"
    Q019_VIEW = "the agency view needs an agency name"
    Q020 = "no local system of jurisdiction {jurisdiction!r} in the tree"
    Q021 = "--jobs must be 1 or more, not {jobs}"
    Q022 = "no agency is called {text!r}"
    Q023 = "{text!r} names several agencies ({names}); give the full name"
    # inputs that cannot be used (loaders/source.py, pdf.py, documents.py): one line naming
    # the file, exit 2, or the file skipped in a folder
    I001 = "no such file or folder: {path}"
    I002 = "folder holds no file: {path}"
    I002_KINDS = "folder holds no .pdf or .txt file: {path} ({count} other files ignored)"
    I003 = "empty input: {path}"
    I003_PDF = "empty input"
    I004 = "cannot read {path}: {reason}"
    I005 = "binary data, not text (control byte 0x{byte:02x} at byte {offset})"
    I005_BOM = "not valid UTF-8 after its byte-order mark (byte {offset})"
    I005_UTF16 = "not valid UTF-16 (byte {offset})"
    I005_UNDECODABLE = "not UTF-8 or GB18030 text (undecodable byte 0x{byte:02x} at byte {offset})"
    I005_NO_CHINESE = "not UTF-8 text and no Chinese text as GB18030 (byte {offset})"
    I006 = "not a Chinese policy text ({cjk} CJK characters, no policy vocabulary)"
    I006_NO_DOCUMENT = "no policy document found in {files}"
    I007 = "nothing could be read: {count} files skipped ({reasons})"
    I008 = "not a PDF (no %PDF- signature)"
    I008_DAMAGED = "damaged PDF, cannot be parsed ({reason})"
    I008_NO_PAGES = "damaged PDF, no pages"
    I008_PAGE = "damaged PDF, page {page} cannot be read ({reason})"
    I009 = "encrypted PDF, needs a password"
    I010 = "no text layer ({pages} pages, {chars} characters): a scanned image, not text"
    # the store's files and folders (graph/store.py, policykg/fsio.py)
    S001 = "{path}: cannot write ({reason})"
    S002 = "{path}: exists and is not a directory"
    S003 = "{path}: cannot read ({reason})"
    S004 = "{path}: damaged Oxigraph store ({reason}); rebuild with 'policykg build'"
    S005 = "{path}: no Oxigraph store here (run 'policykg build')"
    S006 = "{path}: cannot hold a store (no folder name)"
    S007 = "{path}: cannot take the store's lock {lock} ({reason})"
    S007_FLOCK = "{path}: cannot take the store's lock ({reason})"
    S008 = ("{path}: another policykg process{holder} is writing this store; try again when it "
            "has finished")
    S009 = "{path}: exists and is not a store directory"
    S010 = "{path}: no policykg store here (run 'policykg build')"
    S010_DAMAGED = ("{path}: no policykg store here ({manifest} is missing: a damaged store; "
                    "rebuild it with 'policykg build')")
    S011 = "{path}: not a policykg store (no {manifest}); name another folder"
    S012 = "{path}: damaged manifest ({reason})"
    S012_ENTRY = "{path}: damaged manifest (a file entry lacks {key})"
    S013 = "{path}: not a store of format {format} (rebuild with 'policykg build')"
    S014 = "{path}: the Oxigraph store is missing (rebuild with 'policykg build')"
    S015 = "{path}: not empty and not a policykg store; refusing to replace it"
    S016 = "{path}: cannot write the store ({reason})"
    S017 = ("{path}: the store has no file cache (built by an older policykg); rebuild it with "
            "'policykg build'")
    S018 = ("{path}: built by another version of policykg ({version}); rebuild it from its "
            "input files with 'policykg build'")
    S019 = "{path}: removing {count} documents would leave the store empty"
    # the records of a store (policykg/recordio.py)
    R001 = "{path}: no records here (run 'policykg build')"
    R002 = "{path}: damaged records ({reason})"
    R002_FIELDS = "{path}: damaged records (no {fields})"
    R002_LINE = "{path}:{line}: damaged record ({reason})"
    R003 = "{path}: not a policykg corpus of format {format}"
    R003_INDEX = "{path}: not a policykg index of format {format}"
    R004 = "{where}: expected a list, got {type}"
    R004_OBJECT = "{where}: expected an object for {type}"
    R005 = "{where}: cannot rebuild {type} ({reason})"
    R006 = "unknown record kind {kind!r} (one of {kinds})"
    R007 = "{path}: cannot write records ({reason})"
    R008 = "{path}: damaged cache entry"
    R009 = "the store lacks the cached records of an input file; rebuild it"
    R009_FILE = ("{path}: no cached records of {name} for this version of policykg; rebuild the "
                 "store from its input files with 'policykg build'")
    # the graph: read, exported, validated (graph/export.py, graph/validate.py, graph/push.py)
    G001 = "{path}: cannot read the graph ({reason})"
    G002 = "cannot export a {type}: not a graph or a store"
    G003 = "unknown export format {fmt!r} (one of {formats})"
    G004 = "SHACL validation failed: {reason}"
    G005 = "unknown SHACL engine {engine!r} (one of {engines})"
    G006 = "shacl-rust takes a shapes file (Path), not an rdflib.Graph"
    G007 = "the graph does not conform to the SHACL shapes: {count} violation(s)\n{shown}{more}"
    G008 = "nothing was built: no graph to read"
    # the web: pushing to an endpoint, the Oxigraph server, the query server (graph/push.py,
    # graph/endpoint.py, graph/query_server.py)
    W001 = "not a valid graph IRI: {iri!r}"
    W002 = "push to {url} stopped: it took longer than the deadline of {deadline:g} s (--deadline)"
    W002_RAN_OUT = "{url} push stopped: the deadline of {deadline:g} s ran out (--deadline)"
    W003 = "{url} did not answer within {timeout:g} s (--timeout)"
    W004 = "not an http(s) URL: {url!r}"
    W005 = "cannot reach {url}: {reason}"
    W006 = "{url}: bad answer ({kind})"
    W007 = "{url} answered HTTP {status} {reason}{said}"
    W008 = "the Oxigraph server binary is missing (pip install 'oxigraph>=0.5,<0.6')"
    W009 = "{binary}: cannot run the Oxigraph server ({reason})"
    W010 = ("{binary}: Oxigraph server {version} cannot serve a store written by pyoxigraph "
            "{expected} (install the same version of both)")
    W011 = "cannot start the Oxigraph server ({reason})"
    W012 = "the Oxigraph server exited with status {status}: {last}"
    W013 = "the Oxigraph server at {url} did not answer within {seconds:.0f} s"
    W014 = "{path}: the query process did not start"
    W015 = "{path}: {reason}"
    W016 = "cannot listen on {host}:{port} ({reason})"
    # data files of the graph layer: the sector scheme, the tree's curation (graph/sectors.py,
    # graph/tree.py)
    V001 = "{path}: {reason}"
    V002 = "{path}: placement {n} needs reason and group or parent"
    V003 = "{path}: missing {key}"
    V004 = "{path}: bad title pattern ({reason})"
    V005 = "sector scheme not readable: {path}: {reason}"
    V005_TURTLE = "sector scheme is not valid Turtle: {path}: {reason}"
    V006 = "{path}: {concept} has no skos:prefLabel @{lang}"
    V007 = "{path}: {concept} has no skos:hiddenLabel @zh terms"
    # the loaders' lexicons and registries (loaders/agencies.py, bureaus.py, citations.py,
    # jurisdictions.py)
    V008 = "{path}: not valid TOML: {reason}"
    V008_AT = "not valid TOML: {reason}"
    V009 = "{path}: cannot read the registry: {reason}"
    V010 = "bad [[{table}]] entry: {message}"
    V010_TABLES = "{path}: unknown tables {tables}"
    V010_ARRAY = "{path}: {table!r} must be an array of tables [[{table}]]"
    V011 = "{path}: alias {alias!r} of {id!r} is also {other!r}'s"
    V012 = "{path}: {where}: {key!r} must be a list of strings"
    V012_NAME = "{path}: {where}: 'name' must map ranks {ranks} to names"
    V012_KEYS = "{path}: {where}: unknown keys {keys}"
    V012_NEEDS = "{path}: {where}: needs a known division, bureau and a name"
    V012_TWICE = "{path}: {where}: {key} is overridden twice"
    V012_PREFIXED = "{path}: {where}: 'prefixed' names {names}, which are not its aliases"
    V012_LOWEST = "{path}: {where}: 'lowest' must be one of {ranks}"
    V012_CODES = "{path}: {where}: 'divisions' names {codes}, which are not divisions of the map"
    V013 = "{path}: bureau {id!r} names unknown bureau {ref!r}"
    V013_BRANCH = "{path}: {where}: unknown bureau {bureau!r}"
    V014 = "{path}: short_title entry {n} lacks {key}"
    V014_REASON = "{path}: short_title entry {n} gives no reason"
    V015 = "{path}:{line}: expected code, name, type, parent: {text!r}"
    # the HTML views and the site (viz/render.py, viz/site.py)
    H001 = "{view}: two nodes have the same string id"
    H002 = "{view}: the page would fetch {url!r} from the network"
    H003 = "{path}: not empty and not a policykg site; refusing to replace it"
    # the machine's fault, not the project's: a full disk, a lost file system (cli.main, quick)
    M001 = "cannot write the output ({reason})"
    M002 = "{path} ({reason})"

    # problems a build reports and goes on (``Problem``: code, span, message); the entry named
    # by the code alone says what the code means (README's table), ``_X`` entries are more
    # messages of the same code
    L001 = ProblemMessage("line not understood (outside any document)",
                          meaning="line not understood")
    L002 = ProblemMessage("document number {number} repeated",
                          meaning="document number out of sequence")
    L002_ORDER = ProblemMessage("document number {number} follows {previous}")
    L003 = ProblemMessage("part {part} heading (第{name}部分) missing: part {next} follows part "
                          "{previous}", meaning="compilation part heading missing, inferred")
    L003_AGREEMENTS = ProblemMessage(
        "part 6 heading (第六部分) missing, inferred from its first international agreement")
    L003_CHAPTER = ProblemMessage("chapter {chapter} heading of part {part} missing, inferred")
    L004 = ProblemMessage("input ends inside document {doc}: no source address, no sentence end",
                          meaning="input ends inside a document")
    L005 = ProblemMessage("document loaded twice: {file}:{line} has the same title and 文号",
                          meaning="document loaded twice")
    L006 = ProblemMessage("document repeated in this file: lines {lines} repeat lines {first}",
                          meaning="document printed again in the same file, kept once")
    L007 = ProblemMessage("file holds several documents: document {n} starts at line {line}",
                          meaning="file holds several documents, split")
    D001 = ProblemMessage("{field} not found", meaning="document header field not found")
    D001_NOT_PRINTED = ProblemMessage("{field} not printed: {value} taken from {basis}")
    A001 = ProblemMessage("annotation not parsed: {raw}", meaning="annotation not parsed")
    A001_ROW = ProblemMessage("table row not parsed: {raw}")
    A002 = ProblemMessage("agency not resolved: {name}", meaning="agency not resolved")
    T001 = ProblemMessage("target sentence not understood",
                          meaning="target sentence not understood")
    C001 = ProblemMessage("citation not resolved: 《{title}》 names no earlier title",
                          meaning="citation not resolved")
    E001 = ProblemMessage("input decoded from {encoding}",
                          meaning="input decoded from a legacy encoding")
    P001 = ProblemMessage("page {page}: {count} private-use or unmapped glyphs ({glyphs})",
                          meaning="private-use or unmapped glyphs on a PDF page")
    P002 = ProblemMessage("page {page} has no text layer (an image?)",
                          meaning="PDF page without a text layer")
    P003 = ProblemMessage("the text layer gives full-width punctuation as ASCII (, . : « »); "
                          "restored as printed",
                          meaning="PDF text layer gives full-width punctuation as ASCII, "
                          "restored")
    P004 = ProblemMessage("the text layer gives {count} full-width punctuation marks as Yi "
                          "syllables, their GB2312 codes (ꎬ for ，, ꎮ for 。); "
                          "restored as printed",
                          meaning="PDF text layer gives full-width punctuation as Yi "
                          "syllables, restored")


def problem_messages() -> tuple[ProblemMessage, ...]:
    """Every catalogued problem message, in catalogue order."""
    return tuple(m for m in vars(Errors).values() if isinstance(m, ProblemMessage))


#: Stable, greppable codes of the problems a build reports without stopping, and what each
#: means (made from ``Errors``: the catalogue is the one source).
PROBLEM_CODES: dict[str, str] = {m.code: m.meaning for m in problem_messages()
                                 if m.name == m.code}


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
