"""Which files of a corpus the loaders cut into several unrelated documents (L007), and its cost.

``python -m bench.splits FOLDER`` reads every file of FOLDER as ``policykg build`` does (one
``read_file`` each), prints each cut (file, line, the title that starts there), the files read,
the documents, the L007 and L006 problems, and the CPU seconds ``official.document_starts``
takes over the kept lines of every file.  ``--pairs N`` also joins N random pairs of files
(seeded) whose own lines are not cut, A's kept lines then B's, and counts where
``document_starts`` cuts: at the join, nowhere, or elsewhere (a wrong cut).  README quotes it
for the dev corpus; figures go in README, never in a timed test.
"""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from pathlib import Path

from policykg.loaders.documents import try_read
from policykg.loaders.official import document_starts
from policykg.loaders.source import collect_inputs, read_cleaned
from policykg.records import SourceLine


def main(argv: list[str]) -> int:
    """Print the cuts and the counts for the folder named in ``argv``."""
    pairs = 0
    if len(argv) == 3 and argv[1] == "--pairs":
        pairs = int(argv[2])
    elif len(argv) != 1:
        sys.stderr.write("usage: python -m bench.splits FOLDER [--pairs N]\n")
        return 2
    inputs = collect_inputs([Path(argv[0])])
    alone: list[tuple[SourceLine, ...]] = []
    files = documents = cut_files = 0
    codes = {"L006": 0, "L007": 0}
    starts_cpu = 0.0
    lines = 0
    for f in inputs.files:
        loaded = try_read(f)
        if isinstance(loaded, Exception):
            continue
        files += 1
        documents += len(loaded.documents)
        cuts = [p for p in loaded.problems if p.code == "L007"]
        cut_files += bool(cuts)
        for p in loaded.problems:
            if p.code in codes:
                codes[p.code] += 1
        for p in cuts:
            sys.stdout.write(f"{f.source_file}:{p.span.start_line}: {p.excerpt}\n")
        cleaned, _ = read_cleaned(f)
        started = time.process_time()
        if document_starts(cleaned.lines) == [0]:
            alone.append(cleaned.lines)
        starts_cpu += time.process_time() - started
        lines += len(cleaned.lines)
    sys.stdout.write(
        f"files read: {files}, documents: {documents}, files cut: {cut_files}, "
        f"L007: {codes['L007']}, L006: {codes['L006']}\n"
        f"document_starts: {starts_cpu:.2f} s CPU over {lines} kept lines\n")
    if pairs:
        sys.stdout.write(_pairs(alone, pairs))
    return 0


def _pairs(alone: list[tuple[SourceLine, ...]], n: int) -> str:
    """Join ``n`` random pairs of uncut files; count the cuts at the join, none, elsewhere."""
    rng = random.Random(7)
    at_join = joined = wrong = 0
    for _ in range(n):
        a, b = rng.sample(alone, 2)
        both = [dataclasses.replace(s, number=k + 1, page=None)
                for k, s in enumerate((*a, *b))]
        starts = document_starts(both)
        at_join += len(a) in starts
        joined += len(a) not in starts
        wrong += any(s != len(a) for s in starts[1:])
    return (f"pairs of {len(alone)} uncut files: {n}, cut at the join: {at_join}, "
            f"not cut: {joined}, cut elsewhere: {wrong}\n")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
