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
from typing import Any, Final

from policykg.graph.iris import BASE

__all__ = [
    "Delta",
    "MergedLines",
    "SortedLines",
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


class SortedLines:
    """The bytes of a sorted N-Triples file (``bytes`` or an ``mmap``), searched by bisection
    over its lines without splitting it into lines (a change looks up a few thousand of its
    270,000 lines)."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data

    def find(self, line: bytes, lo: int = 0) -> int:
        """The offset of the first line not below ``line``, looking from the line starting
        at ``lo`` (``len(data)`` if none): by steps doubling from ``lo`` (a line looked for
        is often near the one before), then by bisection."""
        data = self.data
        hi = len(data)  # line starts: the lines before lo are below, from hi not
        step = 1024
        while lo and lo + step < hi:
            start = data.rfind(b"\n", lo, lo + step) + 1 or lo
            end = data.find(b"\n", start, hi)
            if end < 0:
                end = hi
            if data[start:end] < line:
                lo = end + 1
                step *= 2
            else:
                hi = start
                break
        while lo < hi:
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", lo, mid) + 1 or lo
            end = data.find(b"\n", start, hi)
            if end < 0:
                end = hi
            if data[start:end] < line:
                lo = end + 1
            else:
                hi = start
        return min(lo, len(data))

    def _is_at(self, at: int, line: bytes) -> bool:
        end = at + len(line)
        data = self.data
        return data[at:end] == line and (end == len(data) or data[end:end + 1] == b"\n")

    def has(self, line: bytes) -> int:
        """The offset of ``line`` in the file, or -1."""
        at = self.find(line)
        return at if self._is_at(at, line) else -1

    def locate(self, lines: Iterable[bytes]) -> list[tuple[int, bool]]:
        """For each of ``lines`` (sorted, distinct): the offset where it is, or where it would
        go, and whether it is there.  Runs of consecutive lines (a node's) cost one
        comparison each, not a bisection."""
        data = self.data
        size = len(data)
        out = []
        at = 0
        for line in lines:
            after = at + len(line) + 1
            if data[at:after] == line + b"\n":  # the line after the one before
                out.append((at, True))
                at = after
                continue
            end = data.find(b"\n", at)
            if end < 0:
                end = size
            if at < size and data[at:end] < line:
                at = self.find(line, at)
            found = self._is_at(at, line)
            out.append((at, found))
            if found:
                at += len(line) + 1
        return out

    def starting(self, prefix: bytes, lo: int = 0) -> tuple[list[bytes], int]:
        """The lines that start with ``prefix`` (they sit together), looking from the line
        starting at ``lo``; and where the lines after them start."""
        data = self.data
        out = []
        at = self.find(prefix, lo)
        size = len(prefix)
        while data[at:at + size] == prefix:
            end = data.find(b"\n", at)
            if end < 0:
                end = len(data)
            out.append(data[at:end])
            at = end + 1
        return out, at


class MergedLines:
    """A sorted graph as its old file with the lines a delta removes and adds: the lines of
    a node are looked up in it without the new file being read."""

    __slots__ = ("added", "old", "removed")

    def __init__(self, old: SortedLines, removed: Iterable[bytes], added: list[bytes]) -> None:
        self.old = old
        self.removed = set(removed)
        self.added = added  # sorted

    def starting(self, prefix: bytes, lo: int = 0) -> tuple[list[bytes], int]:
        """The lines that start with ``prefix``, sorted, looking in the old file from ``lo``;
        and where the old file's lines after them start."""
        old, lo = self.old.starting(prefix, lo)
        lines = [x for x in old if x not in self.removed]
        i = bisect.bisect_left(self.added, prefix)
        new = []
        while i < len(self.added) and self.added[i].startswith(prefix):
            new.append(self.added[i])
            i += 1
        return (sorted(lines + new) if new else lines), lo


def _mapped(path: Path) -> Any:
    """The bytes of a file, mapped (read only), or read when it is empty."""
    import mmap

    with path.open("rb") as f:
        try:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return f.read()


def merge_graph(old: Path, gone: Iterable[str], new: Iterable[str], out: Path,
                total: int | None = None) -> tuple[Delta, MergedLines]:
    """Write ``old`` (sorted N-Triples) without ``gone`` and with ``new`` to ``out``, sorted.

    Lines of ``gone`` that are also in ``new`` stay; lines of ``new`` already in ``old`` are
    not repeated.  UTF-8 bytes sort as their code points, so the order is the one
    ``triples.write_sorted`` gives.  ``total``: how many lines ``old`` has, if known.

    Returns:
        The lines actually removed and added, and the new graph's lines (``about`` looks
        nodes up in them).
    """
    data = _mapped(old)
    if len(data) and data[len(data) - 1:] != b"\n":
        data = data[:] + b"\n"
        total = None
    have = SortedLines(data)
    come = {line.rstrip("\n").encode("utf-8") for line in new}
    leave = sorted({line.rstrip("\n").encode("utf-8") for line in gone} - come)
    # a change touches a few thousand of the graph's lines: find each in the file's bytes
    # and copy the runs between them
    cuts: list[tuple[int, int, bytes]] = []  # (offset, 0 insert / 1 drop, line)
    removed = []
    for line, (at, found) in zip(leave, have.locate(leave), strict=True):
        if found:
            removed.append(line)
            cuts.append((at, 1, line))
    added = []
    ordered = sorted(come)
    for line, (at, found) in zip(ordered, have.locate(ordered), strict=True):
        if not found:
            added.append(line)
            cuts.append((at, 0, line))
    cuts.sort()
    view = memoryview(data)
    try:
        with out.open("wb") as f:
            at = 0
            for offset, drop, line in cuts:
                f.write(view[at:offset])
                if drop:
                    at = offset + len(line) + 1
                else:
                    f.write(line + b"\n")
                    at = offset
            f.write(view[at:])
    finally:
        view.release()
    if total is None:
        total = data.count(b"\n") if isinstance(data, bytes) else old.read_bytes().count(b"\n")
    return (Delta([x.decode("utf-8") + "\n" for x in removed],
                  [x.decode("utf-8") + "\n" for x in added], total - len(removed) + len(added)),
            MergedLines(have, removed, added))


def about(lines: MergedLines | SortedLines, nodes: Iterable[str]) -> list[str]:
    """The lines of a sorted graph (``merge_graph``'s) whose subject is one of ``nodes``
    (``<iri>``): they sit together, found by bisection."""
    out: list[str] = []
    at = 0
    # in order: a node's lines come after those of the nodes before it
    for prefix in sorted({node.encode("utf-8") + b" " for node in nodes}):
        found, at = lines.starting(prefix, at)
        out += [x.decode("utf-8") + "\n" for x in found]
    return out


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
