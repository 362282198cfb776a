"""The ranking rule of ``who`` and ``search`` over an index of texts, and the store's lookup file.

``TextIndex`` ranks texts by the rule of ``graph.fulltext`` (phrase matches first, then more of
the query's distinct words, then BM25; ``min_match``) without touching every text per query:
the texts and their space-free forms are each joined once into one string, and a query word is
found with ``str.find`` (C speed, proportional to its occurrences), then mapped back to its text.

``records/lookup.txt`` (written with the records, read by ``policykg who`` before anything
else) holds the tasks in ``who`` order (document, line, id) with their search texts, their
space-free forms and what ``who`` prints, and the documents' ids, titles and files: a cold
``who`` reads it with ``str.split`` and needs neither ``json`` nor the record classes.

Standard library only (no dataclasses: a cold command must not pay for them).
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator

# typing's import costs a cold `who` ~6 ms, collections' 2 ms; mypy reads any constant named
# TYPE_CHECKING
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from pathlib import Path
    from typing import Any

__all__ = [
    "K1",
    "LOOKUP",
    "LOOKUP_FORMAT",
    "LOOKUP_GRAMS",
    "STOP_WORDS",
    "B",
    "Grams",
    "TaskIndex",
    "TextIndex",
    "compact",
    "is_noise",
    "lookup_blocks",
    "lookup_text",
    "min_match",
    "phrase_pattern",
    "query_terms",
    "read_lookup",
    "search_text",
    "who_order",
]

# BM25 parameters (the usual defaults)
K1 = 1.2
B = 0.75

# One-character function words a segmented query carries that say nothing about a text.
STOP_WORDS = frozenset("的了和与及或在对由把将为是等各有关于中并以")

#: From this many characters of text on, the phrase test imports ``re`` (7 ms of CPU in a fresh
#: process) and searches with a pattern; below it, a space-free copy of the texts costs less
#: (~10 ns a character: 3 ms for the 364 PDFs' task texts, 27 ms for their paragraphs).
PHRASE_PATTERN_FROM = 800_000

#: The lookup file of a store's ``records/`` folder, its bigram postings, and the first line
#: they start with.
LOOKUP = "lookup.txt"
LOOKUP_GRAMS = "lookup-grams.txt"
LOOKUP_FORMAT = "policykg-lookup 5"

# Separators of the lookup file: no loader keeps these control characters in a text (a
# corpus holding one gets no lookup file, and the commands read the records instead).
_SEP = "\x00"  # between the items of a part
_PART = "\x1d"  # between the parts
_FIELD = "\x1f"  # between the fields of a row
_ITEM = "\x1e"  # between the names of a list field
_CONTROL = (_SEP, _PART, _FIELD, _ITEM)
_SEP_BYTES = _SEP.encode()
_PART_BYTES = _PART.encode()
_BLOCK = "\n\n"  # between the blocks of the bigram postings (a block has no empty line)

# A word that occurs in more than this share of the texts is counted text by text.
_DENSE = 0.5


def query_terms(tokens: Iterable[str]) -> list[str]:
    """Distinct query words in order, without punctuation and one-character stop words.

    >>> query_terms(["量子", "计算", "的", "量子", "，"])
    ['量子', '计算']
    """
    seen: dict[str, None] = {}
    for token in tokens:
        t = token.strip()
        if t and not is_noise(t):
            seen.setdefault(t, None)
    terms = list(seen)
    kept = [t for t in terms if not (len(t) == 1 and t in STOP_WORDS)]
    return kept or terms


def min_match(n: int) -> int:
    """How many of ``n`` distinct query words a text must hold: all of one or two, then
    two in three (rounded up).

    >>> [min_match(n) for n in range(1, 7)]
    [1, 2, 2, 3, 4, 4]
    """
    return n if n <= 2 else math.ceil(2 * n / 3)


def is_noise(token: str) -> bool:
    """Whether a token is only punctuation, spaces or symbols (，。、（）…): no letter or digit
    of any script, as ``re``'s ``^[\\s\\W_]+$`` says.

    >>> is_noise("，"), is_noise(" _ "), is_noise("碳"), is_noise("②"), is_noise("")
    (True, True, False, False, False)
    """
    return bool(token) and not any(map(str.isalnum, token))


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The pattern of ``phrase`` with any whitespace between its characters (``re`` is
    imported here: a cold ``who`` over a small store never calls it).

    >>> phrase_pattern("光伏").search("分布式光 伏").group()
    '光 伏'
    """
    import re

    return re.compile(r"\s*".join(map(re.escape, phrase)))


def compact(text: str) -> str:
    """``text`` without whitespace (the phrase test's form): ``str.split`` knows the
    whitespace ``re``'s ``\\s`` does."""
    return "".join(text.split())


#: One ranked text: (index, whether it holds the phrase, the query words it holds, BM25 score).
Hit = tuple[int, bool, tuple[str, ...], float]


class TextIndex:
    """Texts in a fixed order, ranked for a query by the rule of ``graph.fulltext``."""

    __slots__ = ("_big", "_compact", "_compact_big", "_starts", "grams", "lengths", "texts")

    def __init__(self, texts: Sequence[str], grams: Grams | None = None, *,
                 joined: str | None = None) -> None:
        """``joined``: the texts joined by ``_SEP``, when the caller holds them so (a lookup
        file does): not joined again."""
        self.texts = list(texts)
        self.lengths = [max(len(t), 1) for t in self.texts]
        self._big = _SEP.join(self.texts) if joined is None else joined
        self._starts = _starts(self.texts)
        self._compact: dict[int, str] = {}
        self._compact_big: str | None = None
        #: the texts' bigram postings: words found without reading the texts (else scanned)
        self.grams = grams

    def __len__(self) -> int:
        return len(self.texts)

    def compact(self, i: int) -> str:
        """Text ``i`` without whitespace (made when first asked for)."""
        found = self._compact.get(i)
        if found is None:
            found = self._compact[i] = compact(self.texts[i])
        return found

    def _counts(self, term: str) -> dict[int, int]:
        """How often ``term`` occurs in each text holding it (``str.count``: no overlaps)."""
        if self.grams is not None and len(term) > 1 and _plain(term):
            found = self.grams.holding(term, self.texts)
            if found is not None:
                return found
        total = self._big.count(term)
        if not total:
            return {}
        if _SEP in term or total > _DENSE * len(self.texts):
            return {i: c for i, t in enumerate(self.texts) if (c := t.count(term))}
        counts: dict[int, int] = {}
        starts, find, step = self._starts, self._big.find, len(term)
        pos = find(term)
        while pos >= 0:
            i = bisect.bisect_right(starts, pos) - 1
            counts[i] = counts.get(i, 0) + 1
            pos = find(term, pos + step)
        return counts

    def _phrase(self, phrase: str) -> set[int]:
        """The texts whose space-free form holds ``phrase``."""
        if not phrase:
            return set()
        if self.grams is not None and len(phrase) > 1 and _plain(phrase):
            return self.grams.phrased(phrase, self.compact)
        if _SEP in phrase:
            return {i for i in range(len(self.texts)) if phrase in self.compact(i)}
        # the phrase with any whitespace between its characters, never across two texts
        if len(self._big) >= PHRASE_PATTERN_FROM:
            return self._phrase_by_pattern(phrase)
        return self._phrase_in_copy(phrase)

    def _phrase_by_pattern(self, phrase: str) -> set[int]:
        """``_phrase`` by ``phrase_pattern``."""
        pattern = phrase_pattern(phrase)
        found: set[int] = set()
        starts, pos = self._starts, 0
        while (m := pattern.search(self._big, pos)) is not None:
            i = bisect.bisect_right(starts, m.start()) - 1
            found.add(i)
            if i + 1 >= len(starts):
                break
            pos = starts[i + 1]
        return found

    def _phrase_in_copy(self, phrase: str) -> set[int]:
        """``_phrase`` in the texts' space-free forms, joined as the texts are."""
        if self._compact_big is None:
            self._compact_big = compact(self._big)
        big, find = self._compact_big, self._compact_big.find
        found: set[int] = set()
        i, at = 0, 0  # text i starts at ``at``
        pos = find(phrase)
        while pos >= 0:
            i += big.count(_SEP, at, pos)
            found.add(i)
            at = find(_SEP, pos + len(phrase))
            if at < 0:
                break
            i, at = i + 1, at + 1
            pos = find(phrase, at)
        return found

    def rank(self, query: str, tokens: Sequence[str],
             subset: Sequence[int] | None = None, limit: int = 0) -> list[Hit]:
        """Rank the texts (or those of ``subset``, ascending indexes) for a query.

        Args:
            query: the query as typed (for the phrase test).
            tokens: the query's segmentation.
            subset: the indexes of the texts to rank (None: all); the statistics of BM25
                (text count, mean length, document frequencies) are those of the subset.
            limit: how many of the best to return (0 or less: all).

        Returns:
            The matching texts, best first: (index, phrase, matched words, score).
        """
        terms = query_terms(tokens)
        phrase = compact(query)
        n = len(self.texts) if subset is None else len(subset)
        if not terms or not n:
            return []
        avg = sum(self.lengths) / n if subset is None else sum(self.lengths[i] for i in subset) / n
        counts = [self._counts(term) for term in terms]
        phrased = self._phrase(phrase)
        if subset is not None:
            inside = set(subset)
            counts = [{i: c for i, c in row.items() if i in inside} for row in counts]
            phrased &= inside
        df = [len(row) for row in counts]
        idf = [math.log(1 + (n - d + 0.5) / (d + 0.5)) for d in df]
        need = min_match(len(terms))
        # texts by (holds the phrase, how many words): the rule's first two keys
        seen: dict[int, int] = {}  # as Counter counts, in the same order
        for i in itertools.chain.from_iterable(counts):
            seen[i] = seen.get(i, 0) + 1
        groups: dict[tuple[bool, int], list[int]] = {}
        for i, k in seen.items():
            if k >= need or i in phrased:
                groups.setdefault((i in phrased, k), []).append(i)
        for i in phrased.difference(seen):
            groups.setdefault((True, 0), []).append(i)
        out: list[Hit] = []
        for key in sorted(groups, key=lambda g: (not g[0], -g[1])):
            if 0 < limit <= len(out):
                break  # a group below the best ``limit`` need not be scored
            part: list[Hit] = []
            for i in groups[key]:
                tfs = [row.get(i, 0) for row in counts]
                length = self.lengths[i]
                matched = tuple(term for term, tf in zip(terms, tfs, strict=True) if tf)
                # the expression of the reference rule, term by term: equal floats, equal ties
                score = sum(
                    idf[j] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
                    for j, tf in enumerate(tfs) if tf
                )
                part.append((i, key[0], matched, score))
            part.sort(key=lambda r: (-r[3], r[0]))
            out += part
        return out[:limit] if limit > 0 else out


def _plain(word: str) -> bool:
    """Whether ``word`` has no whitespace and no separator (its bigrams are indexed)."""
    if word.isprintable() and " " not in word:
        return True  # at C speed: the space is the one printable whitespace, no separator is
    return not any(c.isspace() or c in _CONTROL for c in word)


class Grams:
    """Bigram postings of texts: where each pair of adjacent characters (no whitespace in it)
    occurs and how often, and where the space-free forms have pairs the texts split by
    whitespace (a heading after its text, a line break inside a word).

    Kept in blocks of consecutive texts (a lookup file has one per document with tasks), each
    counted with its own indexes from 0: a block depends on its texts only, so a store
    change writes the blocks of unchanged documents as they were (``lookup_text``'s
    ``previous``).  Stored as text (``postings_text``): per block, one line per bigram, ``XY``
    then ``index count`` pairs; a line is parsed when a query first needs it.
    """

    __slots__ = ("_blocks", "_extra", "_parsed")

    def __init__(self, lines: dict[str, str], split: dict[str, str], start: int = 0) -> None:
        #: (first text's index, own lines by bigram, split lines by bigram) per block
        self._blocks: list[tuple[int, dict[str, str], dict[str, str]]] = [(start, lines, split)]
        self._parsed: dict[str, dict[int, int]] = {}
        self._extra: dict[str, set[int]] = {}

    @classmethod
    def of_texts(cls, texts: Sequence[str]) -> Grams:
        """Count the bigrams of ``texts`` (and the extra ones of their space-free forms)."""
        from collections import Counter

        post: dict[str, list[str]] = {}
        split: dict[str, list[str]] = {}
        for i, t in enumerate(texts):
            c = compact(t)
            own = Counter(map(operator.add, t, t[1:]))
            for bg, n in own.items():
                post.setdefault(bg, []).append(f"{i} {n}")
            for bg in set(map(operator.add, c, c[1:])).difference(own):
                split.setdefault(bg, []).append(str(i))
        return cls({bg: bg + " ".join(v) for bg, v in post.items() if _plain(bg)},
                   {bg: bg + " ".join(v) for bg, v in split.items()})

    @classmethod
    def parse(cls, text: str, start: int = 0) -> Grams | None:
        """Read one block of ``postings_text`` output (its texts from ``start``); None if it
        is not of this format."""
        own, _, split = text.partition(_PART)
        lines = own.split("\n") if own else []
        extra = split.split("\n") if split else []
        if any(len(x) < 3 for x in lines) or any(len(x) < 3 for x in extra):
            return None
        return cls(dict(zip(map(_HEAD, lines), lines, strict=True)),
                   dict(zip(map(_HEAD, extra), extra, strict=True)), start)

    @classmethod
    def joined(cls, blocks: Sequence[Grams]) -> Grams:
        """The postings of the blocks' texts together (each keeps its start)."""
        out = cls({}, {})
        out._blocks = [b for g in blocks for b in g._blocks]
        return out

    def postings_text(self) -> str:
        """The postings of a block as text, bigrams sorted (deterministic)."""
        if len(self._blocks) != 1:
            raise ValueError("postings_text writes one block")
        _, lines, split = self._blocks[0]
        return ("\n".join(lines[k] for k in sorted(lines)) + _PART
                + "\n".join(split[k] for k in sorted(split)))

    def postings(self, bigram: str) -> dict[int, int]:
        """Text index → occurrences of ``bigram`` (no whitespace in it)."""
        found = self._parsed.get(bigram)
        if found is None:
            found = {}
            for start, lines, _ in self._blocks:
                line = lines.get(bigram)
                if line:
                    numbers = list(map(int, line[2:].split()))
                    if start:
                        found.update(zip((start + i for i in numbers[::2]), numbers[1::2],
                                         strict=True))
                    else:
                        found.update(zip(numbers[::2], numbers[1::2], strict=True))
            self._parsed[bigram] = found
        return found

    def _in_compact(self, bigram: str) -> set[int]:
        found = self._extra.get(bigram)
        if found is None:
            found = set(self.postings(bigram))
            for start, _, split in self._blocks:
                line = split.get(bigram)
                if line:
                    found.update(start + int(i) for i in line[2:].split())
            self._extra[bigram] = found
        return found

    def holding(self, term: str, texts: Sequence[str]) -> dict[int, int] | None:
        """How often ``term`` (two characters or more, no whitespace) occurs in each text
        holding it, as ``str.count`` counts."""
        if len(term) == 2 and term[0] != term[1]:
            return self.postings(term)  # two different characters: occurrences never overlap
        candidates = self._all([self.postings(term[k:k + 2]) for k in range(len(term) - 1)])
        return {i: n for i in candidates if (n := texts[i].count(term))}

    def phrased(self, phrase: str, compact_of: Callable[[int], str]) -> set[int]:
        """The texts whose space-free form (``compact_of``) holds ``phrase`` (two characters
        or more)."""
        candidates = self._all([self._in_compact(phrase[k:k + 2])
                                for k in range(len(phrase) - 1)])
        if len(phrase) == 2:
            return set(candidates)
        return {i for i in candidates if phrase in compact_of(i)}

    @staticmethod
    def _all(sets: Sequence[Iterable[int]]) -> Iterable[int]:
        """The members of every one of ``sets`` (smallest first)."""
        ordered = sorted(sets, key=len)  # type: ignore[arg-type]
        found = set(ordered[0])
        for other in ordered[1:]:
            if not found:
                break
            found.intersection_update(other)
        return found


def _HEAD(line: str) -> str:  # noqa: N802 - a key function, named as the part it takes
    return line[:2]


def _starts(texts: Sequence[str]) -> list[int]:
    """Where each text starts in the texts joined by one separator."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return starts


def search_text(text: str, section: Iterable[str]) -> str:
    """What ``who`` searches in a task: its text and its section headings, one per line."""
    return "\n".join((text, *section))


def who_order(tasks: Iterable[Any], doc_ids: Sequence[str]) -> list[Any]:
    """Tasks in ``who`` order: their document's place in ``doc_ids``, then line, then id."""
    order = {d: i for i, d in enumerate(doc_ids)}
    return sorted(tasks, key=lambda t: (order.get(t.doc_id, len(order)), t.start_line, t.id))


class TaskIndex(TextIndex):
    """The tasks' search texts in ``who`` order, with the task ids (``rows``: what ``who``
    prints, when read from a lookup file)."""

    __slots__ = ("_agencies", "_docs", "_row_starts", "_rows", "checked", "ids", "position")

    def __init__(self, ids: Sequence[str], texts: Sequence[str], grams: Grams | None = None,
                 rows: bytes = b"", docs: bytes = b"", agencies: bytes = b"", *,
                 joined: str | None = None) -> None:
        super().__init__(texts, grams, joined=joined)
        self.ids = list(ids)
        self.position = {t: i for i, t in enumerate(self.ids)}
        self._rows = rows
        self._row_starts: list[int] | None = None
        self._docs = docs
        self._agencies = agencies
        #: the last tuple of tasks ``graph.search.who`` found here, with what it found
        self.checked: tuple[Any, ...] | None = None

    @classmethod
    def of_tasks(cls, tasks: Iterable[Any], doc_ids: Sequence[str], *,
                 grams: bool = False) -> TaskIndex:
        """The index of task records (``records.Task``) of documents ``doc_ids`` (with the
        bigram postings: worth their cost for an index queried many times)."""
        ordered = who_order(tasks, doc_ids)
        texts = [search_text(t.text, t.section) for t in ordered]
        return cls([t.id for t in ordered], texts,
                   grams=Grams.of_texts(texts) if grams else None)

    def task_rows(self, indexes: Iterable[int]) -> list[dict[str, Any]]:
        """What ``who`` prints of these tasks (from a lookup file)."""
        out = []
        for i in indexes:
            f = self._row(i).decode("utf-8").split(_FIELD)
            out.append({"id": self.ids[i], "doc_id": f[0], "text": self.texts[i][:int(f[1])],
                        "section": _items(f[2]), "lead": _items(f[3]),
                        "participants": _items(f[4]), "collective": _items(f[5]),
                        "start_line": int(f[6]), "end_line": int(f[7]), "raw": f[8],
                        "jurisdiction": f[9] or None, "page": int(f[10]) if f[10] else None})
        return out

    def _row(self, i: int) -> bytes:
        """Row ``i`` of the rows part, cut out where it is (a cold ``who`` prints ten of
        thousands: splitting the part copied all of them)."""
        starts = self._row_starts
        if starts is None:
            rows, find = self._rows, self._rows.find
            starts, pos = [0], find(_SEP_BYTES)
            while pos >= 0:
                starts.append(pos + 1)
                pos = find(_SEP_BYTES, pos + 1)
            starts.append(len(rows) + 1)
            self._row_starts = starts
        return self._rows[starts[i]:starts[i + 1] - 1]

    def agency_names(self) -> dict[str, str]:
        """Agency id → canonical name, from a lookup file."""
        rows = self._agencies.decode("utf-8").split(_SEP) if self._agencies else []
        return dict(row.split(_FIELD, 1) for row in rows)

    def documents(self) -> dict[str, tuple[str, str]]:
        """Document id → (title, file), from a lookup file."""
        out = {}
        for row in self._docs.decode("utf-8").split(_SEP) if self._docs else ():
            doc_id, title, file = row.split(_FIELD)
            out[doc_id] = (title, file)
        return out


def _page(task: Any) -> str:
    """The PDF page of a task's first line ("" when it has none, or records carry no page)."""
    page = getattr(task, "page", None)
    return "" if page is None else str(page)


def _items(field: str) -> tuple[str, ...]:
    return tuple(field.split(_ITEM)) if field else ()


def lookup_text(tasks: Iterable[Any], documents: Sequence[Any],
                agencies: Iterable[Any] = (),
                previous: Mapping[tuple[str, ...], str] | None = None) -> tuple[str, str] | None:
    """The lookup file of a corpus's tasks, documents and agencies (ids and names), and its
    bigram postings (the ``LOOKUP_GRAMS`` file); None if a text holds a separator.  A task of
    no document is left out, as ``who`` and ``duties`` leave it out.

    The postings have a block per document with tasks: ``previous`` (``lookup_blocks`` of a
    store's files) gives the text of the blocks already counted, by their texts."""
    doc_ids = [d.id for d in documents]
    known = set(doc_ids)
    ordered = who_order((t for t in tasks if t.doc_id in known), doc_ids)
    agencies = list(agencies)
    texts = [search_text(t.text, t.section) for t in ordered]
    # a row holds its text's length: the text is the start of its search text
    rows = [_FIELD.join((t.doc_id, str(len(t.text)), _ITEM.join(t.section), _ITEM.join(t.lead),
                         _ITEM.join(t.participants), _ITEM.join(t.collective),
                         str(t.start_line), str(t.end_line), t.raw, t.jurisdiction or "",
                         _page(t))) for t in ordered]
    docs = [_FIELD.join((d.id, d.title, d.file)) for d in documents]
    bodies = [_FIELD.join((a.id, a.name)) for a in agencies]
    values = [*texts, *(v for t in ordered for v in (*t.section, *t.lead, *t.participants,
                                                      *t.collective, t.id, t.doc_id, t.raw,
                                                      t.jurisdiction or "")),
              *(v for d in documents for v in (d.id, d.title, d.file)),
              *(v for a in agencies for v in (a.id, a.name))]
    if any(c in v for v in values for c in _CONTROL):
        return None
    head = f"{LOOKUP_FORMAT} {len(ordered)} {len(documents)}"
    parts = (head, _SEP.join(t.id for t in ordered), _SEP.join(texts), _SEP.join(rows),
             _SEP.join(docs), _SEP.join(bodies))
    starts: list[int] = []
    blocks: list[str] = []
    for start, end in _runs([t.doc_id for t in ordered]):
        own = tuple(texts[start:end])
        block = previous.get(own) if previous is not None else None
        starts.append(start)
        blocks.append(Grams.of_texts(own).postings_text() if block is None else block)
    grams = f"{LOOKUP_FORMAT} {len(ordered)}{''.join(f' {s}' for s in starts)}\n"
    return _PART.join(parts) + "\n", grams + _BLOCK.join(blocks) + "\n"


def _runs(keys: Sequence[str]) -> list[tuple[int, int]]:
    """The (start, end) of each run of equal keys."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append((start, i))
            start = i
    return out


def lookup_blocks(path: Path | str, grams: Path | str) -> dict[tuple[str, ...], str]:
    """The postings blocks of a lookup file's bigram postings (``grams``), by the texts they
    count; empty if either file is missing or not of this format (``lookup_text``'s
    ``previous``)."""
    index = read_lookup(path)
    text = _read(grams)
    if index is None or text is None:
        return {}
    first, _, body = text.partition("\n")
    starts = _starts_of(first, len(index))
    if not starts:  # no tasks, or an older file of one block
        return {}
    blocks = body[:-1].split(_BLOCK)
    if len(blocks) != len(starts):
        return {}
    ends = [*starts[1:], len(index)]
    return {tuple(index.texts[s:e]): b for s, e, b in zip(starts, ends, blocks, strict=True)}


def _starts_of(first: str, n: int) -> list[int] | None:
    """The block starts a postings file's first line gives (None: not of ``n`` texts, or not
    of this format)."""
    head = first.split(" ")
    if " ".join(head[:2]) != LOOKUP_FORMAT or len(head) < 3 or head[2] != str(n):
        return None
    try:
        starts = [int(s) for s in head[3:]]
    except ValueError:
        return None
    if starts and (starts[0] != 0 or any(a >= b for a, b in itertools.pairwise(starts))
                   or starts[-1] >= n):
        return None
    return starts


def read_lookup(path: Path | str, grams: Path | str | None = None) -> TaskIndex | None:
    """Read a lookup file (with its bigram postings from ``grams``); None if it is missing
    or not of this format (the caller reads the records instead).

    What ``who`` prints of a task stays undecoded until it is printed.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    # the parts are cut out where they are (a split, or a strip of the trailing newline,
    # copies the whole file: ~6 ms of a cold ``who`` on the 364 PDFs' store)
    end = len(data)
    while end and data[end - 1] == 10:  # b"\n"
        end -= 1
    cuts = [-1]
    for _ in range(5):
        cut = data.find(_PART_BYTES, cuts[-1] + 1, end)
        if cut < 0:
            return None
        cuts.append(cut)
    if data.find(_PART_BYTES, cuts[-1] + 1, end) >= 0:
        return None
    cuts.append(end)
    view = memoryview(data)
    parts = [view[a + 1:b] for a, b in itertools.pairwise(cuts)]
    try:
        head = str(parts[0], "ascii").split(" ")
        if " ".join(head[:2]) != LOOKUP_FORMAT or len(head) != 4:
            return None
        n, ndocs = int(head[2]), int(head[3])
        ids = str(parts[1], "utf-8").split(_SEP) if n else []
        joined = str(parts[2], "utf-8") if n else ""
    except (UnicodeDecodeError, ValueError):
        return None
    texts = joined.split(_SEP) if n else []
    docs = bytes(parts[4])
    if not len(ids) == len(texts) == n or (docs.count(_SEP_BYTES) + 1 if docs else 0) != ndocs:
        return None
    postings = None
    if grams is not None:
        postings = _read_grams(grams, n)
        if postings is None:
            return None
    return TaskIndex(ids, texts, postings, bytes(parts[3]), docs, bytes(parts[5]),
                     joined=joined if n else None)


def _read_grams(path: Path | str, n: int) -> Grams | None:
    """The bigram postings of a lookup file of ``n`` texts; None if missing or not of this
    format.  A file of one block without its start (an older store's) is read as one."""
    text = _read(path)
    first, _, body = (text or "").partition("\n")
    starts = _starts_of(first, n)
    if starts is None:
        return None
    body = body[:-1] if body.endswith("\n") else body
    if not n:
        return Grams.joined([])
    if not starts:
        return Grams.parse(body)  # one block, as written before the blocks
    blocks = body.split(_BLOCK)
    if len(blocks) != len(starts):
        return None
    parsed = [Grams.parse(b, s) for b, s in zip(blocks, starts, strict=True)]
    return None if any(g is None for g in parsed) else Grams.joined(
        [g for g in parsed if g is not None])


def _read(path: Path | str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None
