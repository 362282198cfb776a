"""Score the extractors on the second hand-checked samples (drawn apart from the first gold).

The annotations were every annotation of parts 2–4 not drawn into ``annotations.jsonl`` nor
chosen as a hard case; the targets every 10th candidate sentence. Both were labelled by reading
with the same rules and alias table (``tests/data/gold/README_samples.md``) and were kept out of
the repository while the extractors were tuned on the first gold, then added here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.loaders import test_gold_targets as gold_targets
from tests.loaders import test_gold_tasks as gold_tasks

GOLD_DIR = Path(__file__).resolve().parents[1] / "data" / "gold"


@pytest.mark.slow
def test_find_tasks_on_second_sample(
    compilation_docs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykg.loaders.agencies import load_registry
    from policykg.loaders.tasks import find_tasks

    monkeypatch.setattr(gold_tasks, "GOLD", GOLD_DIR / "second_annotations.jsonl")
    rows = gold_tasks._load_gold()
    assert len(rows) >= 90
    registry = load_registry()
    predicted = [t for d in compilation_docs.documents for t in find_tasks(d, registry)[0]]
    gold: set[Any] = set()
    found: set[Any] = set()
    for g in rows:
        gold |= g.triples()
        hits = [t for t in predicted
                if t.start_line <= g.line <= t.end_line and gold_tasks._overlaps(g.raw, t.raw)]
        found |= set(gold_tasks._predicted_triples(g, hits, registry))
    correct = gold & found
    precision, recall = len(correct) / len(found), len(correct) / len(gold)
    print(f"second annotations {len(rows)}, triples {len(gold)}: "  # noqa: T201
          f"precision {precision:.4f}  recall {recall:.4f}")
    assert precision >= 0.97, sorted(found - gold)
    assert recall >= 0.97, sorted(gold - found)


@pytest.mark.slow
def test_find_targets_on_second_sample(
    compilation_docs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykg.loaders.targets import find_targets

    monkeypatch.setattr(gold_targets, "GOLD", GOLD_DIR / "second_targets.jsonl")
    rows = gold_targets._load_gold()
    assert len(rows) >= 25
    lines = {g.line for g in rows}
    predicted = [t for d in compilation_docs.documents for t in find_targets(d)[0]
                 if any(abs(t.line - n) <= 1 for n in lines)]
    unused = list(predicted)
    matched = 0
    for g in rows:
        hits = [p for p in unused if abs(p.line - g.line) <= 1
                and gold_targets._same_value(g.value, p.value) and p.year == g.year]
        if hits:
            best = min(hits, key=lambda p: len(gold_targets._attribute_diffs(g, p)))
            unused.remove(best)
            matched += 1
    precision, recall = matched / len(predicted), matched / len(rows)
    print(f"second targets {len(rows)}: precision {precision:.4f}  recall {recall:.4f}")  # noqa: T201
    assert precision >= 0.95, [(p.line, p.indicator) for p in unused]
    assert recall >= 0.95
