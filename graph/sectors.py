"""Sector tags of documents, tasks and targets, from the terms of ``ontology/sectors.ttl``.

The scheme is read once with pyoxigraph's parser (``functools.cache``); a sector's signalling
terms are its ``skos:hiddenLabel``s in Chinese, matched as substrings. Takes records only: must
not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykg.errors import Errors, RegistryError
from policykg.records import Corpus, Document, SectorTag, Target, Task

__all__ = [
    "DOC_MIN_DENSITY",
    "DOC_MIN_HITS",
    "SECTOR_BASE",
    "Sector",
    "load_sectors",
    "match_sectors",
    "match_terms",
    "tag_document",
    "tag_sectors",
    "tag_text",
]

logger = logging.getLogger(__name__)

SECTOR_BASE = "https://w3id.org/policykg/sector/"

#: A document whose title names no sector is tagged when its body names the sector at least
#: this often, and at least ``DOC_MIN_DENSITY`` times per 10,000 characters: every 双碳 text
#: mentions 能源 a few times, a real energy policy dozens of times.
DOC_MIN_HITS = 12
DOC_MIN_DENSITY = 6.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Sector:
    """A concept of the sector scheme."""

    slug: str
    label_zh: str
    label_en: str
    broader: str | None
    terms: tuple[str, ...]


def _default_path() -> Path:
    # imported here: policykg.ontology imports rdflib (200 ms), which a cold ``who`` or
    # ``targets --sector`` must not pay just to name this file
    from policykg.ontology import SECTORS_PATH

    return SECTORS_PATH


def load_sectors(path: Path | None = None) -> tuple[Sector, ...]:
    """Read the sector scheme (``ontology/sectors.ttl`` unless ``path``), once per path.

    Raises:
        RegistryError: the file is missing, is not Turtle, or a concept has no terms.
    """
    return _load_sectors(path or _default_path())


@functools.cache
def _load_sectors(path: Path) -> tuple[Sector, ...]:
    # pyoxigraph's Rust parser, not rdflib: the build path imports no rdflib (~250 ms)
    import pyoxigraph

    skos = "http://www.w3.org/2004/02/skos/core#"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    concepts: set[str] = set()
    broader: dict[str, str] = {}
    labels: dict[tuple[str, str], str] = {}
    hidden: dict[str, list[str]] = {}
    try:
        for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            s, p, o = t.subject, t.predicate.value, t.object
            if not isinstance(s, pyoxigraph.NamedNode):
                continue
            if p == rdf_type and o == pyoxigraph.NamedNode(skos + "Concept"):
                concepts.add(s.value)
            elif p == skos + "broader" and isinstance(o, pyoxigraph.NamedNode):
                broader.setdefault(s.value, o.value)
            elif isinstance(o, pyoxigraph.Literal) and o.language is not None:
                if p == skos + "prefLabel":
                    labels.setdefault((s.value, o.language), o.value)
                elif p == skos + "hiddenLabel" and o.language == "zh":
                    hidden.setdefault(s.value, []).append(o.value)
    except OSError as e:
        raise RegistryError(Errors.V005.format(path=path, reason=e)) from e
    except SyntaxError as e:
        raise RegistryError(Errors.V005_TURTLE.format(path=path, reason=e)) from e

    def label(concept: str, lang: str) -> str:
        if (concept, lang) not in labels:
            raise RegistryError(Errors.V006.format(path=path, concept=concept, lang=lang))
        return labels[(concept, lang)]

    sectors: list[Sector] = []
    for concept in sorted(concepts):
        if not concept.startswith(SECTOR_BASE):
            continue
        terms = sorted(hidden.get(concept, ()))
        if not terms:
            raise RegistryError(Errors.V007.format(path=path, concept=concept))
        up = broader.get(concept)
        sectors.append(
            Sector(
                slug=concept[len(SECTOR_BASE) :],
                label_zh=label(concept, "zh"),
                label_en=label(concept, "en"),
                broader=None if up is None else up[len(SECTOR_BASE) :],
                terms=tuple(sorted(terms, key=lambda t: (-len(t), t))),
            )
        )
    logger.debug("%d sectors read from %s", len(sectors), path)
    return tuple(sectors)


@functools.cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of a sector's terms, longest first."""
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t))))


def match_terms(text: str, sector: Sector) -> dict[str, int]:
    """Return how often each term of a sector occurs in a text.

    A term inside a longer matched term of the same sector is not counted twice
    (新能源汽车 is not also 汽车).
    """
    counts: dict[str, int] = {}
    for m in _pattern(sector.terms).finditer(text):
        counts[m.group()] = counts.get(m.group(), 0) + 1
    return counts


def _trie_alternation(terms: Iterable[str]) -> str:
    """A pattern of ``terms`` as a trie, a longer term before its prefix at each position.

    >>> _trie_alternation(["能源", "能效", "能源汽车"])
    '能(?:效|源(?:汽车)?)'
    """
    root: dict[str, dict[str, Any]] = {}
    for term in terms:
        node = root
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1:
            return f"(?:{alts[0]})?" if "" in node else alts[0]
        return "(?:" + "|".join(alts) + ("|)" if "" in node else ")")

    return emit(root)


#: For each term, per sector, the longest of its prefixes that is a term of that sector.
_Taken = dict[str, tuple[tuple[str, str], ...]]

#: The scanner of each tuple of sectors asked for (``load_sectors`` gives the same tuple), by
#: identity: hashing the terms of every sector on each call would cost more than a scan.
_SCANNERS: dict[int, tuple[tuple[Sector, ...], re.Pattern[str], _Taken]] = {}


def _scanner(sectors: tuple[Sector, ...]) -> tuple[re.Pattern[str], _Taken]:
    """One pattern of every sector's terms, and for each term, per sector, the longest of its
    prefixes that is a term of that sector (the term a sector's own scan takes there)."""
    made = _SCANNERS.get(id(sectors))
    if made is not None and made[0] is sectors:
        return made[1], made[2]
    of_term: dict[str, list[str]] = {}
    for sector in sectors:
        for term in sector.terms:
            of_term.setdefault(term, []).append(sector.slug)
    taken: _Taken = {}
    for term in of_term:
        longest: dict[str, str] = {}
        for end in range(len(term), 0, -1):
            for slug in of_term.get(term[:end], ()):
                longest.setdefault(slug, term[:end])
        taken[term] = tuple(longest.items())
    pattern = re.compile(_trie_alternation(of_term))
    if len(_SCANNERS) >= 8:
        _SCANNERS.clear()  # a process uses one scheme or two: keep no tuple alive for long
    _SCANNERS[id(sectors)] = (sectors, pattern, taken)
    return pattern, taken


def match_sectors(text: str, sectors: tuple[Sector, ...]) -> dict[str, dict[str, int]]:
    """``match_terms`` of every sector with a term in ``text``, by slug, in one scan.

    Each position where some term starts is visited once; a sector counts its longest term
    there unless the position lies inside that sector's previous match, as its own scan would.

    >>> found = match_sectors("推广新能源汽车", load_sectors())
    >>> found["transport"], "energy" in found
    ({'新能源汽车': 1}, True)
    """
    pattern, taken = _scanner(sectors)
    if not taken:
        return {}
    found: dict[str, dict[str, int]] = {}
    free_from: dict[str, int] = {}
    search = pattern.search
    m = search(text)
    while m is not None:
        at = m.start()
        for slug, term in taken[m.group()]:
            if free_from.get(slug, 0) <= at:
                counts = found.setdefault(slug, {})
                counts[term] = counts.get(term, 0) + 1
                free_from[slug] = at + len(term)
        m = search(text, at + 1)
    return found


def _with_broader(
    found: dict[str, tuple[str, ...]], sectors: tuple[Sector, ...]
) -> dict[str, tuple[str, ...]]:
    """Add the broader sector of each sub-sector found, with the sub-sector's terms."""
    by_slug = {s.slug: s for s in sectors}
    out = dict(found)
    for slug, terms in found.items():
        broader = by_slug[slug].broader
        while broader is not None:
            out[broader] = tuple(sorted(set(out.get(broader, ())) | set(terms)))
            broader = by_slug[broader].broader
    return out


def tag_text(subject_id: str, text: str, sectors: tuple[Sector, ...]) -> list[SectorTag]:
    """Tag a short text (a task, a target indicator): one term is evidence enough."""
    found = {slug: tuple(sorted(counts)) for slug, counts in match_sectors(text, sectors).items()}
    return _tags(subject_id, _with_broader(found, sectors))


def tag_document(doc: Document, sectors: tuple[Sector, ...]) -> list[SectorTag]:
    """Tag a document from its title, or from enough body mentions (see ``DOC_MIN_HITS``)."""
    body = "".join(p.text for p in doc.paragraphs)
    size = max(len(body), 1)
    found: dict[str, tuple[str, ...]] = {}
    titles, bodies = match_sectors(doc.title, sectors), match_sectors(body, sectors)
    for sector in sectors:
        in_title = titles.get(sector.slug, {})
        in_body = bodies.get(sector.slug, {})
        hits = sum(in_body.values())
        dense = hits >= DOC_MIN_HITS and hits * 10_000 / size >= DOC_MIN_DENSITY
        if in_title or dense:
            terms = set(in_title) | (set(in_body) if dense else set())
            found[sector.slug] = tuple(sorted(terms))
    return _tags(doc.id, _with_broader(found, sectors))


def _tags(subject_id: str, found: dict[str, tuple[str, ...]]) -> list[SectorTag]:
    return [
        SectorTag(subject_id=subject_id, sector=slug, terms=terms)
        for slug, terms in sorted(found.items())
    ]


def _iter_tags(
    documents: Iterable[Document],
    tasks: Iterable[Task],
    targets: Iterable[Target],
    sectors: tuple[Sector, ...],
) -> Iterator[SectorTag]:
    for doc in documents:
        yield from tag_document(doc, sectors)
    for task in tasks:
        yield from tag_text(task.id, task.text, sectors)
    for target in targets:
        yield from tag_text(target.id, target.indicator, sectors)


def tag_sectors(corpus: Corpus, path: Path | None = None) -> list[SectorTag]:
    """Return the sector tags of every document, task and target of a corpus.

    Documents need a title hit or ``DOC_MIN_HITS`` dense body hits; tasks are tagged from
    their text and targets from their indicator, where one term is enough. A sub-sector
    (steel) also tags its broader sector (industry) with the same terms.

    Args:
        corpus: the loaded records.
        path: the SKOS sector scheme (default ``ontology/sectors.ttl``).

    Returns:
        Tags in subject order (documents, tasks, targets), each sector once per subject.
    """
    sectors = load_sectors(path)
    tags = list(_iter_tags(corpus.documents, corpus.tasks, corpus.targets, sectors))
    logger.info("%d sector tags", len(tags))
    return tags
