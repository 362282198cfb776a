"""Chinese segmentation and agency mentions: the only module that imports spaCy or jieba.

The pipeline is ``spacy.blank("zh")`` with the jieba segmenter and an EntityRuler whose
patterns are the registry's names and aliases (label ``ORG``, id = agency id).  jieba's
dictionary is global to the process, so every registry name and the domain words of
``lexicons/domain_words.toml`` are added with ``jieba.add_word`` *before* the ruler is built:
the ruler only matches names that jieba keeps whole.  Built once per registry
(``functools.cache``); nothing is loaded at import time.

``segment`` (the query words of ``policykg who``) gives exactly the words of that taught
jieba without loading its dictionary: loading the 350,000 words costs a second in every
process.  The taught dictionary's word frequencies (and the prefixes jieba keeps beside them)
and the HMM's probabilities are written once to a word table in a cache folder
(``$POLICYKG_CACHE``, else ``$XDG_CACHE_HOME/policykg`` or ``~/.cache/policykg``, else the temp
folder), keyed by the content of jieba's files, the registry and the domain words; a query
looks up only the strings it contains and is cut by ``loaders.words`` (jieba's algorithm,
without importing jieba).  jieba only ever looks up substrings of the text it cuts, so the
words are the same.

Must not import rdflib, networkx or pyvis.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.loaders.words import (
    CACHE_ENV,
    WordTable,
    cache_dirs,
    cut,
    find_table,
    table_key,
    table_name,
    write_table,
)
from policykg.lookupindex import is_noise

if TYPE_CHECKING:
    from types import ModuleType

    from spacy.language import Language

    from policykg.loaders.agencies import Registry

__all__ = [
    "CACHE_ENV",
    "MENTION_ENGINES",
    "Mention",
    "build_pipeline",
    "domain_words",
    "find_agency_mentions",
    "segment",
    "word_table",
]

logger = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """An agency named in running text (character offsets into the text)."""

    text: str
    start: int
    end: int
    agency_id: str
    name: str


@functools.cache
def domain_words() -> tuple[str, ...]:
    """The domain words of ``lexicons/domain_words.toml`` (碳达峰, 减污降碳 …)."""
    import tomllib
    from importlib import resources

    ref = resources.files("policykg.loaders").joinpath("lexicons", "domain_words.toml")
    data = tomllib.loads(ref.read_text(encoding="utf-8"))
    words = data.get("words", [])
    return tuple(w for w in words if isinstance(w, str) and w)


@functools.cache
def _default_registry() -> Registry:
    # imported here: a query segmented from the word table needs no registry (10 ms)
    from policykg.loaders.agencies import load_registry

    return load_registry()


@functools.cache
def _teach_jieba(registry: Registry) -> tuple[str, ...]:
    """Add the domain words and every registry name to jieba's global dictionary, once.

    Returns the registry names, longest first.
    """
    jieba = _import_jieba()
    return _teach(jieba.dt, registry)


def _teach(tokenizer: Any, registry: Registry) -> tuple[str, ...]:
    """Add the domain words, then the registry names longest first, to a jieba tokenizer."""
    names = tuple(sorted(set(registry.names()), key=lambda n: (-len(n), n)))
    for word in (*domain_words(), *names):
        tokenizer.add_word(word, freq=None)
    return names


@functools.cache
def _full_tokenizer(registry: Registry) -> Any:
    """A ``jieba.Tokenizer`` of its whole dictionary taught ``registry``, once (about 1 s).

    Its own, not jieba's global one: teaching twice changes the frequencies, and the global
    one may have been taught another registry (``build_pipeline``).
    """
    jieba = _import_jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    _teach(tokenizer, registry)
    return tokenizer


@functools.cache
def build_pipeline(registry: Registry) -> Language:
    """Return the blank Chinese pipeline with jieba taught the registry and an EntityRuler."""
    import spacy
    from spacy.pipeline import EntityRuler

    names = _teach_jieba(registry)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    assert isinstance(ruler, EntityRuler)
    patterns: list[dict[str, Any]] = []
    for name in names:
        agency = registry.resolve(name)
        patterns.append({"label": "ORG", "pattern": name,
                         "id": agency.id if agency is not None else ""})
    ruler.add_patterns(patterns)
    logger.debug("built the zh pipeline with %d agency patterns", len(patterns))
    return nlp


def _import_jieba() -> ModuleType:
    """Import jieba without ``pkg_resources``: its ``_compat`` imports that (90 ms of a
    120 ms import) only to open its data files, and falls back to ``open`` without it."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    module: ModuleType = jieba
    return module


def _dict_file() -> Path:
    """jieba's main dictionary (dict.txt beside the installed package)."""
    jieba = _import_jieba()
    return Path(str(jieba.__file__)).parent / str(jieba.DEFAULT_DICT_NAME)


def _write_table(path: Path) -> None:
    """Write the frequencies of jieba taught the packaged registry, and its HMM."""
    _import_jieba()
    from jieba import finalseg

    full = _full_tokenizer(_default_registry())
    write_table(path, full.FREQ, full.total, finalseg.start_P, finalseg.trans_P,
                finalseg.emit_P)
    logger.info("wrote jieba's taught dictionary (%d entries) to %s", len(full.FREQ), path)


def word_table() -> Path | None:
    """Return the word table ``segment`` reads, writing it first if needed (about 2 s, once).

    Tables of other keys are left alone: another checkout or store on the machine (another
    registry) uses them.  None if no cache folder is writable (``segment`` then loads jieba's
    whole dictionary).
    """
    found = find_table()
    if found is not None:
        return Path(found)
    key = table_key()
    if key is None:
        return None
    for folder in map(Path, cache_dirs()):
        path = folder / table_name(key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write_table(path)
        except OSError as e:
            logger.warning("cannot write the word table in %s (%s)", folder, e)
            continue
        return path
    return None


@functools.cache
def _open_table(path: Path) -> WordTable:
    return WordTable(path)


def segment(text: str, registry: Registry | None = None, *, table: bool = True) -> list[str]:
    """Segment ``text`` into words (jieba, taught the registry and domain words).

    Punctuation and spaces are dropped; the words keep their printed order.  Uses jieba
    exactly as the pipeline's tokenizer does (``cut``, ``cut_all=False``, HMM on) without
    building spaCy.  With the packaged registry (``registry`` None) and ``table`` true the
    words come from the cached word table (``loaders.words``: jieba's algorithm over the
    table, without importing jieba), so that ``policykg who`` starts fast; otherwise, or if
    no table can be written or read, a tokenizer of jieba's whole dictionary is loaded (once
    per process and registry).  Both give the same words.
    """
    words: Iterable[str] | None = None
    path = word_table() if table and registry is None else None
    if path is not None:
        try:
            words = cut(text, _open_table(path))
        except (OSError, ValueError) as e:
            logger.warning("%s: cannot read the word table (%s); loading jieba's dictionary",
                           path, e)
    if words is None:
        words = _full_tokenizer(registry or _default_registry()).cut(text, cut_all=False)
    return [w for w in words if w and not is_noise(w)]


#: How ``find_agency_mentions`` finds the names: ``auto`` (the word table when it can, else
#: spaCy) or ``spacy`` (the pipeline, always: the reference).
MENTION_ENGINES = ("auto", "spacy")


def find_agency_mentions(
    text: str, registry: Registry, jurisdiction: str | None = None, *, engine: str = "auto"
) -> list[Mention]:
    """Find the registry agencies named in running text ("由A负责", addressees, sign-offs).

    Relative names (省发展改革委) resolve in ``jurisdiction`` (id or name); a mention that
    does not resolve there is left out.

    The names are what the pipeline's EntityRuler finds (``build_pipeline``).  With the
    packaged registry, ``auto`` finds the same spans over the word table's words
    (``_table_entities``) instead of building the pipeline: importing spaCy and teaching
    jieba cost about 3 s of CPU in a process that only looks at a few printed issuers; and
    a text in which no listed name occurs has no mention, spaCy or not.
    """
    if engine not in MENTION_ENGINES:
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(MENTION_ENGINES)}")
    found: list[tuple[str, int, int, str]] | None = None
    if engine == "auto":
        if not _names_in(text, registry):
            return []
        path = word_table() if _packaged(registry) and _squeezed_names(registry)[2] else None
        if path is not None:
            try:
                found = _table_entities(text, _open_table(path), registry)
            except (OSError, ValueError) as e:
                logger.warning("%s: cannot read the word table (%s); building the pipeline",
                               path, e)
    if found is None:
        doc = build_pipeline(registry)(text)
        found = [(ent.text, ent.start_char, ent.end_char, ent.ent_id_) for ent in doc.ents
                 if ent.label_ == "ORG"]
    out: list[Mention] = []
    for name, start, end, ent_id in found:
        agency = registry.resolve(name, jurisdiction)
        if agency is None and ent_id:
            agency = registry.get(ent_id)
        if agency is None:
            continue
        out.append(Mention(text=name, start=start, end=end, agency_id=agency.id,
                           name=agency.name))
    return out


def _packaged(registry: Registry) -> bool:
    """Whether ``registry`` was read from the packaged file (the one the word table was
    taught)."""
    from policykg.loaders.agencies import DEFAULT_REGISTRY

    return registry.path == f"loaders/lexicons/{DEFAULT_REGISTRY}"


@functools.cache
def _ruler_names(registry: Registry) -> tuple[frozenset[str], int]:
    """The ruler's pattern texts (every name and alias), and the longest one's length."""
    names = frozenset(registry.names())
    return names, max(map(len, names), default=0)


@functools.cache
def _squeezed_names(registry: Registry) -> tuple[frozenset[str], int, bool]:
    """The pattern texts without their spaces, the longest one's length, and whether no
    pattern has a space (the word-table path matches only such patterns as the ruler does)."""
    names, _ = _ruler_names(registry)
    squeezed = frozenset("".join(n.split()) for n in names)
    return squeezed, max(map(len, squeezed), default=0), squeezed == names


def _names_in(text: str, registry: Registry) -> bool:
    """Whether some listed name occurs in ``text`` (spaces left out, as a span's words may
    have one between them): without one, the ruler finds nothing."""
    text = "".join(text.split())
    names, longest, _ = _squeezed_names(registry)
    return any(text[i:j] in names for i in range(len(text))
               for j in range(i + 1, min(len(text), i + longest) + 1))


def _tokens(text: str, table: WordTable) -> list[tuple[str, int]]:
    """The pipeline tokenizer's tokens of ``text`` with their offsets: jieba's words
    (here from the table) aligned to the text as ``spacy.util.get_words_and_spaces`` does
    (a single space after a word is that word's trailing space, not a token)."""
    out: list[tuple[str, int]] = []
    at = 0
    for word in (w for w in cut(text, table) if w and not w.isspace()):
        start = text.index(word, at)
        if start > at:
            out.append((text[at:start], at))
        out.append((word, start))
        at = start + len(word)
        if at < len(text) and text[at] == " ":
            at += 1
    if at < len(text):
        out.append((text[at:], at))
    return out


def _table_entities(text: str, table: WordTable,
                    registry: Registry) -> list[tuple[str, int, int, str]]:
    """The ORG entities the pipeline's EntityRuler gives ``text``: (text, start, end, id).

    Its PhraseMatcher matches a name where the text's tokens are the name's own tokens;
    the ruler keeps the longest matches first (the earlier of two as long), each not
    overlapping one kept; the entities come in text order.
    """
    names, longest = _ruler_names(registry)
    tokens = _tokens(text, table)
    words = [w for w, _ in tokens]
    matches: list[tuple[int, int, str]] = []
    for i in range(len(tokens)):
        joined = ""
        for j in range(i + 1, len(tokens) + 1):
            joined += words[j - 1]
            if len(joined) > longest:
                break
            if joined in names and [w for w, _ in _tokens(joined, table)] == words[i:j]:
                matches.append((i, j, joined))
    matches.sort(key=lambda m: (m[1] - m[0], -m[0]), reverse=True)
    taken: set[int] = set()
    kept: list[tuple[int, int, str]] = []
    for i, j, name in matches:
        if i not in taken and j - 1 not in taken:
            kept.append((i, j, name))
            taken.update(range(i, j))
    out = []
    for i, j, name in sorted(kept):
        start, end = tokens[i][1], tokens[j - 1][1] + len(words[j - 1])
        agency = registry.resolve(name)
        out.append((text[start:end], start, end, agency.id if agency is not None else ""))
    return out
