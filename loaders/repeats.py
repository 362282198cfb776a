"""Find a block of lines printed again right after itself: one policy copied N times into a file.

Standard library and ``policykg`` only.  Linear in the number of lines: 425,000 copies of a
policy in one file are found in one pass (issue 15).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MIN_BLOCK_LINES", "Repeat", "find_tandem_repeats"]

#: A block shorter than this (title and one body line) is not a printed document.
MIN_BLOCK_LINES = 2
#: How many earlier places of a line are tried as the start of the block it may repeat.
_RECENT = 4


@dataclass(frozen=True, slots=True)
class Repeat:
    """Lines ``[start, end)`` (indexes into the kept lines) are copies of ``[first, start)``.

    ``end - start`` is a multiple of the block length ``start - first``, except that the last
    copy may be cut short by the end of the file. A copy printed after other text (A B A)
    gives its block's length as ``length``: one copy ``[start, end)`` of
    ``[first, first + length)``.
    """

    first: int
    start: int
    end: int
    length: int = 0

    @property
    def period(self) -> int:
        """The number of lines of one copy."""
        return self.length or self.start - self.first

    def copies(self) -> list[tuple[int, int]]:
        """Each copy as ``[a, b)`` indexes, in order (the last one possibly cut short)."""
        p = self.period
        return [(a, min(a + p, self.end)) for a in range(self.start, self.end, p)]


def find_tandem_repeats(texts: Sequence[str], min_lines: int = MIN_BLOCK_LINES) -> list[Repeat]:
    """Blocks of at least ``min_lines`` lines printed again, whole, right after themselves.

    A block ``B`` followed by ``B B …`` gives one ``Repeat`` covering every later copy; a last
    copy cut by the end of the file counts, a partial copy followed by other text does not.

    >>> r = find_tandem_repeats(["T", "a", "b", "T", "a", "b", "T", "a"])
    >>> r, r[0].copies()
    ([Repeat(first=0, start=3, end=8, length=0)], [(3, 6), (6, 8)])
    >>> find_tandem_repeats(["T", "a", "T", "b", "x", "x"])
    []
    """
    n = len(texts)
    recent: dict[str, list[int]] = {}
    # for a block length p, a position x known to differ from x - p: a later try of p that
    # spans x fails at once, so no pair of lines is compared twice (near-copies stay linear)
    differs: dict[int, int] = {}
    found: list[Repeat] = []
    j = 0
    while j < n:
        line = texts[j]
        period = 0
        for i in reversed(recent.get(line, ())):
            p = j - i
            if p < min_lines or j + p > n:
                continue
            if j <= differs.get(p, -1) < j + p:
                continue
            x = j
            while x < j + p and texts[x] == texts[x - p]:
                x += 1
            if x == j + p:
                period = p
                break
            differs[p] = x
        if period:
            k = j + period
            while k < n and texts[k] == texts[k - period]:
                k += 1
            end = k if k == n else j + (k - j) // period * period
            found.append(Repeat(first=j - period, start=j, end=end))
            j = end
            continue
        places = recent.setdefault(line, [])
        places.append(j)
        if len(places) > _RECENT:
            del places[0]
        j += 1
    return found
