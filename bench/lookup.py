"""``who`` and ``duties`` latency: in process (issue 12, ≤ 2 ms p95) and as cold processes
(issue 13, cold ``who`` ≤ 60 ms CPU p95), beside the interpreter's own floor.

    python -m bench.lookup STORE [STORE …] [--cold] [--python PY] [--json FILE]

In process: ``api.who`` / ``api.duties`` on an opened store, each query timed (CPU,
``time.process_time``) after one untimed round, ``--rounds`` rounds (default 5).  Cold: each
query as a fresh ``PY -m policykg who QUERY --store STORE`` (``policykg`` script beside PY
when it is an installed one: ``--script``), CPU = the child's user + system time
(``RUSAGE_CHILDREN``), one untimed run first (it writes the .pyc files and the word table a
machine keeps between runs); the floor is ``PY -c pass``, ``PY -S -c pass`` and
``PY -I -S -c pass`` measured the same way.  The cold runs use a fresh cache folder that
``pipeline.prepare_search`` fills as a build of STORE would (the word table, the registry's
answers to its listed names and to the names of the store's agencies); ``duties`` runs every
query once (first asked: a name made from a template for a body the store does not hold, or
asked in a jurisdiction, loads the registry) and then again (every answer remembered).
Figures are CPU milliseconds, p50 and p95 (nearest rank) over the queries.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from bench.agencies import DUTY_QUERIES as _AGENCY_QUERIES
from bench.queries import percentile

__all__ = ["DUTY_QUERIES", "WHO_QUERIES", "cold", "in_process", "main"]

#: Task phrases as users type them, naming no agency: topics of the corpus and some of none
#: (量子计算: never matched on 计算 alone).  Agency-free: a query naming one goes through the
#: registry (``api._agency_words``), which ``duties`` measures.
WHO_QUERIES: Final = (
    "光伏", "氢能", "绿色建筑", "碳排放权交易", "新能源汽车", "量子计算", "储能", "节能降碳",
    "可再生能源", "充电桩", "海上风电", "整县推进", "煤电机组", "绿色金融", "碳汇", "甲烷排放",
    "循环经济", "超低能耗建筑", "绿色低碳技术", "碳足迹", "电动汽车充电基础设施", "钢铁行业",
    "水泥 熟料", "生物质能", "抽水蓄能", "塑料污染治理", "碳捕集利用与封存", "绿色消费",
    "公共机构节能", "新型储能", "农村能源革命", "减污降碳协同增效", "森林 草原 湿地",
    "绿色 低碳 循环", "分布式光伏", "清洁取暖", "碳达峰",
)

#: (agency, --jurisdiction): canonical names, aliases with and without their place, former
#: names, bare names read in a jurisdiction: ``bench.agencies.DUTY_QUERIES`` and more.
DUTY_QUERIES: Final[tuple[tuple[str, str | None], ...]] = (
    *_AGENCY_QUERIES,
    ("住房城乡建设部", None), ("财政部", None), ("科技部", None), ("国管局", None),
    ("湖北金融监管总局", None), ("自然资源部", None), ("商务部", None), ("市场监管总局", None),
)


def _cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def _summary(times: Sequence[float]) -> dict[str, Any]:
    return {"n": len(times), "p50_ms": round(1000 * percentile(times, 50), 3),
            "p95_ms": round(1000 * percentile(times, 95), 3),
            "max_ms": round(1000 * max(times), 3)}


def in_process(store: Path, rounds: int = 5) -> dict[str, Any]:
    """CPU per ``api.who`` and ``api.duties`` call on one opened store, after a warm-up."""
    from policykg import api
    from policykg.errors import QueryError

    opened = api.open_store(store)

    def duty(q: str, j: str | None) -> None:
        with contextlib.suppress(QueryError):
            api.duties(q, store=opened, jurisdiction=j)

    for q in WHO_QUERIES:
        api.who(q, store=opened)
    for q, j in DUTY_QUERIES:
        duty(q, j)
    who = [_cpu(lambda q=q: api.who(q, store=opened))
           for _ in range(rounds) for q in WHO_QUERIES]
    duties = [_cpu(lambda q=q, j=j: duty(q, j))  # type: ignore[misc]
              for _ in range(rounds) for q, j in DUTY_QUERIES]
    corpus = opened.index()
    return {"store": str(store), "tasks": len(corpus.tasks), "rounds": rounds,
            "who": _summary(who), "duties": _summary(duties)}


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _runs(commands: Sequence[Sequence[str]], env: dict[str, str]) -> list[float]:
    subprocess.run(commands[0], capture_output=True, env=env, check=False)  # .pyc, word table
    times = []
    for cmd in commands:
        before = _child_cpu()
        done = subprocess.run(cmd, capture_output=True, env=env, check=False)
        times.append(_child_cpu() - before)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: exit {done.returncode}: "
                               f"{done.stderr.decode(errors='replace')[-300:]}")
    return times


def cold(store: Path, python: str = sys.executable, script: bool = False,
         repeat: int = 1) -> dict[str, Any]:
    """CPU of each query as a fresh process, and of the bare interpreter."""
    import tempfile

    from policykg.loaders.words import CACHE_ENV

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base = [str(Path(python).with_name("policykg"))] if script else [python, "-m", "policykg"]
    with tempfile.TemporaryDirectory(prefix="policykg-bench-cache-") as cache:
        # a cache as a build of the store leaves it (word table, the registry's listed names,
        # the names of the store's agencies), nothing asked
        env[CACHE_ENV] = cache
        subprocess.run([python, "-c", "import sys; from pathlib import Path; "
                        "from policykg import pipeline; pipeline.prepare_search("
                        "pipeline.read_index(Path(sys.argv[1])).agencies)", str(store)],
                       capture_output=True, env=env, check=True)
        who = _runs([[*base, "who", *q.split(), "--store", str(store)]
                     for _ in range(repeat) for q in WHO_QUERIES], env)
        asked = [[*base, "duties", q, "--store", str(store), *(("--jurisdiction", j) if j else ())]
                 for q, j in DUTY_QUERIES]
        first = _runs(asked, env)  # a name made from a template, or asked in a place: new
        again = _runs(asked * repeat, env)  # every answer remembered
    floors = {name: _summary(_runs([[python, *flags, "-c", "pass"]] * 30, env))
              for name, flags in (("python -c pass", []), ("python -S -c pass", ["-S"]),
                                  ("python -I -S -c pass", ["-I", "-S"]))}
    return {"store": str(store), "python": python, "entry": " ".join(base),
            "who": _summary(who), "duties": _summary(first), "duties_again": _summary(again),
            "floor": floors}


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print Markdown rows (and JSON with ``--json``)."""
    ap = argparse.ArgumentParser(prog="python -m bench.lookup", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stores", nargs="+", type=Path)
    ap.add_argument("--cold", action="store_true", help="fresh processes instead")
    ap.add_argument("--python", default=sys.executable, help="the interpreter of the cold runs")
    ap.add_argument("--script", action="store_true",
                    help="run the policykg script beside --python (an installed one)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    rows = [cold(s, args.python, args.script) if args.cold else in_process(s, args.rounds)
            for s in args.stores]
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    for r in rows:
        w, d = r["who"], r["duties"]
        line = (f"| {r['store']} | who {w['p50_ms']} / {w['p95_ms']} (n {w['n']}) "
                f"| duties {d['p50_ms']} / {d['p95_ms']} (n {d['n']}) |")
        if "duties_again" in r:
            a = r["duties_again"]
            line += f" duties asked again {a['p50_ms']} / {a['p95_ms']} (n {a['n']}) |"
        if args.cold:
            line += " " + ", ".join(f"{k}: {v['p50_ms']} / {v['p95_ms']}"
                                    for k, v in r["floor"].items()) + " |"
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
