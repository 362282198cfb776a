"""PDF → text for a folder of PDFs: pages per second, CPU and wall time.

``python -m bench.pdf_text [FOLDER] [--jobs N]`` runs ``loaders.pdf.read_pdf`` (PDFium text
layer) and ``loaders.furniture.clean_pdf`` (page furniture) on every PDF of FOLDER (default
``../shared/corpus/dual-carbon``), in this process or in a pool of N worker processes
(``read_pdf`` is a pure function of the path, so it pools), and prints one JSON object:
files, pages, lines, furniture lines, files refused by reason, wall seconds, CPU seconds
(this process and its workers), pages per wall second and per CPU second.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS: Final = ROOT.parent / "shared" / "corpus" / "dual-carbon"


def _one(path: Path) -> dict[str, Any]:
    """Read and clean one PDF; its figures (or the reason it was refused)."""
    from policykg.errors import InputError
    from policykg.loaders.furniture import clean_pdf
    from policykg.loaders.pdf import read_pdf

    try:
        cleaned = clean_pdf(read_pdf(path))
    except InputError as e:
        return {"refused": e.reason}
    return {"pages": cleaned.pages or 0, "lines": cleaned.total_lines,
            "furniture": len(cleaned.artifacts)}


def measure(folder: Path, jobs: int) -> dict[str, Any]:
    """Time PDF → cleaned lines over every PDF of ``folder``."""
    files = sorted(folder.glob("*.pdf"), key=lambda p: p.name)
    wall0 = time.perf_counter()
    cpu0 = os.times()
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_one, files, chunksize=4))
    else:
        results = [_one(p) for p in files]
    wall = time.perf_counter() - wall0
    cpu1 = os.times()
    cpu = (cpu1.user - cpu0.user + cpu1.system - cpu0.system
           + cpu1.children_user - cpu0.children_user
           + cpu1.children_system - cpu0.children_system)
    pages = sum(r.get("pages", 0) for r in results)
    return {
        "folder": str(folder),
        "jobs": jobs,
        "files": len(files),
        "refused": dict(Counter(r["refused"] for r in results if "refused" in r)),
        "pages": pages,
        "lines": sum(r.get("lines", 0) for r in results),
        "furniture_lines": sum(r.get("furniture", 0) for r in results),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "pages_per_wall_s": round(pages / wall, 1),
        "pages_per_cpu_s": round(pages / cpu, 1) if cpu else None,
        "load_average": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures as JSON."""
    p = argparse.ArgumentParser(prog="python -m bench.pdf_text")
    p.add_argument("folder", nargs="?", default=str(DEFAULT_CORPUS))
    p.add_argument("--jobs", type=int, default=1)
    args = p.parse_args(argv)
    print(json.dumps(measure(Path(args.folder), args.jobs), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
