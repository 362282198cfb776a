"""Chinese segmentation and agency mentions: the only module that imports spaCy or jieba.

The pipeline is ``spacy.blank("zh")`` with the jieba segmenter and an EntityRuler whose
patterns are the registry's names and aliases (label ``ORG``, id = agency id).  jieba's
dictionary is global to the process, so every registry name and the domain words of
``lexicons/domain_words.toml`` are added with ``jieba.add_word`` *before* the ruler is built:
the ruler only matches names that jieba keeps whole.  Built once per registry
(``functools.cache``); nothing is loaded at import time.

Must not import rdflib, networkx or pyvis.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from loaders.agencies import Registry, load_registry

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["Mention", "build_pipeline", "domain_words", "find_agency_mentions", "segment"]

logger = logging.getLogger(__name__)

# A token that carries no search meaning: punctuation, spaces, symbols (，。、（） …).
NOISE_TOKEN = re.compile(r"^[\s\W_]+$")


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
    ref = resources.files("loaders").joinpath("lexicons", "domain_words.toml")
    data = tomllib.loads(ref.read_text(encoding="utf-8"))
    words = data.get("words", [])
    return tuple(w for w in words if isinstance(w, str) and w)


@functools.cache
def _default_registry() -> Registry:
    return load_registry()


@functools.cache
def _teach_jieba(registry: Registry) -> tuple[str, ...]:
    """Add the domain words and every registry name to jieba's global dictionary, once.

    Returns the registry names, longest first.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    names = tuple(sorted(set(registry.names()), key=lambda n: (-len(n), n)))
    for word in (*domain_words(), *names):
        jieba.add_word(word, freq=None)
    return names


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


def segment(text: str, registry: Registry | None = None) -> list[str]:
    """Segment ``text`` into words (jieba, taught the registry and domain words).

    Punctuation and spaces are dropped; the words keep their printed order.  Uses jieba
    exactly as the pipeline's tokenizer does (``cut``, ``cut_all=False``) without building
    spaCy, so that ``policykg who`` starts fast.
    """
    import jieba

    _teach_jieba(registry or _default_registry())
    return [w for w in jieba.cut(text, cut_all=False) if w and not NOISE_TOKEN.match(w)]


def find_agency_mentions(
    text: str, registry: Registry, jurisdiction: str | None = None
) -> list[Mention]:
    """Find the registry agencies named in running text ("由A负责", addressees, sign-offs).

    Relative names (省发展改革委) resolve in ``jurisdiction`` (id or name); a mention that
    does not resolve there is left out.
    """
    nlp = build_pipeline(registry)
    doc = nlp(text)
    out: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        agency = registry.resolve(ent.text, jurisdiction)
        if agency is None and ent.ent_id_:
            agency = registry.get(ent.ent_id_)
        if agency is None:
            continue
        out.append(Mention(text=ent.text, start=ent.start_char, end=ent.end_char,
                           agency_id=agency.id, name=agency.name))
    return out
