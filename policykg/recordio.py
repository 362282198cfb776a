"""Record I/O: write a ``Corpus`` to a store's ``records/`` folder as JSON and read it back.

``records/corpus.json`` holds the full ``Corpus`` (sections and paragraphs included) and
round-trips exactly; ``records/index.json`` holds the light part the query commands need
(documents without sections and paragraphs, agencies, tasks, targets), a sixth of the size,
so that ``policykg who``/``duties``/``docs``/``show`` start fast;
``records/<kind>.jsonl`` hold each record's interface fields, one per line, for other tools;
``records/lookup.txt`` is the tasks' search index (``policykg.lookupindex``).
Standard library only: must not import rdflib or anything of ``graph``, ``loaders`` or ``viz``.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar, cast, overload

from policykg.errors import Errors, StoreError
from policykg.lookupindex import LOOKUP, LOOKUP_GRAMS, TaskIndex, lookup_blocks, lookup_text
from policykg.lookupindex import read_lookup as _read_lookup
from policykg.records import (
    Corpus,
    Document,
    Paragraph,
    Section,
    SectorTag,
    Target,
    Task,
)

__all__ = [
    "FORMAT_VERSION",
    "INDEX",
    "INDEX_FIELDS",
    "KINDS",
    "RECORDS",
    "LazyRecords",
    "body_json",
    "corpus_from_json",
    "corpus_to_json",
    "forget_made",
    "index_to_json",
    "read_corpus",
    "read_index",
    "read_lookup",
    "read_records",
    "records_from_text",
    "records_text",
    "section_starts",
    "with_bodies",
    "write_records",
]

logger = logging.getLogger(__name__)

#: Bumped when the layout of ``corpus.json`` changes incompatibly.
FORMAT_VERSION: Final = 1

#: The ``records/<kind>.jsonl`` files of a store.
KINDS: Final = (
    "documents",
    "sections",
    "tasks",
    "agencies",
    "targets",
    "citations",
    "sectors",
    "problems",
)

#: The folder of a store that holds the records.
RECORDS: Final = "records"

#: The light index of a store's records (``read_index``).
INDEX: Final = "index.json"

_T = TypeVar("_T")


_PLAIN: Final = frozenset({str, int, float, bool, type(None)})
_Encode = typing.Callable[[Any], Any]
#: Each record type's fields with how to encode them (None: the value as it is), made once
#: from the type hints (``dataclasses.fields`` and the hints are slow to ask each time).
_FIELDS: dict[type, tuple[tuple[str, _Encode | None], ...] | None] = {}


def _plain_type(tp: Any) -> bool:
    if tp in _PLAIN or tp is None:
        return True
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return all(_plain_type(a) for a in typing.get_args(tp))
    return False


def _list(value: Any) -> Any:
    return list(value)


def _pairs(value: Any) -> Any:
    return [list(v) for v in value]


def _field_encoders(cls: type[Any]) -> tuple[tuple[str, _Encode | None], ...]:
    """How to encode each field: as it is (plain types), a list of plain values, a list of
    tuples of plain values; anything else through ``_encode``."""
    hints = typing.get_type_hints(cls)
    out: list[tuple[str, _Encode | None]] = []
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        enc: _Encode | None = _encode
        if _plain_type(tp):
            enc = None
        elif typing.get_origin(tp) is tuple:
            args = typing.get_args(tp)
            if len(args) == 2 and args[1] is Ellipsis:
                inner = args[0]
                if _plain_type(inner):
                    enc = _list
                elif typing.get_origin(inner) is tuple and all(
                        _plain_type(a) for a in typing.get_args(inner) if a is not Ellipsis):
                    enc = _pairs
            elif all(_plain_type(a) for a in args):
                enc = _list
        out.append((f.name, enc))
    return tuple(out)


def _encode(value: Any) -> Any:
    # dispatch on the exact type first: a store's records are over a million values, and
    # is_dataclass/isinstance on each took most of the time of writing them
    tp = type(value)
    if tp in _PLAIN:
        return value
    if tp is tuple or tp is list:
        return [_encode(v) for v in value]
    if tp is LazyRecords:
        return json.loads(value.text)
    fields = _FIELDS.get(tp, ())
    if fields == ():
        # once per type: a record's fields, or None (an enum, anything else)
        fields = _FIELDS[tp] = _field_encoders(tp) if dataclasses.is_dataclass(value) \
            and not isinstance(value, type) else None
    if fields is not None:
        return {name: getattr(value, name) if enc is None else enc(getattr(value, name))
                for name, enc in fields}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


_Convert = typing.Callable[[Any, str], Any]


def _identity(value: Any, where: str) -> Any:
    return value


def _to_float(value: Any, where: str) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _converter(tp: Any) -> _Convert:
    """Return a function turning JSON data into a value of type ``tp`` (made once per type)."""
    conv = _CONVERTERS.get(tp)
    if conv is None:
        conv = _make_converter(tp)
        _CONVERTERS[tp] = conv
    return conv


_CONVERTERS: dict[Any, _Convert] = {}
#: The converters of fixed tuples of plain values, with their sizes.
_PLAIN_FIXED: dict[_Convert, int] = {}


def _make_converter(tp: Any) -> _Convert:
    # one closure per type instead of inspecting the type for every value: reading a store
    # decodes some 100,000 values, and typing.get_origin/get_args on each cost most of it
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        optional = type(None) in args
        inner_conv = _converter(next(a for a in args if a is not type(None)))
        if optional and inner_conv is _identity:
            return _identity  # ``int | None``, ``str | None``: taken as they are

        def union(value: Any, where: str) -> Any:
            if value is None and optional:
                return None
            return inner_conv(value, where)

        return union
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            plain = item is _identity
            pairs = _PLAIN_FIXED.get(item)
            if pairs is not None:
                # (offset, line) pairs of paragraphs: checked and made in C-speed passes
                def plain_tuples(value: Any, where: str) -> Any:
                    if not isinstance(value, list):
                        raise StoreError(Errors.R004.format(where=where,
                                                            type=type(value).__name__))
                    if not set(map(type, value)) <= {list}:
                        return tuple(item(v, where) for v in value)  # its error
                    out = tuple(map(tuple, value))
                    if not set(map(len, out)) <= {pairs}:
                        raise ValueError(f"expected {pairs} items")
                    return out

                return plain_tuples

            def homogeneous(value: Any, where: str) -> Any:
                if not isinstance(value, list):
                    raise StoreError(Errors.R004.format(where=where, type=type(value).__name__))
                return tuple(value) if plain else tuple(item(v, where) for v in value)

            return homogeneous
        items = tuple(_converter(a) for a in args)
        if all(c is _identity for c in items):
            size = len(items)

            def plain_fixed(value: Any, where: str) -> Any:
                # (offset, line) pairs: a hundred thousand in a store, decoded as they are
                if not isinstance(value, list):
                    raise StoreError(Errors.R004.format(where=where, type=type(value).__name__))
                if len(value) != size:
                    raise ValueError(f"expected {size} items, got {len(value)}")
                return tuple(value)

            _PLAIN_FIXED[plain_fixed] = size
            return plain_fixed

        def fixed(value: Any, where: str) -> Any:
            if not isinstance(value, list):
                raise StoreError(Errors.R004.format(where=where, type=type(value).__name__))
            return tuple(c(v, where) for c, v in zip(items, value, strict=True))

        return fixed
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        cls: type[Any] = tp

        def record(value: Any, where: str) -> Any:
            return _from_dict(cls, value, where)

        return record
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        enum_cls: type[enum.Enum] = tp

        def member(value: Any, where: str) -> Any:
            return enum_cls(value)

        return member
    if tp is float:
        return _to_float
    return _identity


_FIELD_CONVERTERS: dict[type[Any], tuple[frozenset[str], tuple[tuple[str, _Convert], ...]]] = {}


def _field_converters(cls: type[Any]) -> tuple[frozenset[str], tuple[tuple[str, _Convert], ...]]:
    """A record class's field names, and the fields whose JSON value is converted (the
    others are taken as they are)."""
    # resolving the string annotations costs more than decoding: once per record class
    found = _FIELD_CONVERTERS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        fields = dataclasses.fields(cls)
        converted = ((f.name, _converter(hints[f.name])) for f in fields)
        found = _FIELD_CONVERTERS[cls] = (frozenset(f.name for f in fields),
                                          tuple(x for x in converted if x[1] is not _identity))
    return found


def _from_dict(cls: type[_T], data: Any, where: str) -> _T:
    if not isinstance(data, dict):
        raise StoreError(Errors.R004_OBJECT.format(where=where, type=cls.__name__))
    names, converted = _field_converters(cls)
    try:
        # keys that are no field are left out
        kwargs = data.copy() if data.keys() <= names else \
            {k: v for k, v in data.items() if k in names}
        for name, conv in converted:
            if name in kwargs:
                kwargs[name] = conv(kwargs[name], where)
        return cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise StoreError(Errors.R005.format(where=where, type=cls.__name__, reason=e)) from e


class LazyRecords(Sequence[_T]):
    """A tuple of records kept as the JSON text they were read from (``str``, or ``bytes``
    in UTF-8 as a cache file holds it), decoded on first use.

    It stands for a record's tuple field (a cached document's sections or paragraphs, the
    bulk of a store's records): reading a store's cache decodes only those a change looks
    into, and ``write_records`` writes the text back as it is.  It behaves as the tuple it
    holds (equality and hash included) and pickles as that tuple.
    """

    __slots__ = ("_decode", "_items", "_where", "rows", "text")

    def __init__(self, text: str | bytes,
                 decode: typing.Callable[[Any, str], tuple[_T, ...]], where: str,
                 rows: str | bytes | None = None) -> None:
        self.text = text
        self._decode = decode
        self._where = where
        self._items: tuple[_T, ...] | None = None
        #: a document's sections: their lines of ``sections.jsonl``, as ``body_json`` gives
        self.rows = rows

    def _get(self) -> tuple[_T, ...]:
        items = self._items
        if items is None:
            try:
                data = json.loads(self.text)
            except ValueError as e:
                raise StoreError(Errors.R002.format(path=self._where, reason=e)) from e
            items = self._items = self._decode(data, self._where)
        return items

    def __len__(self) -> int:
        return len(self._get())

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[_T, ...]: ...

    def __getitem__(self, index: int | slice) -> _T | tuple[_T, ...]:
        return self._get()[index]

    def __iter__(self) -> Iterator[_T]:
        return iter(self._get())

    def __reversed__(self) -> Iterator[_T]:
        return reversed(self._get())

    def __contains__(self, value: object) -> bool:
        return value in self._get()

    def __bool__(self) -> bool:
        return self.text not in ("[]", b"[]")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyRecords):
            return self.text == other.text or self._get() == other._get()
        if isinstance(other, tuple):
            return self._get() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._get())

    def __add__(self, other: tuple[_T, ...]) -> tuple[_T, ...]:
        return self._get() + tuple(other)

    def __radd__(self, other: tuple[_T, ...]) -> tuple[_T, ...]:
        return tuple(other) + self._get()

    def __repr__(self) -> str:
        return repr(self._get())

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (self._get(),))


def _c_encoder(item: str, key: str) -> typing.Callable[[Any], str] | None:
    """``json.dumps(value, ensure_ascii=False, separators=(item, key))`` without making an
    encoder per call (half the time of a small row); None without the C accelerator."""
    from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]

    if c_make_encoder is None:  # pragma: no cover - CPython has it
        return None

    def default(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    encode = c_make_encoder(None, default, encode_basestring, None, key, item, False, False,
                            True)
    return lambda value: "".join(encode(value, 0))


_COMPACT = _c_encoder(",", ":") or (
    lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":")))
_ROW = _c_encoder(", ", ": ") or (lambda value: json.dumps(value, ensure_ascii=False))


def _dumps(value: Any) -> str:
    return _COMPACT(value)


def _text(value: Any) -> str:
    """The JSON text of a record field (``LazyRecords`` as read, or as ``body_json`` made it)."""
    if type(value) is LazyRecords:
        text = value.text
        return text if isinstance(text, str) else text.decode("utf-8")
    made = _made(value)
    return made if made is not None else _dumps(_encode(value))


def _utf8(value: Any) -> bytes:
    """The JSON text of a record field in UTF-8 (``LazyRecords`` as read)."""
    if type(value) is LazyRecords:
        text = value.text
        return text if isinstance(text, bytes) else text.encode("utf-8")
    return _text(value).encode("utf-8")


#: Between a document's rows of ``sections.jsonl`` in a cache entry (JSON text escapes every
#: control character, so no row holds one).
_ROW_SEPARATOR: Final = "\x1e"


#: Sections' lines made by ``body_json`` (by the id of the sections, kept alive here), so
#: that the ``write_records`` after it does not make them again; it empties this.
_LINES_MADE: dict[int, tuple[Any, list[str]]] = {}


#: The JSON texts of sections and paragraphs made by ``body_json`` (by the id of the tuple,
#: kept alive here), which the ``write_records`` after it writes as they are; it empties this.
_BODIES_MADE: dict[int, tuple[Any, str]] = {}


def body_json(doc: Document) -> tuple[str, str, str]:
    """The JSON texts of a document's sections and paragraphs (as ``corpus.json`` holds
    them), and its sections' lines of ``sections.jsonl`` (one line of text)."""
    sections: Any = doc.sections
    lines = _section_lines(doc)
    if type(sections) is not LazyRecords:
        _LINES_MADE[id(sections)] = (sections, lines)
    texts = []
    for value in (sections, doc.paragraphs):
        text = _text(value)
        if type(value) is not LazyRecords:
            _BODIES_MADE[id(value)] = (value, text)
        texts.append(text)
    return texts[0], texts[1], _ROW_SEPARATOR.join(lines)


def _made(value: Any) -> str | None:
    """The JSON text ``body_json`` made of ``value``, if it made one."""
    made = _BODIES_MADE.get(id(value))
    return made[1] if made is not None and made[0] is value else None


#: A section's start line in its compact JSON (a key, so after ``{`` or ``,``: inside a
#: string a quote is escaped).
_START_LINE: Final = re.compile(r'[{,]"start_line":(-?\d+)')
_START_LINE_UTF8: Final = re.compile(rb'[{,]"start_line":(-?\d+)')


def section_starts(sections: Sequence[Section]) -> list[int]:
    """The start lines of ``sections``; a cached document's read from their JSON text, so
    that the tree finds each preamble without making the store's section records."""
    held: Any = sections
    if type(held) is LazyRecords and held._items is None:
        text = held.text
        pattern: Any = _START_LINE if isinstance(text, str) else _START_LINE_UTF8
        return [int(m) for m in pattern.findall(text)]
    return [s.start_line for s in sections]


def with_bodies(corpus: Corpus, texts: Sequence[str | bytes], where: str) -> Corpus:
    """``corpus`` with each document's sections and paragraphs those of the JSON texts
    ``texts`` holds for it (three per document: ``body_json``), decoded only when something
    reads them; ``write_records`` writes them, and the sections' rows, as they are."""
    if len(texts) != 3 * len(corpus.documents):
        raise StoreError(Errors.R002.format(
            path=where, reason=f"{len(texts)} lines for the sections and paragraphs of "
                               f"{len(corpus.documents)} documents"))
    sections = _converter(tuple[Section, ...])
    paragraphs = _converter(tuple[Paragraph, ...])
    docs = tuple(dataclasses.replace(
        d, sections=cast("tuple[Section, ...]",
                         LazyRecords(texts[3 * i], sections, where, texts[3 * i + 2])),
        paragraphs=cast("tuple[Paragraph, ...]",
                        LazyRecords(texts[3 * i + 1], paragraphs, where)))
        for i, d in enumerate(corpus.documents))
    return dataclasses.replace(corpus, documents=docs)


#: Tasks and targets with their JSON text (compact, as ``corpus.json`` holds it) and their
#: row of ``<kind>.jsonl``, by the record's id (the record kept alive here): read from a
#: cache entry, or made for one, so that the ``write_records`` after it writes them as they
#: are (an add encoded every task and target of the store again); it empties this.
_TEXTS_MADE: dict[int, tuple[Any, str, str]] = {}


def _texts_of(record: Any) -> tuple[str, str]:
    made = _TEXTS_MADE.get(id(record))
    if made is not None and made[0] is record:
        return made[1], made[2]
    return _dumps(_encode(record)), _ROW(record.to_json())


def records_text(records: Sequence[Task] | Sequence[Target]) -> tuple[str, str]:
    """The JSON texts of a file's tasks or targets and their rows, each one line of text
    (as a cache entry keeps them; ``records_from_text`` reads them back)."""
    compact: list[str] = []
    rows: list[str] = []
    for record in records:
        text, row = _texts_of(record)
        _TEXTS_MADE[id(record)] = (record, text, row)
        compact.append(text)
        rows.append(row)
    return _ROW_SEPARATOR.join(compact), _ROW_SEPARATOR.join(rows)


def records_from_text(cls: type[_T], compact: str | bytes, rows: str | bytes,
                      where: str) -> tuple[_T, ...]:
    """The records ``records_text`` gave the texts of (``cls``: ``Task`` or ``Target``),
    remembered with their texts for ``write_records``.

    Raises:
        ValueError: the texts are not JSON (a damaged cache entry is read again).
        StoreError: the texts are not such records.
    """
    text = compact if isinstance(compact, str) else compact.decode("utf-8")
    lines = rows if isinstance(rows, str) else rows.decode("utf-8")
    if not text:
        return ()
    parts = text.split(_ROW_SEPARATOR)
    row_parts = lines.split(_ROW_SEPARATOR)
    data = json.loads("[" + ",".join(parts) + "]")
    records = _converter(tuple[cls, ...])(data, where)  # type: ignore[valid-type]
    if len(row_parts) != len(records):
        raise StoreError(Errors.R002.format(
            path=where, reason=f"{len(row_parts)} rows for {len(records)} {cls.__name__}s"))
    for record, part, row in zip(records, parts, row_parts, strict=True):
        _TEXTS_MADE[id(record)] = (record, part, row)
    return typing.cast("tuple[_T, ...]", records)


def forget_made() -> None:
    """Drop the texts ``body_json`` and ``records_text`` remembered for ``write_records``."""
    _LINES_MADE.clear()
    _TEXTS_MADE.clear()
    _BODIES_MADE.clear()


def corpus_to_json(corpus: Corpus) -> dict[str, Any]:
    """Return the whole corpus as JSON-ready data (every field, nested records included)."""
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    data.update(_encode(corpus))
    return data


def corpus_from_json(data: Any, where: str = "corpus.json") -> Corpus:
    """Rebuild a ``Corpus`` from ``corpus_to_json`` output.

    Raises:
        StoreError: the data is not a corpus of this format.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise StoreError(Errors.R003.format(path=where, format=FORMAT_VERSION))
    body = {k: v for k, v in data.items() if k != "format"}
    return _from_dict(Corpus, body, where)


#: What ``records/index.json`` keeps of a ``Corpus``: documents lose their sections (read
#: from ``sections.jsonl`` on request: they are 60% of the index and only ``show`` needs
#: them) and paragraphs.
INDEX_FIELDS: Final = ("documents", "agencies", "tasks", "targets")


def index_to_json(corpus: Corpus) -> dict[str, Any]:
    """Return the light part of the corpus as JSON-ready data for ``records/index.json``.

    Documents without sections and paragraphs, and the agencies, tasks and targets whole;
    no citations, problems, summaries or sector tags.
    """
    return _index_json(corpus, _light_documents(corpus))


def _light_documents(corpus: Corpus) -> list[Any]:
    """The documents' JSON data without their sections and paragraphs."""
    return [_encode(dataclasses.replace(d, sections=(), paragraphs=())) for d in corpus.documents]


def _index_json(corpus: Corpus, light: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT_VERSION, "documents": light}
    for name in INDEX_FIELDS[1:]:
        data[name] = _encode(getattr(corpus, name))
    return data


def _index_utf8(light: Sequence[str], texts: dict[str, bytes]) -> bytes:
    """``records/index.json`` (``index_to_json``'s data as ``_dumps`` writes it, in UTF-8)
    from the JSON texts of the light documents and of the other fields."""
    head = _dumps({"format": FORMAT_VERSION})[:-1] + ',"documents":[' + ",".join(light) + "]"
    return head.encode("utf-8") + b"".join(
        b"," + _dumps(name).encode("utf-8") + b":" + texts[name] for name in INDEX_FIELDS[1:]
    ) + b"}"


#: How many records ``_dump_corpus`` encodes in one call of the JSON encoder.
_CHUNK: Final = 2000


def _dump_corpus(corpus: Corpus, f: typing.BinaryIO, light: Sequence[str] | None = None,
                 texts: dict[str, bytes] | None = None) -> None:
    """Write ``corpus_to_json(corpus)`` in UTF-8 as ``json.dump`` would, a few records at a
    time.

    The same bytes without the whole corpus as one JSON tree in memory (at ×100 that tree
    alone took over 3 GB).  ``light`` (the JSON texts of the documents without sections and
    paragraphs) and ``texts`` (fields' JSON texts in UTF-8) are what the caller has encoded
    already.  The sections and paragraphs of cached documents are written as the cache holds
    them, never decoded.
    """
    def write(text: str) -> None:
        f.write(text.encode("utf-8"))

    write("{" + _dumps("format") + ":" + _dumps(FORMAT_VERSION))
    for field in dataclasses.fields(corpus):
        value = getattr(corpus, field.name)
        write("," + _dumps(field.name) + ":")
        if field.name == "documents":
            lights = light if light is not None else [None] * len(value)
            f.write(b"[")
            for i, (doc, x) in enumerate(zip(value, lights, strict=True)):
                if i:
                    f.write(b",")
                f.writelines(_document_json(doc, x))
            f.write(b"]")
        elif texts is not None and field.name in texts:
            f.write(texts[field.name])
        elif isinstance(value, tuple):
            f.write(b"[")
            for i in range(0, len(value), _CHUNK):
                part = [_encode(item) for item in value[i:i + _CHUNK]]
                write(("," if i else "") + _dumps(part)[1:-1])
            f.write(b"]")
        else:
            write(_dumps(_encode(value)))
    f.write(b"}")


#: How a document without sections and paragraphs has them written: a key of ``Document``
#: appears once in its JSON, and a string value cannot hold it unescaped.
_NO_SECTIONS: Final = '"sections":[]'
_NO_PARAGRAPHS: Final = '"paragraphs":[]'


def _document_json(doc: Document, light: str | None = None) -> list[bytes]:
    """A document's JSON in UTF-8, in pieces; sections and paragraphs read from the cache,
    or made for it (``body_json``), are written as they are (``light``: its JSON text
    without them, if made already)."""
    sections: Any = doc.sections
    paragraphs: Any = doc.paragraphs
    if type(sections) is not LazyRecords and type(paragraphs) is not LazyRecords \
            and _made(sections) is None and _made(paragraphs) is None:
        return [_dumps(_encode(doc)).encode("utf-8")]
    text = light if light is not None else \
        _dumps(_encode(dataclasses.replace(doc, sections=(), paragraphs=())))
    # each key once, before any string could hold it unescaped: the texts go in there
    at_sections, at_paragraphs = text.find(_NO_SECTIONS), text.find(_NO_PARAGRAPHS)
    if not 0 <= at_sections < at_paragraphs:
        text = text.replace(_NO_SECTIONS, '"sections":' + _text(sections), 1)
        return [text.replace(_NO_PARAGRAPHS, '"paragraphs":' + _text(paragraphs), 1)
                .encode("utf-8")]
    return [text[:at_sections].encode("utf-8"), b'"sections":', _utf8(sections),
            text[at_sections + len(_NO_SECTIONS):at_paragraphs].encode("utf-8"),
            b'"paragraphs":', _utf8(paragraphs),
            text[at_paragraphs + len(_NO_PARAGRAPHS):].encode("utf-8")]


def _section_lines(doc: Document) -> list[str]:
    """A document's lines of ``sections.jsonl``: as its cache entry holds them, else made
    from its sections (read from the cache's JSON text without making records of them)."""
    sections: Any = doc.sections
    if type(sections) is LazyRecords:
        rows = sections.rows
        if rows is not None:
            text = rows if isinstance(rows, str) else rows.decode("utf-8")
            return text.split(_ROW_SEPARATOR) if text else []
        return [_ROW(_section_row(row)) for row in json.loads(sections.text)]
    made = _LINES_MADE.get(id(sections))
    if made is not None and made[0] is sections:
        return made[1]
    return [_ROW(_section_json(s)) for s in doc.sections]


def _records_dir(store_dir: Path) -> Path:
    return store_dir / RECORDS


def _write_jsonl(path: Path, lines: Iterable[str]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as f:
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            n += 1
            if len(chunk) >= _CHUNK:
                f.write("\n".join(chunk) + "\n")
                chunk = []
        if chunk:
            f.write("\n".join(chunk) + "\n")
    return n


def _section_json(section: Section) -> dict[str, Any]:
    row: dict[str, Any] = _encode(section)
    return _section_row(row)


def _section_row(row: dict[str, Any]) -> dict[str, Any]:
    """A section's row of ``sections.jsonl`` from its JSON data."""
    if row.get("page", 0) is None:  # a text file's sections keep their fields (as ``Task.to_json``)
        del row["page"]
    return row


def _sector_json(tag: SectorTag) -> dict[str, Any]:
    return {"subject_id": tag.subject_id, "sector": tag.sector, "terms": list(tag.terms)}


def write_records(
    store_dir: Path, corpus: Corpus, sector_tags: Iterable[SectorTag] = (),
    previous: Path | None = None,
) -> dict[str, int]:
    """Write ``records/corpus.json``, ``records/index.json``, ``records/lookup.txt`` and
    ``records/<kind>.jsonl``.

    Args:
        store_dir: the store directory (``records/`` is created inside it).
        corpus: the records.
        sector_tags: tags to store; default ``corpus.sectors``.
        previous: a store whose records this one replaces: what of its files holds still
            is copied instead of made again (the same bytes either way).

    Returns:
        The number of rows written per kind.
    """
    tags = tuple(sector_tags) or corpus.sectors
    if tags != corpus.sectors:
        corpus = dataclasses.replace(corpus, sectors=tags)
    out = _records_dir(store_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        # the documents (without sections and paragraphs), agencies, tasks and targets go
        # to corpus.json and index.json: encoded once
        light = [_dumps(x) for x in _light_documents(corpus)]
        texts = {name: _dumps(_encode(getattr(corpus, name))).encode("utf-8")
                 for name in INDEX_FIELDS[1:] if name not in ("tasks", "targets")}
        made = {name: [_texts_of(r) for r in getattr(corpus, name)]
                for name in ("tasks", "targets")}
        for name, pairs in made.items():
            texts[name] = ("[" + ",".join(text for text, _ in pairs) + "]").encode("utf-8")
        # the sector tags (a dozen per document) too: corpus.json and sectors.jsonl
        sector_rows = [_sector_json(t) for t in tags]
        with (out / "corpus.json").open("wb") as f:
            _dump_corpus(corpus, f, light,
                         {**texts, "sectors": _dumps(sector_rows).encode("utf-8")})
            f.write(b"\n")
        with (out / INDEX).open("wb") as f:
            f.write(_index_utf8(light, texts) + b"\n")
        blocks = None
        if previous is not None:
            before = _records_dir(previous)
            blocks = lookup_blocks(before / LOOKUP, before / LOOKUP_GRAMS)
        lookup = lookup_text(corpus.tasks, corpus.documents, corpus.agencies, blocks)
        for name, text in zip((LOOKUP, LOOKUP_GRAMS), lookup or ("", ""), strict=True):
            (out / name).unlink(missing_ok=True)
            if lookup is not None:
                with (out / name).open("w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
        row = _ROW
        rows = {
            "documents": (row(d.to_json()) for d in corpus.documents),
            "sections": (line for d in corpus.documents for line in _section_lines(d)),
            "tasks": (r for _, r in made["tasks"]),
            "agencies": (row(a.to_json()) for a in corpus.agencies),
            "targets": (r for _, r in made["targets"]),
            "citations": (row(c.to_json()) for c in corpus.citations),
            "sectors": (row(r) for r in sector_rows),
            "problems": (row(p.to_json()) for p in corpus.problems),
        }
        counts = {kind: _write_jsonl(out / f"{kind}.jsonl", rows[kind]) for kind in KINDS}
    except OSError as e:
        raise StoreError(Errors.R007.format(path=out, reason=e)) from e
    finally:
        forget_made()
    logger.info("wrote records to %s: %s", out, counts)
    return counts


def read_corpus(store_dir: Path) -> Corpus:
    """Read the full ``Corpus`` back from ``records/corpus.json``.

    Raises:
        StoreError: the file is missing, unreadable or not a corpus.
    """
    path = _records_dir(store_dir) / "corpus.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise StoreError(Errors.R001.format(path=path)) from e
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise StoreError(Errors.R002.format(path=path, reason=e)) from e
    return corpus_from_json(data, str(path))


def read_index(store_dir: Path, *, sections: bool = False, targets: bool = False) -> Corpus:
    """Read the light ``Corpus`` of ``records/index.json``: what ``who``, ``duties``, ``docs``
    and ``show`` need, in a tenth of the time of ``read_corpus``.

    Documents carry no paragraphs, and their sections only with ``sections=True`` (read from
    ``records/sections.jsonl``); targets are there only with ``targets=True``; citations,
    problems, summaries and sector tags are empty.  A store written before the index existed
    is read from ``corpus.json``.

    Raises:
        StoreError: no records, or the index is unreadable or not of this format.
    """
    path = _records_dir(store_dir) / INDEX
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if (_records_dir(store_dir) / "corpus.json").exists():
            logger.info("%s: no index (an older store); reading corpus.json", path)
            corpus = read_corpus(store_dir)
            docs = tuple(dataclasses.replace(d, paragraphs=()) if sections else
                         dataclasses.replace(d, sections=(), paragraphs=())
                         for d in corpus.documents)
            return Corpus(documents=docs, agencies=corpus.agencies, tasks=corpus.tasks,
                          targets=corpus.targets if targets else ())
        raise StoreError(Errors.R001.format(path=path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(Errors.R002.format(path=path, reason=e)) from e
    try:
        data = json.loads(text)
    except ValueError as e:
        raise StoreError(Errors.R002.format(path=path, reason=e)) from e
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise StoreError(Errors.R003_INDEX.format(path=path, format=FORMAT_VERSION))
    missing = [name for name in INDEX_FIELDS if not isinstance(data.get(name), list)]
    if missing:
        raise StoreError(Errors.R002_FIELDS.format(path=path, fields=", ".join(missing)))
    # decoding the 673 targets of the compilation is a fifth of the time: only on request
    wanted = INDEX_FIELDS if targets else tuple(n for n in INDEX_FIELDS if n != "targets")
    corpus = _from_dict(Corpus, {name: data[name] for name in wanted}, str(path))
    if sections:
        corpus = _with_sections(store_dir, corpus)
    return corpus


def _with_sections(store_dir: Path, corpus: Corpus) -> Corpus:
    """Give each document of ``corpus`` its sections from ``records/sections.jsonl``."""
    where = str(_records_dir(store_dir) / "sections.jsonl")
    by_doc: dict[str, list[Section]] = {}
    for row in read_records(store_dir, "sections"):
        section = _from_dict(Section, row, where)
        by_doc.setdefault(section.doc_id, []).append(section)
    docs = tuple(dataclasses.replace(d, sections=tuple(by_doc.get(d.id, ())))
                 for d in corpus.documents)
    return dataclasses.replace(corpus, documents=docs)


def read_records(store_dir: Path, kind: str) -> list[dict[str, Any]]:
    """Read ``records/<kind>.jsonl`` as a list of dicts.

    Raises:
        StoreError: unknown kind, or the file is missing or damaged (with its line number).
    """
    if kind not in KINDS:
        raise StoreError(Errors.R006.format(kind=kind, kinds=", ".join(KINDS)))
    path = _records_dir(store_dir) / f"{kind}.jsonl"
    rows: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except ValueError as e:
                    raise StoreError(Errors.R002_LINE.format(path=path, line=n, reason=e)) from e
    except FileNotFoundError as e:
        raise StoreError(Errors.R001.format(path=path)) from e
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(Errors.S003.format(path=path, reason=e)) from e
    return rows


def read_lookup(store_dir: Path, *, grams: bool = True) -> TaskIndex | None:
    """The tasks' search index of ``records/lookup.txt`` (with its bigram postings, for an
    index queried many times); None for a store without one."""
    records = _records_dir(store_dir)
    return _read_lookup(records / LOOKUP, records / LOOKUP_GRAMS if grams else None)
