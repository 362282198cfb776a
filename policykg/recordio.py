"""Record I/O: write a ``Corpus`` to a store's ``records/`` folder as JSON and read it back.

``records/corpus.json`` holds the full ``Corpus`` (sections and paragraphs included) and
round-trips exactly; ``records/<kind>.jsonl`` hold each record's interface fields, one per
line, for other tools.  Standard library only: must not import rdflib or anything of
``graph``, ``loaders`` or ``viz``.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final, TypeVar

from policykg.errors import StoreError
from policykg.records import (
    Corpus,
    Section,
    SectorTag,
)

__all__ = [
    "FORMAT_VERSION",
    "KINDS",
    "corpus_from_json",
    "corpus_to_json",
    "read_corpus",
    "read_records",
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

_T = TypeVar("_T")


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _decode(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], value, where)
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(value, list):
            raise StoreError(f"{where}: expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v, where) for v in value)
        return tuple(_decode(a, v, where) for a, v in zip(args, value, strict=True))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _from_dict(tp, value, where)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


_FIELD_TYPES: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _field_types(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    # resolving the string annotations costs more than decoding: once per record class
    if cls not in _FIELD_TYPES:
        hints = typing.get_type_hints(cls)
        _FIELD_TYPES[cls] = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))
    return _FIELD_TYPES[cls]


def _from_dict(cls: type[_T], data: Any, where: str) -> _T:
    if not isinstance(data, dict):
        raise StoreError(f"{where}: expected an object for {cls.__name__}")
    kwargs = {}
    for name, tp in _field_types(cls):
        if name in data:
            kwargs[name] = _decode(tp, data[name], where)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise StoreError(f"{where}: cannot rebuild {cls.__name__} ({e})") from e


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
        raise StoreError(f"{where}: not a policykg corpus of format {FORMAT_VERSION}")
    body = {k: v for k, v in data.items() if k != "format"}
    return _from_dict(Corpus, body, where)


def _records_dir(store_dir: Path) -> Path:
    return store_dir / "records"


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=False))
            f.write("\n")
            n += 1
    return n


def _section_json(section: Section) -> dict[str, Any]:
    row: dict[str, Any] = _encode(section)
    return row


def _sector_json(tag: SectorTag) -> dict[str, Any]:
    return {"subject_id": tag.subject_id, "sector": tag.sector, "terms": list(tag.terms)}


def write_records(
    store_dir: Path, corpus: Corpus, sector_tags: Iterable[SectorTag] = ()
) -> dict[str, int]:
    """Write ``records/corpus.json`` and ``records/<kind>.jsonl`` under ``store_dir``.

    Args:
        store_dir: the store directory (``records/`` is created inside it).
        corpus: the records.
        sector_tags: tags to store; default ``corpus.sectors``.

    Returns:
        The number of rows written per kind.
    """
    tags = tuple(sector_tags) or corpus.sectors
    if tags != corpus.sectors:
        corpus = dataclasses.replace(corpus, sectors=tags)
    out = _records_dir(store_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with (out / "corpus.json").open("w", encoding="utf-8", newline="\n") as f:
            json.dump(corpus_to_json(corpus), f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        rows = {
            "documents": (d.to_json() for d in corpus.documents),
            "sections": (_section_json(s) for d in corpus.documents for s in d.sections),
            "tasks": (t.to_json() for t in corpus.tasks),
            "agencies": (a.to_json() for a in corpus.agencies),
            "targets": (t.to_json() for t in corpus.targets),
            "citations": (c.to_json() for c in corpus.citations),
            "sectors": (_sector_json(t) for t in tags),
            "problems": (p.to_json() for p in corpus.problems),
        }
        counts = {kind: _write_jsonl(out / f"{kind}.jsonl", rows[kind]) for kind in KINDS}
    except OSError as e:
        raise StoreError(f"{out}: cannot write records ({e})") from e
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
        raise StoreError(f"{path}: no records here (run 'policykg build')") from e
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise StoreError(f"{path}: damaged records ({e})") from e
    return corpus_from_json(data, str(path))


def read_records(store_dir: Path, kind: str) -> list[dict[str, Any]]:
    """Read ``records/<kind>.jsonl`` as a list of dicts.

    Raises:
        StoreError: unknown kind, or the file is missing or damaged (with its line number).
    """
    if kind not in KINDS:
        raise StoreError(f"unknown record kind {kind!r} (one of {', '.join(KINDS)})")
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
                    raise StoreError(f"{path}:{n}: damaged record ({e})") from e
    except FileNotFoundError as e:
        raise StoreError(f"{path}: no records here (run 'policykg build')") from e
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"{path}: cannot read ({e})") from e
    return rows
