"""Synthetic ×N corpora: N copies of the bundled compilation, each with its own titles and 文号.

Copy 0 is the compilation verbatim; copy k ≥ 1 keeps every line's text shape (same lines,
same page breaks, same annotations) but marks every document title with ``MARKER_TEMPLATE``
and renumbers every 发文字号 serial into a range of its own, so that the documents of all
copies are distinct while the loader sees the same structure.  Dates and years are kept:
they feed target years and citation order, which must keep their meaning.

Every copy has IRIs of its own: the loader re-keys a repeated document id with its sections
(p2-1.6, p2-1.6-2, …).  A citation by 文号 inside copy k resolves inside copy k
(its numbers are renumbered the same way), and so does a citation quoting on one line the
exact title of a document of the corpus (copy k marks the quote as it marks the titles).
A citation quoting a title otherwise (wrapped over two lines, a short form, an older
edition: the resolver's fuzzy keys) still resolves to copy 0, as local documents of a real
national corpus cite the national ones: at ×2, 284 of copy 1's 349 resolved citations.

Output is deterministic: ``bench/out/x{N}/compilation-{k:03d}.txt``, rewritten only when the
source or this generator changed (``STAMP`` holds a digest of both).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

__all__ = [
    "DOC_NUMBER",
    "MARKER_TEMPLATE",
    "SynthCorpus",
    "copy_text",
    "make_corpus",
    "number_map",
    "title_lines",
    "titles_of",
]

logger = logging.getLogger(__name__)

ROOT: Final = Path(__file__).resolve().parent.parent
OUT: Final = ROOT / "bench" / "out"
STAMP: Final = ".synth-stamp"
#: Bump when the generated text changes for the same source.
GENERATOR_VERSION: Final = 2

#: What copy k puts in front of each document title (after the printed number).
MARKER_TEMPLATE: Final = "样本{k}"

#: The highest serial a 文号 may carry: the loader reads up to four digits.
MAX_SERIAL: Final = 9999

# A 发文字号's year and serial, in every bracket the loaders accept.
# line 3158: "国发〔2021〕4号"; line 8682: "发改产业〔2021〕1464 号";
# line 32067: "（苏政发〔2022〕8号）".
DOC_NUMBER = re.compile(
    r"""
    (?P<head> [〔\[［(（﹝【] \s* (?:19|20)\d\d \s* [〕\]］)）﹞】] \s* 第? \s* )
    (?P<serial> \d{1,4} )
    (?P<tail> \s* 号 )
    """,
    re.VERBOSE,
)

# The printed number opening a document's first line, with the page-break space before it.
# line 3154: " 1.1 关于加快建立健全绿色低碳循环发展经济体系的"; line 3611: "1.2 关于建立健全…".
TITLE_NUMBER = re.compile(
    r"""
    ^ (?P<number> \s* (?: \d{1,2} [.．] \d{1,2} \s* )? )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SynthCorpus:
    """A generated ×N corpus: its folder, files and how many lines it holds."""

    factor: int
    folder: Path
    files: tuple[Path, ...]
    lines: int


def title_lines(source: Path) -> list[int]:
    """Return the 1-based first line of every document the loader finds in ``source``."""
    return sorted({doc.start_line for doc in _documents(source)})


def titles_of(source: Path) -> list[str]:
    """The titles of the documents the loader finds in ``source`` (what 《…》 may quote)."""
    return sorted({doc.title for doc in _documents(source) if doc.title})


def _documents(source: Path) -> list[Any]:
    from policykg.loaders.documents import load_documents

    return list(load_documents([source]).documents)


def number_map(text: str, copies: int) -> dict[int, int]:
    """Map each 文号 serial of ``text`` to its rank, checking that ``copies`` copies fit.

    Copy k's serial is ``base + (k - 1) * width + rank``, with ``base`` above every original
    serial, so the serials of different copies never meet.

    >>> number_map("国发〔2021〕4号 发改产业〔2021〕1464 号", 3)
    {4: 0, 1464: 1}
    """
    serials = sorted({int(m["serial"]) for m in DOC_NUMBER.finditer(text)})
    ranks = {s: i for i, s in enumerate(serials)}
    base, width = _base(serials), max(len(serials), 1)
    if base + (copies - 1) * width - 1 > MAX_SERIAL:
        raise ValueError(f"{copies} copies of {width} 文号 serials do not fit in four digits")
    return ranks


def _base(serials: Sequence[int]) -> int:
    top = max(serials, default=0)
    return (top // 1000 + 1) * 1000


def copy_text(lines: Sequence[str], k: int, titles: Iterable[int], ranks: dict[int, int],
              quoted: Sequence[str] = ()) -> str:
    """Return copy ``k`` of the compilation's ``lines`` (with their line ends).

    >>> copy_text(["1.1 关于…的指导意见\\n", "国发〔2021〕4号 依据《意见》《公约》\\n"], 2, [1],
    ...           {4: 0}, ["意见"])
    '1.1 样本2关于…的指导意见\\n国发〔2021〕1001号 依据《样本2意见》《公约》\\n'
    """
    if k == 0:
        return "".join(lines)
    base = _base(list(ranks))
    width = max(len(ranks), 1)
    marker = MARKER_TEMPLATE.format(k=k)
    out = list(lines)
    for number in titles:
        line = out[number - 1]
        m = TITLE_NUMBER.match(line)
        cut = m.end() if m else 0
        out[number - 1] = line[:cut] + marker + line[cut:]

    def renumber(m: re.Match[str]) -> str:
        serial = base + (k - 1) * width + ranks[int(m["serial"])]
        return f"{m['head']}{serial}{m['tail']}"

    text = DOC_NUMBER.sub(renumber, "".join(out))
    if quoted:
        # a quote of a document's exact title names copy k's document
        alternatives = "|".join(map(re.escape, sorted(quoted, key=len, reverse=True)))
        text = re.sub(f"《(?=(?:{alternatives})》)", f"《{marker}", text)
    return text


def _digest(source: Path, factor: int) -> str:
    h = hashlib.sha256()
    h.update(source.read_bytes())
    h.update(Path(__file__).read_bytes())
    h.update(f"{GENERATOR_VERSION}:{factor}".encode())
    return h.hexdigest()


def make_corpus(factor: int, source: Path | None = None, out: Path = OUT) -> SynthCorpus:
    """Write (or reuse) the ×``factor`` corpus of ``source`` under ``out/x{factor}/``."""
    if source is None:
        from policykg.pipeline import bundled_input

        source = bundled_input()
    folder = out / f"x{factor}"
    files = tuple(folder / f"compilation-{k:03d}.txt" for k in range(factor))
    text = source.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    digest = _digest(source, factor)
    stamp = folder / STAMP
    if stamp.is_file() and stamp.read_text() == digest and all(f.is_file() for f in files):
        logger.info("reusing %s", folder)
        return SynthCorpus(factor=factor, folder=folder, files=files, lines=len(lines) * factor)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("compilation-*.txt"):
        old.unlink()
    titles = title_lines(source)
    quoted = titles_of(source)
    ranks = number_map(text, factor)
    for k, path in enumerate(files):
        path.write_text(copy_text(lines, k, titles, ranks, quoted), encoding="utf-8", newline="")
    stamp.write_text(digest)
    logger.info("wrote %d files into %s", factor, folder)
    return SynthCorpus(factor=factor, folder=folder, files=files, lines=len(lines) * factor)
