"""First paint and weight of every page of a site (``policykg site``), in headless Chromium.

``python -m bench.site SITE_DIR [--out FILE.json] [--every N]``: opens each page at 1400×900
from ``file://`` and records its bytes (with the assets it loads) and, on the page clock from
navigation start, the first contentful paint and the moment it is ready (painted, and the list
wired or a view laid out, fitted and legible: ``data-ready`` on the body); a view's
``performance.mark``s (data parsed, network made, laid out) go into ``--out``. Prints a
Markdown table per kind of page (list, document, agency, each view): count, weight and paint,
median and max.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.browser import Browser

#: a page is read as fast enough when it is ready within this many ms (issue 14)
GOAL_MS = 1500.0

PROBE = """JSON.stringify({
  fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null,
  ready: document.body.getAttribute('data-ready') === '1' ? performance.now() : null,
  marks: Object.fromEntries(performance.getEntriesByType('mark')
    .map(m => [m.name, Math.round(m.startTime)])),
  dom: Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd)
})"""
#: a static page is ready at once (data-ready in its HTML): wait for its first paint too
PAINTED = "performance.getEntriesByName('first-contentful-paint').length > 0"


def _kind(rel: str) -> str:
    if rel.startswith("docs/"):
        return "document"
    if rel.startswith("agencies/"):
        return "agency"
    return rel.removesuffix(".html")


def measure(site: Path, every: int = 1) -> list[dict[str, Any]]:
    """Open every ``every``-th page of each kind; return one record per page."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    by_kind: dict[str, list[str]] = {}
    for rel in pages:
        by_kind.setdefault(_kind(rel), []).append(rel)
    chosen = [rel for rels in by_kind.values() for rel in rels[::every]]
    assets = sum(p.stat().st_size for p in (site / "assets").glob("*"))
    out: list[dict[str, Any]] = []
    with Browser() as browser:
        for rel in chosen:
            page = site / rel
            t0 = time.perf_counter()
            tab = browser.open(page.resolve().as_uri())
            tab.wait("document.body.getAttribute('data-ready') === '1'")
            ready = json.loads(tab.evaluate(PROBE))["ready"]
            tab.wait(PAINTED, timeout=10)
            probe = json.loads(tab.evaluate(PROBE))
            size = page.stat().st_size
            out.append({
                "page": rel,
                "kind": _kind(rel),
                "bytes": size + (assets if "assets/" in page.read_text(encoding="utf-8") else 0),
                "first_contentful_paint_ms": probe["fcp"],
                # ready: wired (or laid out) and painted
                "ready_ms": max(ready or 0.0, probe["fcp"] or 0.0) if ready else None,
                "marks": probe["marks"],
                "dom_content_loaded_ms": probe["dom"],
                "wall_s": time.perf_counter() - t0,
            })
            tab.call("Page.close")
    return out


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table per kind of page: count, KB and ready ms (median / max)."""
    lines = [
        "| page | pages | weight KB (median / max) | first paint ms (median / max) "
        "| ready ms (median / max) | ≤ 1.5 s |",
        "|---|---|---|---|---|---|",
    ]
    kinds: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        kinds.setdefault(row["kind"], []).append(row)
    for kind, group in kinds.items():
        kb = [r["bytes"] / 1024 for r in group]
        fcp = [r["first_contentful_paint_ms"] or 0.0 for r in group]
        ready = [r["ready_ms"] or float("inf") for r in group]
        lines.append(
            f"| {kind} | {len(group)} | {statistics.median(kb):.0f} / {max(kb):.0f} "
            f"| {statistics.median(fcp):.0f} / {max(fcp):.0f} "
            f"| {statistics.median(ready):.0f} / {max(ready):.0f} "
            f"| {'yes' if max(ready) <= GOAL_MS else '**no**'} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.site", description=__doc__.splitlines()[0])
    p.add_argument("site", type=Path)
    p.add_argument("--out", type=Path, help="write every page's figures as JSON")
    p.add_argument("--every", type=int, default=1, help="measure every N-th page of each kind")
    args = p.parse_args(argv)
    rows = measure(args.site, args.every)
    total = sum(f.stat().st_size for f in args.site.rglob("*") if f.is_file())
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"site_bytes": total, "pages": rows}, indent=1) + "\n",
                            encoding="utf-8")
    print(table(rows))
    print(f"\nsite: {total / 1024 / 1024:.1f} MB in "
          f"{sum(1 for f in args.site.rglob('*') if f.is_file())} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
