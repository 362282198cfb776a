"""Paired CPU times of one ``policykg`` store command under two checkouts.

Each run copies each side's store afresh and runs the command there as a new process
(``python -m policykg``, with the checkout first on ``PYTHONPATH`` and Python's bytecode cache
on), the sides alternating, so that both see the same machine load; the figure is the child's
user + system CPU time.  Prints each side's least and median and the paired ratio B / A::

    python -m bench.pairs --runs 9 A=../old:STORE_A B=.:STORE_B -- add FILE
    python -m bench.pairs A=../old:S1 B=.:S2 -- remove DOC_ID
    python -m bench.pairs --runs 9 A=../old B=. -- build

A store command is given with ``--store`` by this script (the copy); the stores of the two
sides must be built by their own checkout (the extractor version is in their keys).  A side
named without a store runs the command on a new, empty store folder each time (a cold build).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def run_once(checkout: Path, store: Path | None, command: list[str]) -> float:
    """CPU seconds (user + system) of ``policykg COMMAND --store COPY`` on a fresh copy of
    ``store`` (None: on a store folder that does not exist yet)."""
    with tempfile.TemporaryDirectory(prefix="pairs-",
                                     dir=None if store is None else store.parent) as tmp:
        copy = Path(tmp) / "store"
        if store is not None:
            shutil.copytree(store, copy, symlinks=True)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = str(checkout)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-m", "policykg", *command, "--store", str(copy)],
                              cwd=checkout, env=env, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{checkout}: policykg {' '.join(command)} failed:\n{done.stderr}")
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    """Run the pairs and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("sides", nargs=2, metavar="LABEL=CHECKOUT[:STORE]")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    sides = []
    for side in args.sides:
        label, _, rest = side.partition("=")
        checkout, _, store = rest.partition(":")
        sides.append((label, Path(checkout).resolve(), Path(store).resolve() if store else None))
    times: dict[str, list[float]] = {label: [] for label, _, _ in sides}
    for _ in range(args.runs):
        for label, checkout, store in sides:
            times[label].append(run_once(checkout, store, command))
    (a, _, _), (b, _, _) = sides
    ratios = [y / x for x, y in zip(times[a], times[b], strict=True)]
    for label, values in times.items():
        print(f"{label}: least {min(values):.2f} s, median {statistics.median(values):.2f} s "
              f"({', '.join(f'{v:.2f}' for v in values)})")
    print(f"{b} / {a}: median {statistics.median(ratios):.2f} "
          f"({min(ratios):.2f}–{max(ratios):.2f}), {args.runs} pairs, "
          f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
