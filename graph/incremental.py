"""The graph of a store changed by a few documents: which lines go, which come, and where.

A build keeps each document's N-Triples lines (its *batch*, ``triples.document_batch``) in
the store's cache under a key naming everything the batch depends on; ``add`` and
``remove`` then make only the batches whose key is new and turn the old graph into the
new one by a delta:

* a line leaves the graph when a batch that gave it is gone and no remaining batch gives
  it.  Only three kinds of node are described by several batches: source spans (by the
  documents of one file), jurisdictions and cited external policies.  The lines of the
  last two are counted over all batches (``shared_counts``); a span's lines are looked for
  in the remaining batches of the documents of its file.
* the sorted ``graph.nt`` is merged (old lines kept, new ones put in place), never
  sorted again; the Oxigraph store is a hard-linked backup of the old one with the delta
  applied.

The result is the graph a full build makes of the same records (``tests/cli/
test_incremental.py`` compares them byte for byte).  Must not import ``loaders`` or
``viz``.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

from policykg.graph.iris import BASE

__all__ = [
    "Delta",
    "about",
    "apply_to_oxigraph",
    "counted",
    "is_span_line",
    "merge_graph",
    "shared_counts",
]

_SPAN: Final = f"<{BASE}source/"
_COUNTED: Final = (f"<{BASE}jurisdiction/", f"<{BASE}external/")


def counted(line: str) -> bool:
    """Whether the line describes a jurisdiction or external policy (counted over batches)."""
    return line.startswith(_COUNTED)


def is_span_line(line: str) -> bool:
    """Whether the line describes a source span (shared by the documents of one file)."""
    return line.startswith(_SPAN)


def shared_counts(batches: Iterable[Iterable[str]]) -> Counter[str]:
    """How many batches give each counted line (each batch counts a line once)."""
    counts: Counter[str] = Counter()
    for lines in batches:
        counts.update({line for line in lines if counted(line)})
    return counts


class Delta:
    """The lines a change removes from and adds to a graph (both sorted, disjoint), and how
    many lines the changed graph has (-1: not known)."""

    __slots__ = ("added", "removed", "total")

    def __init__(self, removed: list[str], added: list[str], total: int = -1) -> None:
        self.removed = removed
        self.added = added
        self.total = total

    def __bool__(self) -> bool:
        return bool(self.removed or self.added)


def _lines(path: Path) -> list[bytes]:
    data = path.read_bytes()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def merge_graph(old: Path, gone: Iterable[str], new: Iterable[str],
                out: Path) -> tuple[Delta, list[bytes]]:
    """Write ``old`` (sorted N-Triples) without ``gone`` and with ``new`` to ``out``, sorted.

    Lines of ``gone`` that are also in ``new`` stay; lines of ``new`` already in ``old`` are
    not repeated.  UTF-8 bytes sort as their code points, so the order is the one
    ``triples.write_sorted`` gives.

    Returns:
        The lines actually removed and added, and the new graph's lines (sorted, as bytes
        without their newline: ``about`` looks nodes up in them).
    """
    have = _lines(old)
    come = {line.rstrip("\n").encode("utf-8") for line in new}
    leave = {line.rstrip("\n").encode("utf-8") for line in gone} - come
    removed = [line for line in leave if _contains(have, line)]
    added = sorted(line for line in come if not _contains(have, line))
    # a change touches a few thousand of the graph's lines: copy the runs between them
    # (slices, in C) instead of stepping through every line
    drop = {bisect.bisect_left(have, line) for line in removed}
    before: dict[int, list[bytes]] = {}
    for line in added:
        before.setdefault(bisect.bisect_left(have, line), []).append(line)
    merged: list[bytes] = []
    at = 0
    for i in sorted(drop | before.keys()):
        merged += have[at:i]
        merged += before.get(i, ())
        at = i + 1 if i in drop else i
    merged += have[at:]
    with out.open("wb") as f:
        f.write(b"\n".join(merged))
        if merged:
            f.write(b"\n")
    return Delta(sorted(x.decode("utf-8") + "\n" for x in removed),
                 [x.decode("utf-8") + "\n" for x in added], len(merged)), merged


def about(lines: list[bytes], nodes: Iterable[str]) -> list[str]:
    """The lines of a sorted graph (``merge_graph``'s) whose subject is one of ``nodes``
    (``<iri>``): they sit together, found by bisection."""
    out: list[str] = []
    for node in sorted(set(nodes)):
        prefix = node.encode("utf-8") + b" "
        i = bisect.bisect_left(lines, prefix)
        while i < len(lines) and lines[i].startswith(prefix):
            out.append(lines[i].decode("utf-8") + "\n")
            i += 1
    return out


def _contains(sorted_lines: list[bytes], line: bytes) -> bool:
    i = bisect.bisect_left(sorted_lines, line)
    return i < len(sorted_lines) and sorted_lines[i] == line


def apply_to_oxigraph(source: Path, target: Path, delta: Delta) -> None:
    """Make ``target`` an Oxigraph store of ``source``'s graph with ``delta`` applied.

    ``source`` is backed up (hard links to its immutable files), not opened for writing:
    readers of the current store are not disturbed.
    """
    import pyoxigraph

    pyoxigraph.Store.read_only(str(source)).backup(str(target))
    store = pyoxigraph.Store(str(target))
    fmt = pyoxigraph.RdfFormat.N_TRIPLES
    if delta.removed:
        for quad in pyoxigraph.parse("".join(delta.removed).encode("utf-8"), format=fmt):
            store.remove(quad)
    if delta.added:
        store.extend(pyoxigraph.parse("".join(delta.added).encode("utf-8"), format=fmt))
    store.flush()
    del store


def kept_shared(
    candidates: Iterable[str], counts: Mapping[str, int], span_lines: set[str]
) -> set[str]:
    """Of the lines leaving changed batches, those another remaining batch still gives.

    Args:
        candidates: lines of the removed batches not in any new batch.
        counts: ``shared_counts`` of the new graph's batches.
        span_lines: the lines of the remaining batches of the changed documents' files.
    """
    keep = set()
    for line in candidates:
        if counted(line):
            if counts.get(line, 0) > 0:
                keep.add(line)
        elif is_span_line(line) and line in span_lines:
            keep.add(line)
    return keep
