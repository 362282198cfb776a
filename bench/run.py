"""``make bench``: build ×1, ×10, ×100 corpora stage by stage, query, search and paint.

Every measurement runs in a fresh worker process (``python -m bench.run --worker …``) so
that times are cold and peak memory is the worker's own; the worker writes its figures to a
JSON file after every stage, so a stage cut short by its time limit still leaves the others.
The orchestrator writes ``bench/results/latest.json`` and ``bench/results/latest.md``.

Stages, all on the same data: parse (``loaders.documents.load_documents``), extract (the rest
of ``loaders.corpus.load``: issuers, tasks, targets, citations), sectors+tree
(``graph.sectors.tag_sectors``, ``graph.tree.build_tree``), rdf (``graph.build.build_graph``),
store (``graph.store.write_store``: records, sorted N-Triples, pyoxigraph bulk load) and
validate (``graph.validate.validate``, pySHACL).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import logging
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

__all__ = ["PROFILES", "main", "measure_build", "parse_without_gc", "profile_all"]

logger = logging.getLogger("bench")

ROOT: Final = Path(__file__).resolve().parent.parent
OUT: Final = ROOT / "bench" / "out"
RESULTS: Final = ROOT / "bench" / "results"
PYTHON: Final = sys.executable

#: Stage time limit of a worker (seconds); a stage still running is recorded as cut short.
WORKER_TIMEOUT: Final = {1: 300, 10: 600, 100: 480}
#: Above this factor the RDF, store and validate stages are projected, not run (see README).
FULL_BUILD_MAX: Final = 10
#: Above this factor citations are not resolved (they were quadratic until 2026-11-25).
CITATIONS_MAX: Final = 100
CLI_RUNS: Final = 10


# ------------------------------------------------------------------ worker: one build


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Recorder:
    """Stage figures, flushed to ``path`` after each stage."""

    def __init__(self, path: Path, **info: Any) -> None:
        self.path = path
        self.data: dict[str, Any] = {**info, "stages": {}, "counts": {}, "notes": []}
        self.flush()

    def flush(self) -> None:
        self.path.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), "utf-8")

    def stage(self, name: str, fn: Callable[[], Any]) -> Any:
        w0, c0 = time.perf_counter(), time.process_time()
        self.data["stages"][name] = {"status": "running"}
        self.flush()
        out = fn()
        self.data["stages"][name] = {
            "wall_s": time.perf_counter() - w0,
            "cpu_s": time.process_time() - c0,
            "peak_rss_mb": _rss_mb(),
            "status": "done",
        }
        self.flush()
        return out

    def set_stage(self, name: str, **fields: Any) -> None:
        self.data["stages"][name] = fields
        self.flush()


def measure_build(
    factor: int, inputs: Sequence[Path], store_dir: Path | None, out: Path,
    *, full: bool, citations: bool, validate: bool,
) -> dict[str, Any]:
    """Build ``inputs`` stage by stage in this process, recording time and peak RSS."""
    t_start = time.perf_counter()
    import policykg.loaders.citations
    import policykg.loaders.documents
    from policykg.loaders.corpus import load

    rec = _Recorder(out, factor=factor, inputs=[str(p) for p in inputs])
    rec.data["import_s"] = time.perf_counter() - t_start
    real_load_documents = policykg.loaders.documents.load_documents
    real_find_citations = policykg.loaders.citations.find_citations
    parse: dict[str, Any] = {}
    cites: dict[str, Any] = {}

    def timed_load_documents(paths: Sequence[Path]) -> Any:
        w0, c0 = time.perf_counter(), time.process_time()
        loaded = real_load_documents(paths)
        parse.update(wall_s=time.perf_counter() - w0, cpu_s=time.process_time() - c0,
                     peak_rss_mb=_rss_mb(), status="done")
        return loaded

    def timed_find_citations(documents: Sequence[Any]) -> Any:
        if not citations:
            return [], []
        w0, c0 = time.perf_counter(), time.process_time()
        found = real_find_citations(documents)
        cites.update(wall_s=time.perf_counter() - w0, cpu_s=time.process_time() - c0)
        return found

    policykg.loaders.documents.load_documents = timed_load_documents
    policykg.loaders.citations.find_citations = timed_find_citations
    corpus = rec.stage("load", lambda: load(inputs))
    load_stage = rec.data["stages"].pop("load")
    rec.data["stages"]["parse"] = parse
    rec.data["stages"]["extract"] = {
        "wall_s": load_stage["wall_s"] - parse["wall_s"],
        "cpu_s": load_stage["cpu_s"] - parse["cpu_s"],
        "peak_rss_mb": load_stage["peak_rss_mb"],
        "status": "done",
        "citations_wall_s": cites.get("wall_s"),
        "citations_cpu_s": cites.get("cpu_s"),
    }
    if not citations:
        rec.data["notes"].append(
            f"×{factor}: citations not resolved (find_citations skipped; quadratic in documents)"
        )
    rec.data["counts"] = {
        "documents": len(corpus.documents),
        "tasks": len(corpus.tasks),
        "targets": len(corpus.targets),
        "citations": len(corpus.citations),
        "problems": len(corpus.problems),
        "lines": sum(s.total_lines for s in corpus.summary),
    }
    rec.flush()
    if not full:
        rec.data["total_wall_s"] = time.perf_counter() - t_start
        rec.flush()
        return rec.data
    from policykg.graph.build import build_graph
    from policykg.graph.sectors import tag_sectors
    from policykg.graph.store import write_store
    from policykg.graph.tree import build_tree, tree_to_json

    def sectors_tree() -> Any:
        tags = tuple(tag_sectors(corpus))
        return tags, build_tree(dataclasses.replace(corpus, sectors=tags), tags)

    tags, tree = rec.stage("sectors_tree", sectors_tree)
    corpus = dataclasses.replace(corpus, sectors=tags)
    graph = rec.stage("rdf", lambda: build_graph(corpus, tags, tree))
    rec.data["counts"]["triples"] = len(graph)
    if store_dir is not None:
        rec.stage("store", lambda: write_store(
            store_dir, corpus, graph, sector_tags=tags, tree_json=tree_to_json(tree),
            inputs=[str(p) for p in inputs],
        ))
    if validate:
        from policykg.graph.validate import validate as shacl

        report = rec.stage("validate", lambda: shacl(graph))
        rec.data["counts"]["shacl_violations"] = len(report.violations)
    rec.data["total_wall_s"] = time.perf_counter() - t_start
    rec.flush()
    return rec.data


def _profile(fn: Callable[[], Any], top: int) -> dict[str, Any]:
    """cProfile ``fn``; the top functions by own time, and ours by cumulative time."""
    prof = cProfile.Profile()
    w0 = time.perf_counter()
    prof.enable()
    fn()
    prof.disable()
    wall = time.perf_counter() - w0
    stats = pstats.Stats(prof)
    rows: list[dict[str, Any]] = []
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in raw.items():
        rows.append({"where": f"{_short_path(file)}:{line}:{func}", "calls": calls,
                     "own_s": tottime, "cum_s": cumtime})
    own = sorted(rows, key=lambda r: -r["own_s"])[:top]
    ours = [r for r in rows
            if r["where"].split("/")[0] in ("loaders", "graph", "policykg", "viz")]
    cum = sorted(ours, key=lambda r: -r["cum_s"])[:top]
    return {"profiled_wall_s": wall, "by_own_time": own, "project_by_cumulative": cum}


#: What ``profile_all`` profiles: one ×1 build with validation, the store read of a cold
#: ``who``, and the extraction of ×10 (where citations turn quadratic).
PROFILES: Final = ("build_x1", "cli_who_x1", "extract_x10")


def profile_all(inputs: dict[str, Path], store: Path, out: Path, top: int = 15
                ) -> dict[str, Any]:
    """Profile each case of ``PROFILES`` under cProfile (times inflated by its overhead)."""
    from policykg import pipeline

    def cli_who() -> None:
        from policykg.graph.search import who
        from policykg.loaders.nlp import segment

        corpus = pipeline.read_index(store)
        who(segment("光伏 整县推进"), corpus.tasks, corpus.documents, limit=10)

    cases: dict[str, Callable[[], Any]] = {
        "build_x1": lambda: pipeline.build([inputs["1"]], validate=True),
        "cli_who_x1": cli_who,
        "extract_x10": lambda: pipeline.load_corpus([inputs["10"]]),
    }
    data: dict[str, Any] = {}
    for name in PROFILES:
        if name == "extract_x10" and "10" not in inputs:
            continue
        data[name] = _profile(cases[name], top)
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    return data


def parse_without_gc(inputs: Sequence[Path], out: Path) -> dict[str, Any]:
    """Parse with the cyclic garbage collector off: how much of the parse time is GC."""
    import gc

    from policykg.loaders.documents import load_documents

    gc.disable()
    w0, c0 = time.perf_counter(), time.process_time()
    loaded = load_documents(inputs)
    data = {"wall_s": time.perf_counter() - w0, "cpu_s": time.process_time() - c0,
            "peak_rss_mb": _rss_mb(), "documents": len(loaded.documents)}
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    return data


def _short_path(file: str) -> str:
    parts = Path(file).parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1:])
    try:
        return str(Path(file).resolve().relative_to(ROOT))
    except ValueError:
        return file


def _where(where: str) -> str:
    """A profile row's place, without the virtualenv's site-packages prefix."""
    _head, sep, tail = where.partition("site-packages/")
    return tail if sep else where


# ------------------------------------------------------------------ orchestrator


def _worker(args: Sequence[str], out: Path, timeout: float) -> dict[str, Any]:
    """Run ``python -m bench.run --worker …`` and return its JSON (partial if cut short)."""
    cmd = [PYTHON, "-m", "bench.run", "--worker", *args, "--out", str(out)]
    logger.info("worker: %s", " ".join(args))
    w0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    status = "done"
    try:
        proc = subprocess.run(cmd, cwd=ROOT, timeout=timeout, capture_output=True, text=True)
        if proc.returncode != 0:
            status = f"failed (exit {proc.returncode}): {proc.stderr.strip()[-600:]}"
    except subprocess.TimeoutExpired:
        status = f"cut short after {timeout:.0f} s"
    wall = time.perf_counter() - w0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    data: dict[str, Any] = {}
    if out.is_file():
        try:
            data = json.loads(out.read_text("utf-8"))
        except ValueError:
            data = {}
    data["process_wall_s"] = wall
    data["process_status"] = status
    # RUSAGE_CHILDREN keeps the largest child so far: only a new maximum is this worker's.
    data["process_peak_rss_mb"] = after / 1024 if after > before else None
    if status != "done":
        logger.warning("worker %s: %s", " ".join(args), status)
    return data


def machine_info() -> dict[str, Any]:
    """CPU model, cores, memory, Python and library versions."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    from importlib.metadata import version

    libs: dict[str, str | None] = {}
    for lib in ("rdflib", "pyoxigraph", "pyshacl", "oxrdflib", "jieba", "networkx"):
        try:
            libs[lib] = version(lib)
        except Exception:  # a missing library is only not reported
            libs[lib] = None
    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return proc.stdout.strip()

    return {
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_modified_files": git("status", "--porcelain", "--untracked-files=no").splitlines(),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_avg_at_start": os.getloadavg(),
        "libraries": libs,
    }


def _cli_cold(store: Path, args: Sequence[str], runs: int) -> dict[str, Any]:
    """Wall time of ``policykg ARGS --store STORE`` as fresh processes.

    One untimed run first: it writes what a machine keeps between runs (the word table of
    ``loaders.nlp.segment``, written once per registry and jieba dictionary, and .pyc files).
    """
    from bench.queries import percentile

    exe = Path(PYTHON).with_name("policykg")
    times: list[float] = []
    subprocess.run([str(exe), *args[0].split("\0"), "--store", str(store)], cwd=ROOT,
                   capture_output=True, text=True, timeout=300)
    for i in range(runs):
        cmd = [str(exe), *args[i % len(args)].split("\0"), "--store", str(store)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip()[-400:], "cmd": cmd}
    return {"n": runs, "p50_ms": 1000 * percentile(times, 50),
            "p95_ms": 1000 * percentile(times, 95), "max_ms": 1000 * max(times)}


def _render_tree(store: Path, out: Path) -> Path:
    from policykg import pipeline

    return pipeline.write_views(store, "tree", None, out)[0]


def orchestrate(factors: Sequence[int], skip_browser: bool, full_max: int = FULL_BUILD_MAX
                ) -> dict[str, Any]:
    """Run every measurement; return the results (also written to ``bench/results``)."""
    from bench.synth import make_corpus
    from policykg.pipeline import bundled_input

    t_all = time.perf_counter()
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine_info(), "builds": {}, "notes": []}
    inputs: dict[int, Path] = {}
    for f in factors:
        if f == 1:
            inputs[f] = bundled_input()
        else:
            t0 = time.perf_counter()
            synth = make_corpus(f)
            inputs[f] = synth.folder
            results.setdefault("synth_s", {})[str(f)] = time.perf_counter() - t0
    # builds
    for f in factors:
        full = f <= full_max
        validate = full
        store = OUT / f"store-x{f}"
        args = ["build", "--factor", str(f), "--input", str(inputs[f]), "--store", str(store)]
        if not full:
            args.append("--no-full")
        if f > CITATIONS_MAX:
            args.append("--no-citations")
        if not validate:
            args.append("--no-validate")
        timeout = 3600 if full and f > FULL_BUILD_MAX else WORKER_TIMEOUT.get(f, 600)
        data = _worker(args, work / f"build-x{f}.json", timeout)
        results["builds"][str(f)] = data
        logger.info("×%d: %s", f, {k: round(v.get("wall_s", -1), 2)
                                   for k, v in data.get("stages", {}).items()})
    # queries, search latency
    results["sparql"] = {}
    results["search"] = {}
    for f in (f for f in factors if f <= FULL_BUILD_MAX):  # queries: ×1 and ×10 only
        store = OUT / f"store-x{f}"
        if not (store / "manifest.json").is_file():
            continue
        results["sparql"][str(f)] = _worker(
            ["sparql", "--store", str(store)], work / f"sparql-x{f}.json", 900)
        results["search"][str(f)] = _worker(
            ["search", "--store", str(store)], work / f"search-x{f}.json", 300)
    store1 = OUT / "store-x1"
    if (store1 / "manifest.json").is_file():
        from bench.queries import who_queries

        sample = who_queries([])[:CLI_RUNS]
        results["cli_cold"] = {
            "who": _cli_cold(store1, [f"who\0{q}" for q in sample], CLI_RUNS),
            "duties": _cli_cold(store1, ["duties\0国家发展改革委", "duties\0工业和信息化部"],
                                CLI_RUNS),
        }
    if not skip_browser and Path("/usr/bin/chromium").exists():
        from bench.browser import first_paint

        for f in (f for f in factors if f <= FULL_BUILD_MAX):
            store = OUT / f"store-x{f}"
            if not (store / "manifest.json").is_file():
                continue
            key = "browser" if f == 1 else f"browser_x{f}"
            try:
                page = _render_tree(store, OUT / "views" / f"tree-x{f}.html")
                results[key] = first_paint(page)
            except (OSError, RuntimeError, ConnectionError, ValueError) as e:
                results[key] = {"error": str(e)}
    if 100 in inputs:
        results["parse_gc_off_x100"] = _worker(
            ["parse-gc-off", "--input", str(inputs[100])], work / "parse-gc-off-x100.json", 300)
    profile_args = ["profile", "--input", str(bundled_input()), "--store", str(store1)]
    if 10 in inputs:
        profile_args += ["--input10", str(inputs[10])]
    results["profile"] = _worker(profile_args, work / "profile.json", 600)
    results["total_s"] = time.perf_counter() - t_all
    results["goals"] = goals(results)
    return results


# ------------------------------------------------------------------ goals and report


def _stage(results: dict[str, Any], f: int, name: str, key: str = "wall_s") -> float | None:
    value = results["builds"].get(str(f), {}).get("stages", {}).get(name, {}).get(key)
    return float(value) if isinstance(value, int | float) else None


BUILD_STAGES: Final = ("parse", "extract", "sectors_tree", "rdf", "store", "validate")


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of issue 7 with the measured figure and whether it is met."""
    out: list[dict[str, Any]] = []

    def goal(name: str, target: str, value: Any, met: bool | None) -> None:
        out.append({"goal": name, "target": target, "measured": value, "met": met})

    parse1 = _stage(results, 1, "parse")
    parse1_cpu = _stage(results, 1, "parse", "cpu_s")
    goal("parse ×1 (wall)", "< 1 s", parse1, None if parse1 is None else parse1 < 1.0)
    goal("parse ×1 (CPU)", "< 1 s", parse1_cpu, None if parse1_cpu is None else parse1_cpu < 1.0)
    b1 = results["builds"].get("1", {})
    for key, label in (("wall_s", "wall"), ("cpu_s", "CPU")):
        built = [_stage(results, 1, s, key) for s in BUILD_STAGES]
        if all(v is not None for v in built):
            total = sum(v for v in built if v is not None) + b1.get("import_s", 0.0)
            goal(f"build ×1 cold, imports + all stages ({label})", "< 2 s", total, total < 2.0)
    if b1.get("process_wall_s") is not None:
        goal("build ×1 worker process wall (incl. interpreter start)", "< 2 s",
             b1["process_wall_s"], b1["process_wall_s"] < 2.0)
    for stage in BUILD_STAGES:
        key = "cpu_s"
        a = _stage(results, 1, stage, key)
        if stage == "extract":  # ×100 resolves no citations: compare without them
            cites1 = _stage(results, 1, stage, "citations_cpu_s") or 0.0
            a = a - cites1 if a is not None else None
        for f, limit in ((10, 12), (100, 120)):
            b = _stage(results, f, stage, key)
            if stage == "extract" and b is not None:
                b -= _stage(results, f, stage, "citations_cpu_s") or 0.0
            if a and b:
                what = f"{stage} without citations" if stage == "extract" else stage
                goal(f"linear: {what} CPU ×{f}/×1", f"≤ {limit}", b / a, b / a <= limit)
    c1 = _stage(results, 1, "extract", "citations_cpu_s")
    c10 = _stage(results, 10, "extract", "citations_cpu_s")
    if c1 and c10:
        goal("linear: citations CPU ×10/×1", "≤ 12", c10 / c1, c10 / c1 <= 12)
    for f, limit in ((10, 12), (100, 120)):
        m1 = _stage(results, 1, "extract", "peak_rss_mb")
        mf = _stage(results, f, "extract", "peak_rss_mb")
        if m1 and mf:
            goal(f"linear: peak RSS after extract ×{f}/×1", f"≤ {limit}", mf / m1,
                 mf / m1 <= limit)
    sp10 = results.get("sparql", {}).get("10", {})
    if "ratio_total" in sp10:
        goal("competency queries ×10, rdflib/oxigraph (sum of medians)", "≥ 20×",
             sp10["ratio_total"], sp10["ratio_total"] >= 20)
        goal("competency queries ×10, slowest ratio of one query", "≥ 20×",
             sp10["ratio_min"], sp10["ratio_min"] >= 20)
    for size in ("1", "10"):
        who = results.get("search", {}).get(size, {}).get("who", {})
        if "p95_ms" in who:
            goal(f"who p95 in process ×{size}", "≤ 50 ms", who["p95_ms"], who["p95_ms"] <= 50)
        duties = results.get("search", {}).get(size, {}).get("duties", {})
        if "p95_ms" in duties:
            goal(f"duties p95 in process ×{size}", "≤ 50 ms", duties["p95_ms"],
                 duties["p95_ms"] <= 50)
    for cmd in ("who", "duties"):
        cold = results.get("cli_cold", {}).get(cmd, {})
        if "p95_ms" in cold:
            goal(f"{cmd} p95 as a cold CLI process ×1", "≤ 50 ms", cold["p95_ms"],
                 cold["p95_ms"] <= 50)
    for key, size in (("browser", "×1"), ("browser_x10", "×10")):
        paint = results.get(key, {})
        if paint.get("first_paint_ms") is not None:
            goal(f"tree view first paint {size} (headless Chromium, s)", "≤ 3 s",
                 paint["first_paint_ms"] / 1000, paint["first_paint_ms"] <= 3000)
    return out


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}" if abs(value) < 1000 \
            else f"{value:.0f}"
        return text + unit
    return f"{value}{unit}"


def markdown(results: dict[str, Any]) -> str:
    """The Markdown report (README table and details)."""
    m = results["machine"]
    lines = [
        "# Benchmarks (`make bench`)",
        "",
        f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gb']} GB, Python {m['python']}; "
        f"load average at start {', '.join(f'{x:.1f}' for x in m['load_avg_at_start'])} "
        "(the machine is shared: wall times vary, CPU times are steadier). "
        f"Commit {m.get('git_commit')}"
        + (f" with {len(m['git_modified_files'])} tracked files modified in the work tree"
           if m.get("git_modified_files") else "") + ".",
        "",
        "## Build stages (wall s / CPU s / peak RSS MB after the stage)",
        "",
        "| stage | " + " | ".join(f"×{f}" for f in results["builds"]) + " |",
        "|---|" + "---|" * len(results["builds"]),
    ]
    for stage in BUILD_STAGES:
        cells = []
        for data in results["builds"].values():
            st = data.get("stages", {}).get(stage)
            if not st:
                cells.append("not run")
            elif st.get("status") != "done":
                cells.append(st.get("status", "—"))
            else:
                cells.append(f"{_fmt(st['wall_s'])} / {_fmt(st['cpu_s'])} / "
                             f"{_fmt(st['peak_rss_mb'])}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines.append("| documents / tasks / targets / citations | " + " | ".join(
        "{documents} / {tasks} / {targets} / {citations}".format(**d["counts"])
        if {"documents", "tasks", "targets", "citations"} <= d.get("counts", {}).keys() else "—"
        for d in results["builds"].values()) + " |")
    lines.append("| lines / triples | " + " | ".join(
        f"{d.get('counts', {}).get('lines', '—')} / {d.get('counts', {}).get('triples', '—')}"
        for d in results["builds"].values()) + " |")
    lines.append("| worker process wall s | " + " | ".join(
        f"{_fmt(d.get('process_wall_s'))} ({d.get('process_status')})"
        for d in results["builds"].values()) + " |")
    lines += ["", "## Goals", "", "| goal | target | measured | met |", "|---|---|---|---|"]
    for g in results["goals"]:
        met = "—" if g["met"] is None else ("yes" if g["met"] else "**no**")
        lines.append(f"| {g['goal']} | {g['target']} | {_fmt(g['measured'])} | {met} |")
    for f, sp in results.get("sparql", {}).items():
        if "queries" not in sp:
            lines += ["", f"SPARQL ×{f}: {sp.get('process_status')}"]
            continue
        lines += [
            "",
            f"## Competency queries ×{f} ({sp['triples']} triples): median of up to "
            f"{sp['runs']} runs, seconds",
            "",
            f"Open on-disk pyoxigraph store {_fmt(sp['oxigraph_open_s'])} s; load graph.nt into "
            f"rdflib {_fmt(sp['rdflib_load_s'])} s. First query (cold, incl. parser warm-up): "
            f"oxigraph {_fmt(sp['oxigraph_first_query_s'])} s, rdflib "
            f"{_fmt(sp['rdflib_first_query_s'])} s. Row counts agree: {sp['rows_agree']}.",
            "",
            "| query | pyoxigraph (disk) | rdflib (memory) | ratio | rows |",
            "|---|---|---|---|---|",
        ]
        for name, q in sp["queries"].items():
            bound = "≥ " if q.get("rdflib_timed_out") else ""
            lines.append(f"| {name} | {q['oxigraph_median_s']:.4f} | {bound}"
                         f"{q['rdflib_median_s']:.4f} | {bound}{q['ratio']:.1f}× | "
                         f"{q['oxigraph_rows']} |")
        lines.append(f"| **all (sum)** | {sp['oxigraph_total_s']:.3f} | {sp['rdflib_total_s']:.3f}"
                     f" | {sp['ratio_total']:.1f}× (geomean {sp['ratio_geomean']:.1f}×) | |")
    lines += ["", "## who / duties latency", "",
              "| where | who p50 / p95 ms | duties p50 / p95 ms | read store s |",
              "|---|---|---|---|"]
    for f, s in results.get("search", {}).items():
        if "who" not in s:
            continue
        lines.append(
            f"| in process ×{f} ({s['tasks']} tasks, {s['who']['n']} who queries, "
            f"{s['duties'].get('n')} agencies) | {_fmt(s['who']['p50_ms'])} / "
            f"{_fmt(s['who']['p95_ms'])} | {_fmt(s['duties'].get('p50_ms'))} / "
            f"{_fmt(s['duties'].get('p95_ms'))} | {_fmt(s['read_store_s'])} |")
    cold = results.get("cli_cold", {})
    if cold:
        lines.append(
            f"| cold CLI process ×1 ({CLI_RUNS} runs each) | "
            f"{_fmt(cold['who'].get('p50_ms'))} / {_fmt(cold['who'].get('p95_ms'))} | "
            f"{_fmt(cold['duties'].get('p50_ms'))} / {_fmt(cold['duties'].get('p95_ms'))} | "
            "(included) |")
    paints = [(size, results[key]) for key, size in (("browser", "×1"), ("browser_x10", "×10"))
              if results.get(key)]
    if paints:
        lines += ["", "## Tree view in headless Chromium", ""]
    for size, paint in paints:
        if "error" in paint:
            lines.append(f"- {size}: not measured: {paint['error']}")
        else:
            lines.append(
                f"- {size}: {paint['nodes']} nodes, {paint['edges']} edges, {paint['bytes']} "
                f"bytes: first "
                f"`afterDrawing` at {_fmt(paint['first_paint_ms'])} ms after navigation start, "
                f"ready (fit and redrawn) at {_fmt(paint['ready_ms'])} ms; browser launch to "
                f"ready {_fmt(paint['wall_s'])} s.")
    titles = {
        "build_x1": "one ×1 `pipeline.build` with validation",
        "cli_who_x1": "a cold `who` on the ×1 store (read_index + segment + who)",
        "extract_x10": "`pipeline.load_corpus` of ×10 (parse + extract)",
    }
    for name, prof in results.get("profile", {}).items():
        if not isinstance(prof, dict) or "by_own_time" not in prof:
            continue
        lines += ["", f"## Hot spots: {titles.get(name, name)}", "",
                  f"cProfile (its overhead inflates times): {_fmt(prof['profiled_wall_s'])} s.",
                  "", "| function (ours, by cumulative time) | calls | own s | cumulative s |",
                  "|---|---|---|---|"]
        for r in prof["project_by_cumulative"][:8]:
            lines.append(f"| `{_where(r['where'])}` | {r['calls']} | {r['own_s']:.3f} | "
                         f"{r['cum_s']:.3f} |")
        lines += ["", "| function (any, by own time) | calls | own s | cumulative s |",
                  "|---|---|---|---|"]
        for r in prof["by_own_time"][:8]:
            lines.append(f"| `{_where(r['where'])}` | {r['calls']} | {r['own_s']:.3f} | "
                         f"{r['cum_s']:.3f} |")
    notes = [n for d in results["builds"].values() for n in d.get("notes", [])]
    notes += results.get("notes", [])
    gc_off = results.get("parse_gc_off_x100", {})
    parse100 = _stage(results, 100, "parse", "cpu_s")
    if gc_off.get("cpu_s") and parse100:
        parse1 = _stage(results, 1, "parse", "cpu_s") or float("nan")
        notes.append(f"×100 parse with the cyclic GC off: {gc_off['cpu_s']:.1f} s CPU instead of "
                     f"{parse100:.1f} s, i.e. {gc_off['cpu_s'] / parse1:.0f}× the ×1 parse "
                     f"instead of {parse100 / parse1:.0f}×: the super-linear part is the "
                     "garbage collector rescanning the growing heap of records.")
    sp1, sp10 = results.get("sparql", {}).get("1", {}), results.get("sparql", {}).get("10", {})
    for name, q in sp10.get("queries", {}).items():
        rows1 = sp1.get("queries", {}).get(name, {}).get("oxigraph_rows")
        if q.get("oxigraph_rows") == 0 and rows1:
            notes.append(f"{name} finds {rows1} rows at ×1 but none at ×10: see README "
                         "(citations of a title shared by several copies all go to one copy).")
        if q.get("rdflib_timed_out"):
            notes.append(f"{name}: rdflib stopped after {sp10['cap_s']:.0f} s at ×10; "
                         "its ratio is a lower bound.")
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    lines += ["", f"Whole run: {_fmt(results.get('total_s'))} s.", ""]
    return "\n".join(lines)


# ------------------------------------------------------------------ entry point


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--factors", default="1,10,100", help="corpus sizes (default 1,10,100)")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium first paint")
    p.add_argument("--full-x100", action="store_true",
                   help="also run sectors, RDF, store and pySHACL at ×100 (~10 GB RSS, long)")
    p.add_argument("--report-only", action="store_true",
                   help="rewrite latest.md (and the goals) from latest.json without measuring")
    p.add_argument("--worker", choices=("build", "sparql", "search", "profile", "parse-gc-off"),
                   help=argparse.SUPPRESS)
    p.add_argument("--factor", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    p.add_argument("--input10", help=argparse.SUPPRESS)
    p.add_argument("--store", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--no-full", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--no-citations", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--no-validate", action="store_true", help=argparse.SUPPRESS)
    return p


def _run_worker(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.worker == "build":
        store = Path(args.store) if args.store else None
        if store is not None and store.exists():
            shutil.rmtree(store)
        measure_build(args.factor, [Path(args.input)], store, out, full=not args.no_full,
                      citations=not args.no_citations, validate=not args.no_validate)
    elif args.worker == "sparql":
        from bench.queries import sparql_comparison

        data = sparql_comparison(Path(args.store))
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    elif args.worker == "search":
        from bench.queries import search_latency

        data = search_latency(Path(args.store))
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    elif args.worker == "profile":
        inputs = {"1": Path(args.input)}
        if args.input10:
            inputs["10"] = Path(args.input10)
        profile_all(inputs, Path(args.store), out)
    elif args.worker == "parse-gc-off":
        parse_without_gc([Path(args.input)], out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks (or, with ``--worker``, one measurement in this process)."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.worker is None else logging.WARNING,
                        format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    if args.worker:
        return _run_worker(args)
    if args.report_only:
        results = json.loads((RESULTS / "latest.json").read_text("utf-8"))
        results["goals"] = goals(results)
    else:
        factors = [int(f) for f in args.factors.split(",")]
        results = orchestrate(factors, args.no_browser,
                              full_max=max(factors) if args.full_x100 else FULL_BUILD_MAX)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", "utf-8")
    (RESULTS / "latest.md").write_text(markdown(results), "utf-8")
    print(markdown(results))
    print(f"wrote {RESULTS / 'latest.json'} and {RESULTS / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
