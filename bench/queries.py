"""Query benchmarks on a built store: competency SPARQL (pyoxigraph vs rdflib), who and duties.

Each function runs in the process that calls it; ``bench.run`` calls them in fresh worker
processes so that the first query of each engine is measured cold.
"""

from __future__ import annotations

import functools
import logging
import random
import re
import signal
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

__all__ = [
    "QUERY_DIR",
    "agency_names",
    "competency_queries",
    "percentile",
    "search_latency",
    "sparql_comparison",
    "who_queries",
]

logger = logging.getLogger(__name__)

ROOT: Final = Path(__file__).resolve().parent.parent
QUERY_DIR: Final = ROOT / "queries"
DOMAIN_WORDS: Final = ROOT / "loaders" / "lexicons" / "domain_words.toml"

# A run of CJK characters in a task's text, from which user-like query phrases are cut.
# line 6088: "到2025年，新能源汽车新车销售量达到汽车新车销售总量的20%左右"
# gives "新能源汽车新车销售量达到汽车新车销售总量的".
CJK_RUN = re.compile(r"""[\u4e00-\u9fff]{6,}""", re.VERBOSE)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values``, nearest-rank.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.0
    """
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def competency_queries(folder: Path = QUERY_DIR) -> list[tuple[str, str]]:
    """The ``queries/*.rq`` files as (name, text), in name order."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


class QueryTimeout(BaseException):
    """A query ran past its time cap (a BaseException, so no ``except Exception`` eats it)."""


def _capped(fn: Callable[[], Any], cap: float) -> tuple[float, Any]:
    """Time ``fn``, interrupting it after ``cap`` seconds of this process's CPU time
    (rdflib's engine is pure Python; CPU, not wall, so that a loaded machine cuts no query
    short)."""

    def alarm(signum: int, frame: Any) -> None:
        raise QueryTimeout

    old = signal.signal(signal.SIGPROF, alarm)
    signal.setitimer(signal.ITIMER_PROF, cap)
    try:
        return _timed(fn)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)


#: CPU seconds a fast query is repeated for: the process clock may tick in steps of
#: milliseconds (4 ms here), so a query's CPU time is the mean over enough runs.
MIN_CPU: Final = 0.25
MAX_RUNS: Final = 2000


def _steady(fn: Callable[[], Any], runs: int, budget: float, cap: float
            ) -> tuple[list[float], float, Any]:
    """Time ``fn`` ``runs`` times (fewer once ``budget`` seconds are spent; more, up to
    ``MAX_RUNS``, until ``MIN_CPU`` CPU seconds are spent).

    Returns the wall times, the mean CPU time per run (``time.process_time``: steadier on a
    shared machine) and the last result.

    Raises:
        QueryTimeout: the first run took more than ``cap`` seconds.
    """
    times: list[float] = []
    spent = 0.0
    result: Any = None
    c0 = time.process_time()
    while len(times) < MAX_RUNS:
        dt, result = _capped(fn, cap)
        times.append(dt)
        spent += dt
        if spent > budget or (len(times) >= runs and time.process_time() - c0 >= MIN_CPU):
            break
    return times, (time.process_time() - c0) / len(times), result


def sparql_comparison(store_dir: Path, runs: int = 5, budget: float = 10.0,
                      cap: float = 60.0, folder: Path = QUERY_DIR) -> dict[str, Any]:
    """Run every competency query on the on-disk pyoxigraph store and on rdflib in memory.

    The first query of each engine (with its parser warm-up) is reported apart; every query
    is then run ``runs`` times (fewer once ``budget`` seconds are spent on it) and the median
    kept, and the mean CPU time per run (a fast query is repeated until ``MIN_CPU`` seconds
    are spent).  A query still running after ``cap`` CPU seconds is stopped and
    counted as ``cap`` (its ratio is then a lower bound).  Both engines must give the same number of
    rows.  ``folder`` holds the ``.rq`` files (another checkout's ``queries/`` compares
    formulations).
    """
    from policykg.graph.sparql import run_query
    from policykg.graph.store import open_store

    queries = competency_queries(folder)
    out: dict[str, Any] = {"store": str(store_dir), "queries_dir": str(folder), "runs": runs,
                           "cap_s": cap, "queries": {}}
    t_open, opened = _timed(lambda: open_store(store_dir))
    out["oxigraph_open_s"] = t_open
    t_parse, graph = _timed(opened.memory_graph)
    out["rdflib_load_s"] = t_parse
    out["triples"] = len(graph)
    engines: dict[str, Any] = {"oxigraph": opened, "rdflib": graph}
    for engine, target in engines.items():
        name, text = queries[0]
        dt, _ = _timed(functools.partial(run_query, target, text))
        out[f"{engine}_first_query_s"] = dt
    for name, text in queries:
        row: dict[str, Any] = {}
        answers: dict[str, list[tuple[str, ...]]] = {}
        for engine, target in engines.items():
            def call(target: Any = target, text: str = text) -> Any:
                return run_query(target, text)

            try:
                times, cpu, result = _steady(call, runs, budget, cap)
            except QueryTimeout:
                row[f"{engine}_median_s"] = cap
                row[f"{engine}_mean_cpu_s"] = cap
                row[f"{engine}_runs"] = 0
                row[f"{engine}_rows"] = None
                row[f"{engine}_timed_out"] = True
                continue
            row[f"{engine}_median_s"] = statistics.median(times)
            row[f"{engine}_mean_cpu_s"] = cpu
            row[f"{engine}_runs"] = len(times)
            row[f"{engine}_rows"] = len(result)
            answers[engine] = _answer(result)
        if len(answers) == 2:
            row["rows_identical"] = answers["oxigraph"] == answers["rdflib"]
        row["ratio"] = row["rdflib_median_s"] / max(row["oxigraph_median_s"], 1e-9)
        row["ratio_cpu"] = row["rdflib_mean_cpu_s"] / max(row["oxigraph_mean_cpu_s"], 1e-9)
        row["ratio_lower_bound"] = bool(row.get("rdflib_timed_out"))
        out["queries"][name] = row
        logger.info("%s: oxigraph %.4fs rdflib %.4fs (×%.1f; CPU ×%.1f)", name,
                    row["oxigraph_median_s"], row["rdflib_median_s"], row["ratio"],
                    row["ratio_cpu"])
    rows = out["queries"].values()
    ox = sum(r["oxigraph_median_s"] for r in rows)
    rd = sum(r["rdflib_median_s"] for r in rows)
    out["oxigraph_total_s"], out["rdflib_total_s"] = ox, rd
    out["ratio_total"] = rd / max(ox, 1e-9)
    out["ratio_geomean"] = statistics.geometric_mean(max(r["ratio"], 1e-9) for r in rows)
    out["ratio_min"] = min(r["ratio"] for r in rows)
    out["ratio_cpu_min"] = min(r["ratio_cpu"] for r in rows)
    out["under_20x_cpu"] = [n for n, r in out["queries"].items() if r["ratio_cpu"] < 20]
    out["timed_out"] = [n for n, r in out["queries"].items() if r.get("rdflib_timed_out")]
    out["rows_identical"] = all(r.get("rows_identical", False) for r in rows
                                if r["rdflib_rows"] is not None)
    out["rows_agree"] = all(
        r["oxigraph_rows"] == r["rdflib_rows"] for r in rows if r["rdflib_rows"] is not None
    )
    return out


def _answer(result: Any) -> list[tuple[str, ...]]:
    """A query's rows as strings, in order; the parts of a GROUP_CONCAT (" | ") sorted, since
    SPARQL leaves their order to the engine."""
    return [tuple(" | ".join(sorted(str(v).split(" | "))) if v is not None else ""
                  for v in row) for row in result.rows]


def _domain_words() -> list[str]:
    import tomllib

    data = tomllib.loads(DOMAIN_WORDS.read_text(encoding="utf-8"))
    return [str(w) for w in data.get("words", [])]


def who_queries(task_texts: Sequence[str], n: int = 200, seed: int = 2022) -> list[str]:
    """About ``n`` realistic ``who`` queries: domain words, pairs of them, task phrases.

    Deterministic for a given corpus: a third single domain words (碳达峰, 新能源汽车),
    a third two-word queries (光伏 整县推进), a third phrases cut from task texts.
    """
    rng = random.Random(seed)
    words = _domain_words()
    singles = words[: n // 3]
    pairs = [" ".join(rng.sample(words, 2)) for _ in range(n // 3)]
    runs = [m.group() for text in task_texts for m in CJK_RUN.finditer(text)]
    phrases: list[str] = []
    while runs and len(singles) + len(pairs) + len(phrases) < n:
        run = rng.choice(runs)
        size = rng.randint(4, min(10, len(run)))
        start = rng.randint(0, len(run) - size)
        phrases.append(run[start:start + size])
    return singles + pairs + phrases


def agency_names(tasks: Sequence[Any], agencies: Sequence[Any], n: int = 50) -> list[str]:
    """The ``n`` agencies named in most tasks, each asked for by canonical name or an alias."""
    counts = Counter(name for t in tasks for name in (*t.lead, *t.participants))
    by_name = {a.name: a for a in agencies}
    names: list[str] = []
    for i, (name, _) in enumerate(counts.most_common()):
        agency = by_name.get(name)
        if agency is None:
            continue
        aliases = sorted(agency.aliases)
        names.append(aliases[0] if aliases and i % 2 else name)
        if len(names) >= n:
            break
    return names


def _summary(times: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": 1000 * percentile(times, 50),
        "p95_ms": 1000 * percentile(times, 95),
        "max_ms": 1000 * max(times),
    }


def search_latency(store_dir: Path) -> dict[str, Any]:
    """``who`` and ``duties`` as the CLI does them, in process after one warm-up call each.

    Reading the store (``policykg.pipeline.read_corpus``) is timed once and reported apart:
    the CLI pays it on every call, a long-lived process once.
    """
    from policykg.errors import QueryError
    from policykg.graph.search import duties, resolve_agency, who
    from policykg.loaders.nlp import segment
    from policykg.pipeline import read_corpus

    t_read, corpus = _timed(lambda: read_corpus(store_dir))
    queries = who_queries([t.text for t in corpus.tasks])

    def _who(text: str) -> Any:
        return who(segment(text), corpus.tasks, corpus.documents, limit=10)

    t_warm, _ = _timed(functools.partial(_who, queries[0]))
    who_times: list[float] = []
    hits = 0
    for q in queries:
        dt, found = _timed(functools.partial(_who, q))
        who_times.append(dt)
        hits += bool(found)
    names = agency_names(corpus.tasks, corpus.agencies)
    duty_times: list[float] = []
    failed = 0

    def one_duty(name: str) -> Any:
        agency = resolve_agency(name, corpus.agencies)
        return duties(agency, corpus.tasks, corpus.documents)

    for name in names[:1] + names:
        try:
            dt, _ = _timed(functools.partial(one_duty, name))
        except QueryError:
            failed += 1
            continue
        duty_times.append(dt)
    duty_times = duty_times[1:]  # the first call warmed up
    return {
        "store": str(store_dir),
        "tasks": len(corpus.tasks),
        "read_store_s": t_read,
        "who_warmup_s": t_warm,
        "who": {**_summary(who_times), "queries_with_hits": hits},
        "duties": {**(_summary(duty_times) if duty_times else {"n": 0}), "unresolved": failed},
        "who_examples": queries[:3] + queries[70:72] + queries[140:142],
    }
