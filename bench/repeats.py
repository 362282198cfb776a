"""CPU time to load one policy printed N times in one text file (issue 15: 425,000 copies).

``python -m bench.repeats [N]`` writes N copies of a short policy (the title, 文号 and
sign-off of ``tests/data/fixtures/loader_single_notice.txt``, a real State Council opinion)
into a temporary file, loads it with ``read_file`` and prints the CPU seconds, the peak memory,
the documents kept and the L006 problems reported.  The whole notice (16 lines) is also timed
at N / 100 copies.  Figures go in README, never in a timed test.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Final

from policykg.loaders.documents import read_file
from policykg.loaders.source import collect_inputs

ROOT: Final = Path(__file__).resolve().parent.parent
NOTICE: Final = ROOT / "tests" / "data" / "fixtures" / "loader_single_notice.txt"


def short_policy() -> str:
    """Title, 文号 and sign-off (issuer, date) of the fixture notice: 4 lines."""
    lines = NOTICE.read_text(encoding="utf-8").splitlines()
    return "\n".join(line.strip() for line in (*lines[:2], *lines[-3:-1])) + "\n"


def measure(policy: str, copies: int) -> str:
    """Load ``copies`` copies of ``policy`` from one file; one line of figures."""
    with tempfile.TemporaryDirectory(prefix="policykg-repeats-") as d:
        path = Path(d) / "repeated.txt"
        path.write_text(policy * copies, encoding="utf-8")
        size = path.stat().st_size
        f = collect_inputs([path]).files[0]
        started = time.process_time()
        loaded = read_file(f)
        cpu = time.process_time() - started
    s = loaded.summaries[0]
    l006 = sum(p.code == "L006" for p in loaded.problems)
    return (f"{copies:,} copies of {policy.count(chr(10))} lines ({size / 1e6:.1f} MB): "
            f"{cpu:.1f} s CPU, {len(loaded.documents)} document, {l006:,} L006, "
            f"lines {s.total_lines:,} = {s.document_lines} in documents + "
            f"{s.repeated_lines:,} repeated")


def main(argv: list[str]) -> int:
    """Measure N (default 425,000) copies of the short policy, N / 100 of the whole one."""
    copies = int(argv[0]) if argv else 425_000
    print(measure(short_policy(), copies))
    print(measure(NOTICE.read_text(encoding="utf-8").rstrip("\n") + "\n", copies // 100))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
