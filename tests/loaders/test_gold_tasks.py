"""Gold check of responsibility extraction: (annotation, agency, role) triples.

The gold sample `tests/data/gold/annotations.jsonl` was built by reading the compilation
(how it was drawn: `tests/data/gold/README_samples.md`). The fast tests check that the gold
file itself agrees with the text; the slow test scores `loaders.tasks.find_tasks` against it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPILATION = ROOT / "data" / "compilation-2022.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "annotations.jsonl"
SAMPLES_README = ROOT / "tests" / "data" / "gold" / "README_samples.md"

THRESHOLD = 0.97
PART_STARTS = ((2, 3151), (3, 6497), (4, 30298), (5, 41662))

# a page footer such as "201 —" or a lone "—" (line 37619 inside the annotation at 37615)
FOOTER = re.compile(r"^[—–\-\s\d]*$")
SPACE = re.compile(r"\s+")

Triple = tuple[int, str, str]


@dataclass(frozen=True, slots=True)
class Gold:
    """One hand-checked annotation."""

    line: int
    end_line: int
    raw: str
    jurisdiction: str | None
    lead: tuple[str, ...]
    participants: tuple[str, ...]
    collective: tuple[str, ...]
    etc: bool
    sample: str
    note: str = ""

    def triples(self) -> set[Triple]:
        """The (line, agency, role) triples this annotation asserts."""
        out = {(self.line, name, "lead") for name in self.lead}
        out |= {(self.line, name, "participant") for name in self.participants}
        return out


def _load_gold() -> list[Gold]:
    rows = []
    for text in GOLD.read_text(encoding="utf-8").splitlines():
        d = json.loads(text)
        rows.append(
            Gold(
                line=d["line"],
                end_line=d["end_line"],
                raw=d["raw"],
                jurisdiction=d["jurisdiction"],
                lead=tuple(d["lead"]),
                participants=tuple(d["participants"]),
                collective=tuple(d["collective"]),
                etc=d["etc"],
                sample=d["sample"],
                note=d.get("note", ""),
            )
        )
    return rows


GOLD_ROWS = _load_gold()


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    """The compilation's lines (index 0 is line 1)."""
    return COMPILATION.read_text(encoding="utf-8").split("\n")


def _part(line: int) -> int:
    return max(p for p, start in PART_STARTS if line >= start)


def _joined(lines: Sequence[str], start: int, end: int) -> str:
    """Lines start..end joined without spaces, blank lines and page footers."""
    kept = (lines[n - 1] for n in range(start, end + 1))
    return "".join(SPACE.sub("", t) for t in kept if t.strip() and not FOOTER.match(t.strip()))


def _norm(text: str) -> str:
    return SPACE.sub("", text)


# ---------------------------------------------------------------- the gold file itself


def test_gold_size_and_coverage() -> None:
    parts = {_part(g.line) for g in GOLD_ROWS}
    assert len(GOLD_ROWS) >= 110
    assert parts == {2, 3, 4}
    assert sum(g.sample == "hard" for g in GOLD_ROWS) >= 10
    assert len({g.line for g in GOLD_ROWS}) == len(GOLD_ROWS)


@pytest.mark.parametrize("gold", GOLD_ROWS, ids=lambda g: f"L{g.line}")
def test_gold_raw_is_printed_at_its_lines(gold: Gold, source_lines: list[str]) -> None:
    raw = _norm(gold.raw)
    assert raw in _joined(source_lines, gold.line, gold.end_line)
    if gold.end_line > gold.line:
        # it opens on `line` and closes on `end_line`, not later or earlier
        assert raw not in _joined(source_lines, gold.line + 1, gold.end_line)
        assert raw not in _joined(source_lines, gold.line, gold.end_line - 1)


@pytest.mark.parametrize("gold", GOLD_ROWS, ids=lambda g: f"L{g.line}")
def test_gold_roles_are_consistent(gold: Gold) -> None:
    names = gold.lead + gold.participants
    assert all(names), "empty agency name"
    assert len(set(gold.lead)) == len(gold.lead)
    assert len(set(gold.participants)) == len(gold.participants)
    assert not set(gold.collective) & set(names)
    assert gold.etc == ("等" in gold.raw)
    if gold.lead:
        # issue 12: a comma alone never marks a lead (the compilation states no convention);
        # a lead the item's own text marks (X牵头负责…, X会同Y…) is noted as a body lead
        assert "牵头" in gold.raw or "body lead" in gold.note, "a lead needs 牵头 / 会同"
    if gold.line >= 30298:
        assert gold.jurisdiction is not None
    else:
        assert gold.jurisdiction is None


def test_every_gold_name_is_in_the_alias_table() -> None:
    table = SAMPLES_README.read_text(encoding="utf-8")
    names = {n for g in GOLD_ROWS for n in g.lead + g.participants}
    missing = sorted(n for n in names if f"| {n} |" not in table)
    assert not missing, missing


# ---------------------------------------------------------------- scoring the extractor


def _overlaps(gold_raw: str, predicted_raw: str) -> bool:
    a, b = _norm(gold_raw).strip("（）"), _norm(predicted_raw).strip("（）")
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= min(8, len(a), len(b))


def _canonical(value: str, registry: Any) -> str:
    """A predicted lead/participant as a canonical name (tasks may hold agency ids)."""
    agency = registry.get(value)
    return agency.name if agency is not None else value


def _predicted_triples(gold: Gold, tasks: Iterable[Any], registry: Any) -> Iterator[Triple]:
    for task in tasks:
        for name in task.lead:
            yield (gold.line, _canonical(name, registry), "lead")
        for name in task.participants:
            yield (gold.line, _canonical(name, registry), "participant")


@pytest.mark.slow
def test_find_tasks_against_gold(compilation_docs: Any) -> None:
    from policykg.loaders.agencies import load_registry

    tasks_module = pytest.importorskip("policykg.loaders.tasks")
    registry = load_registry()
    predicted: list[Any] = []
    for doc in compilation_docs.documents:
        tasks, _problems = tasks_module.find_tasks(doc, registry)
        predicted.extend(tasks)

    gold_set: set[Triple] = set()
    pred_set: set[Triple] = set()
    unmatched: list[Gold] = []
    for gold in GOLD_ROWS:
        gold_set |= gold.triples()
        hits = [
            t
            for t in predicted
            if t.start_line <= gold.line <= t.end_line and _overlaps(gold.raw, t.raw)
        ]
        if not hits:
            unmatched.append(gold)
        pred_set |= set(_predicted_triples(gold, hits, registry))

    correct = gold_set & pred_set
    precision = len(correct) / len(pred_set) if pred_set else 0.0
    recall = len(correct) / len(gold_set) if gold_set else 0.0
    report = [
        f"gold annotations {len(GOLD_ROWS)}, gold triples {len(gold_set)}, "
        f"predicted triples {len(pred_set)}, correct {len(correct)}",
        f"precision {precision:.4f}  recall {recall:.4f}",
        *(f"  no task for gold annotation at line {g.line}: {g.raw}" for g in unmatched),
        *(f"  missed   {t}" for t in sorted(gold_set - pred_set)),
        *(f"  spurious {t}" for t in sorted(pred_set - gold_set)),
    ]
    print("\n".join(report))  # noqa: T201
    assert precision >= THRESHOLD, "\n".join(report)
    assert recall >= THRESHOLD, "\n".join(report)
