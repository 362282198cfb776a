"""How many agency mentions resolve on a corpus, and which names do not.

``python -m bench.agencies PATH ...`` loads the inputs (files or folders, as ``policykg
build`` does), counts every agency a task names (lead or participant) and how many of those
are open-world agencies (``Agency.unresolved``: a name no template or list knows), and prints
the figures, the top unresolved names and the registry's size as Markdown;
``--json FILE`` also writes them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any


def measure(paths: list[Path]) -> dict[str, Any]:
    """Load ``paths`` and count agency mentions, unresolved ones and the registry's size."""
    from policykg.loaders.agencies import load_registry
    from policykg.loaders.corpus import load
    from policykg.loaders.jurisdictions import admin_map

    t0 = time.process_time()
    corpus = load(paths)
    cpu = time.process_time() - t0
    by_name = {a.name: a for a in corpus.agencies}
    mentions = 0
    unresolved: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    docs_with_tasks = {t.doc_id for t in corpus.tasks}
    for task in corpus.tasks:
        for name in (*task.lead, *task.participants):
            mentions += 1
            agency = by_name.get(name)
            if agency is None or agency.unresolved:
                unresolved[name] += 1
            if agency is not None:
                levels[str(agency.level)] += 1
    not_names = Counter(n for t in corpus.tasks for n in t.unresolved
                        if n not in by_name and not any(
                            a.unresolved and n in a.aliases for a in corpus.agencies))
    registry = load_registry()
    amap = admin_map()
    return {
        "documents": len(corpus.documents),
        "documents_with_tasks": len(docs_with_tasks),
        "tasks": len(corpus.tasks),
        "tasks_without_agency": sum(1 for t in corpus.tasks if not (t.lead or t.participants)),
        "mentions": mentions,
        "unresolved_mentions": sum(unresolved.values()),
        "unresolved_share": sum(unresolved.values()) / mentions if mentions else 0.0,
        "unresolved_distinct": len(unresolved),
        "top_unresolved": unresolved.most_common(25),
        "printed_not_agency": not_names.most_common(25),
        "mentions_by_level": dict(sorted(levels.items())),
        "agencies": len(corpus.agencies),
        "registry": {
            "listed_agencies": len(registry.agencies),
            "bureau_templates": len(registry.bureaus),
            "branch_forms": len(registry.bureaus.branches),
            "divisions": len(amap),
            "divisions_source": amap.source,
            "possible_local_bodies": len(registry.bureaus) * len(amap),
        },
        "load_cpu_s": round(cpu, 2),
    }


def to_markdown(r: dict[str, Any]) -> str:
    """The figures as README tables."""
    reg = r["registry"]
    lines = [
        f"- documents: {r['documents']} ({r['documents_with_tasks']} with tasks), "
        f"tasks: {r['tasks']} ({r['tasks_without_agency']} naming no agency)",
        f"- agency mentions in tasks: {r['mentions']}, unresolved: {r['unresolved_mentions']} "
        f"({100 * r['unresolved_share']:.1f} %, {r['unresolved_distinct']} distinct names)",
        f"- mentions by level: {r['mentions_by_level']}",
        f"- registry: {reg['listed_agencies']} listed agencies, {reg['bureau_templates']} bureau "
        f"templates and {reg['branch_forms']} branch forms over {reg['divisions']} divisions "
        f"({reg['divisions_source']}): up to {reg['possible_local_bodies']:,} local bodies",
        f"- load CPU: {r['load_cpu_s']} s",
        "",
        "| unresolved name | mentions |",
        "|---|---|",
    ]
    lines += [f"| {n} | {c} |" for n, c in r["top_unresolved"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure the inputs and print Markdown."""
    ap = argparse.ArgumentParser(prog="python -m bench.agencies", description=__doc__)
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)
    result = measure(args.paths)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    sys.stdout.write(to_markdown(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
