"""How many agency mentions resolve on a corpus, and which names do not.

``python -m bench.agencies PATH ...`` loads the inputs (files or folders, as ``policykg
build`` does), counts every agency a task names (lead or participant) and how many of those
are open-world agencies (``Agency.unresolved``: a name no template or list knows), and prints
the figures, the top unresolved names and the registry's size as Markdown;
``--json FILE`` also writes them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
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
    # printed names left with no agency at all (a group such as 煤炭企业, a fragment such as
    # 市, a body of a document whose jurisdiction is unknown): A002 problems, counted apart
    by_alias = {n: a.name for a in corpus.agencies for n in (a.name, *a.aliases)}
    left: Counter[str] = Counter(
        n for t in corpus.tasks for n in t.unresolved
        if by_alias.get(n) not in {*t.lead, *t.participants})
    # printed names the annotation grammar left glued to a connective (省海洋局等参与,
    # 生态环境厅牵头): loaders.corpus reads them with the connective's role (counted above)
    glued = Counter(n for t in corpus.tasks for n in t.unresolved
                    if re.search(r"牵头|参与|负责|配合", n))
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
        "left_without_agency": sum(left.values()),
        "left_share": ((sum(unresolved.values()) + sum(left.values()))
                       / (mentions + sum(left.values())) if mentions else 0.0),
        "top_left": left.most_common(25),
        "glued_to_connective": sum(glued.values()),
        "top_glued": glued.most_common(25),
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


#: Queries as users type them: canonical names, aliases with and without their place, a
#: former name, bare names read in a jurisdiction (the second item).
DUTY_QUERIES: tuple[tuple[str, str | None], ...] = (
    ("国家发展改革委", None), ("发改委", None), ("能源局", None), ("交通部", None),
    ("生态环境部", None), ("工业和信息化部", None), ("国家能源局", None), ("银保监会", None),
    ("江西省发改委", None), ("江西省发展改革委", None), ("宁波市发改委", None),
    ("甘肃省发改委", None), ("重庆市生态环境局", None), ("福建省工业和信息化厅", None),
    ("湖北省发展改革委", None), ("山东省生态环境厅", None), ("天津市发展改革委", None),
    ("发展改革委", "甘肃"), ("生态环境厅", "江苏"), ("能源局", "湖北"), ("市生态环境局", "辽源"),
    ("省发展改革委", "四川"), ("住建厅", "广西"), ("市发改委", "宁波"),
)


def latency(store: Path, rounds: int = 10) -> dict[str, Any]:
    """``duties`` (every query of DUTY_QUERIES) and ``who`` in process, after a warm-up."""
    from policykg import api
    from policykg.errors import QueryError

    opened = api.open_store(store)

    def one(fn: Any) -> tuple[float, float]:
        w, c = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - w, time.process_time() - c

    def duty(q: str, j: str | None) -> None:
        with contextlib.suppress(QueryError):
            api.duties(q, store=opened, jurisdiction=j)

    for q, j in DUTY_QUERIES:  # warm-up: the store's index, the registry, the map
        duty(q, j)
    api.who("碳排放权交易", store=opened)
    duties = [one(lambda q=q, j=j: duty(q, j)) for _ in range(rounds) for q, j in DUTY_QUERIES]
    words = ("碳排放权交易", "节能降碳", "绿色建筑", "可再生能源", "新能源汽车", "储能")
    who = [one(lambda w=w: api.who(w, store=opened)) for _ in range(rounds) for w in words]

    def pct(xs: list[float], p: float) -> float:
        xs = sorted(xs)
        return 1000 * xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]

    out: dict[str, Any] = {"store": str(store)}
    for label, times in (("duties", duties), ("who", who)):
        out[label] = {"n": len(times),
                      "p50_ms": round(pct([t[0] for t in times], 50), 3),
                      "p95_ms": round(pct([t[0] for t in times], 95), 3),
                      "cpu_p95_ms": round(pct([t[1] for t in times], 95), 3)}
    return out


def to_markdown(r: dict[str, Any]) -> str:
    """The figures as README tables."""
    reg = r["registry"]
    lines = [
        f"- documents: {r['documents']} ({r['documents_with_tasks']} with tasks), "
        f"tasks: {r['tasks']} ({r['tasks_without_agency']} naming no agency)",
        f"- agency mentions in tasks: {r['mentions']}, unresolved: {r['unresolved_mentions']} "
        f"({100 * r['unresolved_share']:.1f} %, {r['unresolved_distinct']} distinct names)",
        f"- printed names left with no agency (A002): {r['left_without_agency']}; with the "
        f"unresolved ones, {100 * r['left_share']:.1f} % of all printed names",
        f"- mentions by level: {r['mentions_by_level']}",
        f"- names the grammar left glued to a connective, read with its role: "
        f"{r['glued_to_connective']}",
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
    ap.add_argument("--latency", action="store_true",
                    help="PATHS are stores: time duties and who in process instead")
    args = ap.parse_args(argv)
    if args.latency:
        rows = [latency(p) for p in args.paths]
        if args.json:
            args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
        lines = ["| store | duties p50 / p95 ms (CPU p95) | who p50 / p95 ms (CPU p95) |",
                 "|---|---|---|"]
        for r in rows:
            d, w = r["duties"], r["who"]
            lines.append(f"| {r['store']} | {d['p50_ms']} / {d['p95_ms']} ({d['cpu_p95_ms']}) "
                         f"| {w['p50_ms']} / {w['p95_ms']} ({w['cpu_p95_ms']}) |")
        sys.stdout.write("\n".join(lines) + "\n")
        return 0
    result = measure(args.paths)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    sys.stdout.write(to_markdown(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
