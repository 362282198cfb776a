"""Text for terminals: the one display-width rule and the one table printer.

A character is two cells wide when Unicode says it is wide or full-width (CJK, full-width
forms, UAX #11), and so is punctuation from General Punctuation onwards (“ ” — … ① − and
the em space U+2003 the compilation indents with), as a Chinese font sets it; else one.
The loaders measure printed lines with it to find wrapped ones (``loaders.lines``), the CLI
aligns tables with it.  Standard library only: every layer may use it.
"""

from __future__ import annotations

import bisect

# typing's import costs a cold `who` ~6 ms; mypy reads any constant named TYPE_CHECKING
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Iterable, Sequence
    from typing import Any

__all__ = ["WIDE_RANGES", "char_width", "cut", "pad", "table", "width"]


# Characters set two cells wide: General Punctuation up to the CJK symbols (“ ” — … ① − and
# the em space U+2003), kana, CJK ideographs, Yi, Hangul, compatibility ideographs, vertical
# and small forms, full-width forms (not the half-width ones, U+FF61-FFDC), astral CJK and
# pictographs.
WIDE_RANGES = (
    (0x1100, 0x115F), (0x2000, 0x303E), (0x3040, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
    (0xFE10, 0xFE19), (0xFE30, 0xFE6F), (0xFF00, 0xFF60), (0xFFE0, 0xFFE6),
    (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF), (0x20000, 0x3FFFD),
)


def _not_in(ranges: Sequence[tuple[int, int]]) -> str:
    """A class of every character outside ``ranges`` (ascending, disjoint), negated.

    ``re`` compiles a class at the cost of the BMP characters it lists: the narrow ones are
    19,600, the wide ones 46,000 (2 ms of a cold ``who`` against 4)."""
    import re

    gaps, start = [], 0
    for low, high in ranges:
        if low > start:
            gaps.append((start, low - 1))
        start = high + 1
    gaps.append((start, 0x10FFFF))
    return "[^" + "".join(re.escape(chr(a)) + ("" if a == b else "-" + re.escape(chr(b)))
                          for a, b in gaps) + "]+"


_WIDE: list[re.Pattern[str]] = []


def _wide() -> re.Pattern[str]:
    """One compiled class: the loaders measure every line (~2 µs for a printed line).  Made
    when first needed: a cold ``who`` cuts its lines with ``char_width`` and imports no ``re``."""
    if not _WIDE:
        import re

        _WIDE.append(re.compile(_not_in(WIDE_RANGES)))
    return _WIDE[0]


_STARTS = tuple(low for low, _ in WIDE_RANGES)


def char_width(ch: str) -> int:
    """Return how many cells one character takes: 2 in ``WIDE_RANGES``, else 1.

    >>> char_width("碳"), char_width("a"), char_width("“"), char_width("ｱ")
    (2, 1, 2, 1)
    """
    cp = ord(ch)
    k = bisect.bisect_right(_STARTS, cp) - 1
    return 2 if k >= 0 and cp <= WIDE_RANGES[k][1] else 1


def width(text: str) -> int:
    """Return how many cells ``text`` takes, CJK counted two.

    >>> width("碳达峰 2030"), width("“十四五”"), width("ab"), width("\u2003\u03b1"), width("ｱ")
    (11, 10, 2, 3, 1)
    """
    if text.isascii():
        return len(text)
    return 2 * len(text) - len(_wide().sub("", text))


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
    if len(text) <= cells and text.isascii():
        return text
    used, end = 0, None  # ``end``: where the text is cut if it does not fit
    for k, ch in enumerate(text):
        used += 1 if ch < "\u1100" else char_width(ch)
        if end is None and used > cells - 1:
            end = k
        if used > cells:
            return text[:end] + "…"
    return text


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
