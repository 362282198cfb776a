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

from policykg.errors import Errors, RegistryError
from policykg.records import Corpus, Document, SectorTag, Target, Task

__all__ = [
    "DOC_MIN_DENSITY",
    "DOC_MIN_HITS",
    "SECTOR_BASE",
    "Sector",
    "load_sectors",
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
    found: dict[str, tuple[str, ...]] = {}
    for sector in sectors:
        counts = match_terms(text, sector)
        if counts:
            found[sector.slug] = tuple(sorted(counts))
    return _tags(subject_id, _with_broader(found, sectors))


def tag_document(doc: Document, sectors: tuple[Sector, ...]) -> list[SectorTag]:
    """Tag a document from its title, or from enough body mentions (see ``DOC_MIN_HITS``)."""
    body = "".join(p.text for p in doc.paragraphs)
    size = max(len(body), 1)
    found: dict[str, tuple[str, ...]] = {}
    for sector in sectors:
        in_title = match_terms(doc.title, sector)
        in_body = match_terms(body, sector)
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
