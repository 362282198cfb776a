"""Responsibility annotations over a folder of policy PDFs: how many name bodies, and whether
any comes out with none.

``python -m bench.tasks_corpus ../shared/corpus/dual-carbon [--list]`` loads every PDF as
``policykg build`` does (``loaders.corpus.load``, one file at a time).
It prints, per file with annotations and in total: tasks, tasks with a lead (by basis),
annotations whose names came out as none (A001) and tasks whose names all stayed unresolved.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from policykg.errors import PolicyKGError
from policykg.loaders.corpus import load
from policykg.records import Problem, Task


def load_pdf_tasks(pdf: Path) -> tuple[list[Task], list[Problem]]:
    """The tasks and task problems of one PDF as ``policykg build`` reads it (tables from the
    PDF's cells included)."""
    corpus = load([pdf])
    return list(corpus.tasks), [p for p in corpus.problems if p.code.startswith("A")]


def main(argv: list[str] | None = None) -> int:
    """Run over a folder and print the counts."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--list", action="store_true", help="print every task without a name")
    args = ap.parse_args(argv)
    total: Counter[str] = Counter()
    t0 = time.process_time()
    for pdf in sorted(args.folder.glob("*.pdf")):
        try:
            tasks, problems = load_pdf_tasks(pdf)
        except PolicyKGError as e:
            print(f"{pdf.name}: skipped ({e})", file=sys.stderr)
            total["files skipped"] += 1
            continue
        total["files"] += 1
        empty = [p for p in problems if p.code == "A001"]
        unresolved_only = [t for t in tasks if not (t.lead or t.participants or t.collective)]
        if not tasks and not empty:
            continue
        total["files with annotations"] += 1
        total["tasks"] += len(tasks)
        total["tasks with a lead"] += sum(bool(t.lead) for t in tasks)
        for t in tasks:
            if t.lead_basis is not None:
                total[f"lead basis {t.lead_basis}"] += 1
        total["annotations with no name (A001)"] += len(empty)
        total["tasks whose names all stayed unresolved"] += len(unresolved_only)
        total["tasks with no name at all"] += sum(
            not (t.lead or t.participants or t.collective or t.unresolved) for t in tasks)
        total["unresolved names"] += sum(len(t.unresolved) for t in tasks)
        total["resolved names"] += sum(len(t.lead) + len(t.participants) for t in tasks)
        print(f"{len(tasks):4d} tasks {len(empty):3d} A001 {len(unresolved_only):4d} "
              f"unresolved-only  {pdf.name}")
        if args.list:
            for p in empty:
                print(f"     A001 {p.span}: {p.excerpt[:80]}")
    for key, value in sorted(total.items()):
        print(f"{key}: {value}")
    print(f"CPU s: {time.process_time() - t0:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
