"""Text for terminals: the one display-width rule and the one table printer.

A character is two cells wide when Unicode says it is wide or full-width (CJK, full-width
forms, “ ” — as set in Chinese text), else one (UAX #11, ambiguous characters taken wide as
a Chinese terminal shows them).  Standard library only; presentation for ``policykg.cli``,
never for ``loaders`` or ``graph`` records.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["cut", "pad", "table", "width"]


def _cells(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WFA" and ord(ch) > 0xFF else 1


def width(text: str) -> int:
    """Return how many terminal cells ``text`` takes.

    >>> width("碳达峰 2030"), width("“十四五”"), width("ab")
    (11, 10, 2)
    """
    return sum(_cells(ch) for ch in text)


def pad(text: str, cells: int) -> str:
    """Pad ``text`` with spaces to ``cells`` cells (never cuts)."""
    return text + " " * max(0, cells - width(text))


def cut(text: str, cells: int) -> str:
    """Cut ``text`` to at most ``cells`` cells, an ellipsis marking the cut; newlines become
    spaces.

    >>> cut("碳达峰碳中和", 7)
    '碳达峰…'
    >>> cut("abc", 5)
    'abc'
    """
    text = text.replace("\n", " ")
    if width(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = _cells(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
          widths: Sequence[int] | None = None, max_width: int = 60, sep: str = "  ",
          rule: bool = False) -> str:
    """Return an aligned table (CJK counted two cells), one line per row.

    Args:
        headers: the column names.
        rows: the cells (None prints empty).
        widths: fixed column widths; by default each column is as wide as its widest cell,
            up to ``max_width``.
        max_width: the widest a column grows by default.
        sep: what stands between columns.
        rule: draw a ``---+---`` line under the header (``sep`` should then be `` | ``).

    >>> print(table(["id", "标题"], [["a", "碳达峰"], ["bb", None]]))
    id  标题
    a   碳达峰
    bb
    """
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if widths is None:
        widths = [
            min(max_width, max([width(h)] + [width(r[i]) for r in cells]))
            for i, h in enumerate(headers)
        ]

    def line(values: Sequence[str]) -> str:
        return sep.join(pad(cut(v, w), w) for v, w in zip(values, widths, strict=True)).rstrip()

    lines = [line(headers)]
    if rule:
        lines.append(sep.replace(" ", "-").replace("|", "+").join("-" * w for w in widths))
    lines += [line(r) for r in cells]
    return "\n".join(lines)
