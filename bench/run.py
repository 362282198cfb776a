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

#: Time limit of a build worker (seconds); a stage still running is recorded as cut short.
WORKER_TIMEOUT: Final = {1: 300, 10: 900, 100: 3600}
#: Above this factor only parse and extract run (every size runs in full by default).
FULL_BUILD_MAX: Final = 100
#: Cold CLI processes per command (p50/p95 over these).
CLI_RUNS: Final = 30


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
    *, full: bool, validate: bool,
) -> dict[str, Any]:
    """Build ``inputs`` stage by stage in this process, recording time and peak RSS."""
    t_start = time.perf_counter()
    import policykg.loaders.citations
    import policykg.loaders.documents
    from policykg.loaders.corpus import load

    rec = _Recorder(out, factor=factor, inputs=[str(p) for p in inputs],
                    load_avg_at_start=os.getloadavg())
    rec.data["import_s"] = time.perf_counter() - t_start
    real_try_read = policykg.loaders.documents.try_read
    real_find_citations = policykg.loaders.citations.find_citations
    parse: dict[str, Any] = {"wall_s": 0.0, "cpu_s": 0.0}
    cites: dict[str, Any] = {}

    def timed_try_read(f: Any) -> Any:
        # loaders.corpus.load reads file by file (try_read) then extracts: parse is the sum
        w0, c0 = time.perf_counter(), time.process_time()
        loaded = real_try_read(f)
        parse["wall_s"] += time.perf_counter() - w0
        parse["cpu_s"] += time.process_time() - c0
        parse.update(peak_rss_mb=_rss_mb(), status="done")
        return loaded

    def timed_find_citations(documents: Sequence[Any]) -> Any:
        w0, c0 = time.perf_counter(), time.process_time()
        found = real_find_citations(documents)
        cites.update(wall_s=time.perf_counter() - w0, cpu_s=time.process_time() - c0)
        return found

    policykg.loaders.documents.try_read = timed_try_read  # type: ignore[assignment]
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
    from policykg.graph.sectors import tag_sectors
    from policykg.graph.store import write_store
    from policykg.graph.tree import build_tree, tree_to_json
    from policykg.graph.triples import corpus_lines, write_sorted

    def sectors_tree() -> Any:
        tags = tuple(tag_sectors(corpus))
        return tags, build_tree(dataclasses.replace(corpus, sectors=tags), tags)

    tags, tree = rec.stage("sectors_tree", sectors_tree)
    corpus = dataclasses.replace(corpus, sectors=tags)
    work = out.parent / f"graph-x{factor}.nt"
    # the build's own path (pipeline.build_store): triples streamed per document into a
    # sorted N-Triples file, validated by shacl-rust, bulk-loaded into Oxigraph
    triples = rec.stage("rdf", lambda: write_sorted(corpus_lines(corpus, tags, tree), work))
    rec.data["counts"]["triples"] = triples
    if validate:
        from policykg.graph.validate import validate as shacl

        report = rec.stage("validate", lambda: shacl(work))
        rec.data["counts"]["shacl_violations"] = len(report.violations)
        rec.data["counts"]["shacl_warnings"] = len(report.warnings)
    if store_dir is not None:
        rec.stage("store", lambda: write_store(
            store_dir, corpus, work, sector_tags=tags, tree_json=tree_to_json(tree),
            inputs=[str(p) for p in inputs],
        ))
        rec.data["store_bytes"] = sum(
            f.stat().st_size for f in store_dir.rglob("*") if f.is_file())
        rec.data["store_oxigraph_bytes"] = sum(
            f.stat().st_size for f in (store_dir / "oxigraph").rglob("*") if f.is_file())
    work.unlink(missing_ok=True)
    rec.data["total_wall_s"] = time.perf_counter() - t_start
    rec.data["total_cpu_s"] = time.process_time()
    rec.data["peak_rss_mb"] = _rss_mb()
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


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _cli_cold(store: Path, args: Sequence[str], runs: int) -> dict[str, Any]:
    """Wall and CPU time of ``policykg ARGS --store STORE`` as fresh processes.

    One untimed run first: it writes what a machine keeps between runs (the word table of
    ``loaders.nlp.segment``, written once per registry and jieba dictionary, and .pyc files).
    CPU is the child's user + system time (``RUSAGE_CHILDREN``), steadier than wall on a
    shared machine.
    """
    from bench.queries import percentile

    exe = Path(PYTHON).with_name("policykg")
    times: list[float] = []
    cpus: list[float] = []
    subprocess.run([str(exe), *args[0].split("\0"), "--store", str(store)], cwd=ROOT,
                   capture_output=True, text=True, timeout=300)
    for i in range(runs):
        cmd = [str(exe), *args[i % len(args)].split("\0"), "--store", str(store)]
        c0, t0 = _child_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - t0)
        cpus.append(_child_cpu() - c0)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip()[-400:], "cmd": cmd}
    floor: list[float] = []
    for _ in range(min(runs, 10)):
        c0 = _child_cpu()
        subprocess.run([PYTHON, "-c", "pass"], check=True)
        floor.append(_child_cpu() - c0)
    return {"n": runs, "p50_ms": 1000 * percentile(times, 50),
            "p95_ms": 1000 * percentile(times, 95), "max_ms": 1000 * max(times),
            "cpu_p50_ms": 1000 * percentile(cpus, 50), "cpu_p95_ms": 1000 * percentile(cpus, 95),
            "interpreter_floor_cpu_p50_ms": 1000 * percentile(floor, 50)}


def _cli_build(inputs: Sequence[Path], store: Path, runs: int = 3) -> dict[str, Any]:
    """``policykg build INPUTS --store STORE`` (validation included) as cold processes."""
    from bench.queries import percentile

    exe = Path(PYTHON).with_name("policykg")
    times: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        if store.exists():
            shutil.rmtree(store)
        cmd = [str(exe), "build", *map(str, inputs), "--store", str(store)]
        c0, t0 = _child_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - t0)
        cpus.append(_child_cpu() - c0)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip()[-400:], "cmd": cmd}
    return {"n": runs, "wall_min_s": min(times), "wall_p50_s": percentile(times, 50),
            "cpu_min_s": min(cpus), "cpu_p50_s": percentile(cpus, 50),
            "load_avg": os.getloadavg()}


def compare_validators(nt: Path, out: Path, engines: Sequence[str]) -> dict[str, Any]:
    """CPU, wall, peak RSS growth and results of each SHACL validator on one N-Triples file."""
    from policykg.ontology import SHAPES_PATH

    data: dict[str, Any] = {"nt": str(nt), "lines": sum(1 for _ in nt.open("rb"))}
    for engine in engines:
        w0, c0, m0 = time.perf_counter(), time.process_time(), _rss_mb()
        if engine in ("shacl-rust", "pyshacl"):
            from policykg.graph.validate import validate

            report = validate(nt, engine=engine)
            results = len(report.violations) + len(report.warnings)
            conforms = report.conforms
        else:  # pyrudof, measured only
            import pyrudof

            rudof = pyrudof.Rudof(pyrudof.RudofConfig())
            rudof.read_data(str(nt), format=pyrudof.RDFFormat.NTriples)
            rudof.read_shacl(str(SHAPES_PATH))
            rep = rudof.validate_shacl()
            results, conforms = len(rep), bool(rep.conforms)
        data[engine] = {"cpu_s": time.process_time() - c0, "wall_s": time.perf_counter() - w0,
                        "rss_growth_mb": _rss_mb() - m0, "results": results,
                        "conforms": conforms}
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    return data


def _render_tree(store: Path, out: Path) -> Path:
    from policykg import pipeline

    return pipeline.write_views(store, "tree", None, out)[0]


def real_corpus(source: Path, copies: int, out: Path = OUT) -> Path:
    """The real corpus ×``copies``: ``copy-k/`` folders of links named ``k-<name>``.

    A single document's id is its file name's slug, so each copy's documents (and their
    sections, tasks, targets) have ids of their own; copy 0 is the corpus as it is.
    """
    if copies == 1:
        return source
    folder = out / f"real-x{copies}"
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
    for k in range(copies):
        sub = folder / f"copy-{k:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        for f in files:
            link = sub / (f.name if k == 0 else f"{k}-{f.name}")
            if not link.exists():
                link.symlink_to(f.resolve())
    return folder


def orchestrate(factors: Sequence[int], skip_browser: bool, full_max: int = FULL_BUILD_MAX,
                real: Path | None = None, real_factors: Sequence[int] = (1, 10)
                ) -> dict[str, Any]:
    """Run every measurement; return the results (also written to ``bench/results``)."""
    from bench.synth import make_corpus
    from policykg.pipeline import bundled_input

    t_all = time.perf_counter()
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine_info(), "builds": {}, "notes": []}
    inputs: dict[str, Path] = {}
    for f in factors:
        if f == 1:
            inputs["1"] = bundled_input()
        else:
            t0 = time.perf_counter()
            synth = make_corpus(f)
            inputs[str(f)] = synth.folder
            results.setdefault("synth_s", {})[str(f)] = time.perf_counter() - t0
    if real is not None:
        for f in real_factors:
            inputs[f"real{f}"] = real_corpus(real, f)
    # builds: every size in full, validated by the build's own validator (shacl-rust)
    for label, path in inputs.items():
        f = int(label.removeprefix("real"))
        full = f <= full_max
        store = OUT / f"store-{label}"
        args = ["build", "--factor", str(f), "--label", label, "--input", str(path),
                "--store", str(store)]
        if not full:
            args += ["--no-full", "--no-validate"]
        timeout = 7200 if label.startswith("real") else WORKER_TIMEOUT.get(f, 3600)
        data = _worker(args, work / f"build-{label}.json", timeout)
        results["builds"][label] = data
        logger.info("%s: %s", label, {k: round(v.get("cpu_s", -1), 2)
                                      for k, v in data.get("stages", {}).items()})
    # validators on the same graphs: the build's (shacl-rust), the reference, pyrudof
    results["validators"] = {}
    for label, engines in (("1", ("shacl-rust", "pyrudof", "pyshacl")),
                           ("10", ("shacl-rust", "pyrudof", "pyshacl")),
                           ("100", ("shacl-rust",))):
        nt = OUT / f"store-{label}" / "graph.nt"
        if nt.is_file():
            results["validators"][label] = _worker(
                ["validators", "--input", str(nt), "--engines", ",".join(engines)],
                work / f"validators-{label}.json", 1800)
    # queries, search latency
    results["sparql"] = {}
    results["search"] = {}
    for label in ("1", "10"):
        store = OUT / f"store-{label}"
        if not (store / "manifest.json").is_file():
            continue
        results["sparql"][label] = _worker(
            ["sparql", "--store", str(store)], work / f"sparql-{label}.json", 1800)
        results["search"][label] = _worker(
            ["search", "--store", str(store)], work / f"search-{label}.json", 300)
    store1 = OUT / "store-1"
    if (store1 / "manifest.json").is_file():
        from bench.queries import who_queries

        sample = who_queries([])[:CLI_RUNS]
        results["cli_cold"] = {
            "who": _cli_cold(store1, [f"who\0{q}" for q in sample], CLI_RUNS),
            "duties": _cli_cold(store1, ["duties\0国家发展改革委", "duties\0工业和信息化部",
                                         "duties\0生态环境部"], CLI_RUNS),
        }
        results["cli_build"] = _cli_build([bundled_input()], OUT / "store-cli-build")
    if not skip_browser and Path("/usr/bin/chromium").exists():
        from bench.browser import first_paint

        for label in ("1", "10"):
            store = OUT / f"store-{label}"
            if not (store / "manifest.json").is_file():
                continue
            key = "browser" if label == "1" else f"browser_x{label}"
            try:
                page = _render_tree(store, OUT / "views" / f"tree-x{label}.html")
                results[key] = first_paint(page)
            except (OSError, RuntimeError, ConnectionError, ValueError) as e:
                results[key] = {"error": str(e)}
    profile_args = ["profile", "--input", str(bundled_input()), "--store", str(store1)]
    if "10" in inputs:
        profile_args += ["--input10", str(inputs["10"])]
    results["profile"] = _worker(profile_args, work / "profile.json", 600)
    results["total_s"] = time.perf_counter() - t_all
    results["goals"] = goals(results)
    return results


# ------------------------------------------------------------------ goals and report


def _stage(results: dict[str, Any], f: int, name: str, key: str = "wall_s") -> float | None:
    value = results["builds"].get(str(f), {}).get("stages", {}).get(name, {}).get(key)
    return float(value) if isinstance(value, int | float) else None


BUILD_STAGES: Final = ("parse", "extract", "sectors_tree", "rdf", "validate", "store")


def _total_cpu(results: dict[str, Any], label: str) -> float | None:
    stages = results["builds"].get(label, {}).get("stages", {})
    cpus = [stages.get(s, {}).get("cpu_s") for s in BUILD_STAGES]
    if not stages or any(c is None for c in cpus):
        return None
    return float(sum(c for c in cpus if c is not None))


def _peak_mb(results: dict[str, Any], label: str) -> float | None:
    build = results["builds"].get(label, {})
    value = build.get("process_peak_rss_mb") or build.get("peak_rss_mb")
    return float(value) if isinstance(value, int | float) else None


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of issue 13 with the measured figure and whether it is met."""
    out: list[dict[str, Any]] = []

    def goal(name: str, target: str, value: Any, met: bool | None) -> None:
        out.append({"goal": name, "target": target, "measured": value, "met": met})

    cli = results.get("cli_build", {})
    if "cpu_min_s" in cli:
        goal("build ×1 as a cold `policykg build` process, validation included (CPU s)",
             "≤ 2 s", cli["cpu_min_s"], cli["cpu_min_s"] <= 2.0)
        goal("build ×1 as a cold process (wall s, best of 3; machine load "
             f"{cli['load_avg'][0]:.1f})", "≤ 2.5 s", cli["wall_min_s"], cli["wall_min_s"] <= 2.5)
    for stage in BUILD_STAGES:
        a = _stage(results, 1, stage, "cpu_s")
        for f, limit in ((10, 12), (100, 120)):
            b = _stage(results, f, stage, "cpu_s")
            if a and b:
                goal(f"linear: {stage} CPU ×{f}/×1", f"≤ {limit}", b / a, b / a <= limit)
    t1, t10 = _total_cpu(results, "1"), _total_cpu(results, "10")
    t100 = _total_cpu(results, "100")
    if t1 and t10:
        goal("linear: whole build CPU ×10/×1", "≤ 12", t10 / t1, t10 / t1 <= 12)
    if t1 and t100:
        goal("linear: whole build CPU ×100/×1", "≤ 120", t100 / t1, t100 / t1 <= 120)
    for label in ("100", "real10"):
        peak = _peak_mb(results, label)
        if peak is not None:
            goal(f"peak RSS of the ×{label.removeprefix('real')}"
                 f"{' real' if label.startswith('real') else ' synthetic'} build (MB)",
                 "≤ 4096", peak, peak <= 4096)
    for label in ("10", "100"):
        counts = results["builds"].get(label, {}).get("counts", {})
        if "shacl_violations" in counts:
            goal(f"×{label} synthetic passes SHACL (violations)", "0",
                 counts["shacl_violations"], counts["shacl_violations"] == 0)
    r1, r10 = _total_cpu(results, "real1"), _total_cpu(results, "real10")
    if r1 and r10:
        goal("linear: real corpus whole build CPU ×10/×1", "≤ 12", r10 / r1, r10 / r1 <= 12)
    sp10 = results.get("sparql", {}).get("10", {})
    if "ratio_total" in sp10:
        goal("competency queries ×10, slowest ratio of one query (rdflib/oxigraph)", "≥ 20×",
             sp10["ratio_min"], sp10["ratio_min"] >= 20)
        if "ratio_cpu_min" in sp10:
            goal("competency queries ×10, slowest CPU ratio of one query", "≥ 20×",
                 sp10["ratio_cpu_min"], sp10["ratio_cpu_min"] >= 20)
        goal("competency queries ×10: rows identical on both engines", "yes",
             sp10.get("rows_identical"), sp10.get("rows_identical"))
    for cmd in ("who", "duties"):
        cold = results.get("cli_cold", {}).get(cmd, {})
        if "cpu_p95_ms" in cold:
            goal(f"{cmd} p95 as a cold CLI process ×1 (CPU ms, {cold['n']} runs)",
                 "≤ 60 ms" if cmd == "who" else "—", cold["cpu_p95_ms"],
                 cold["cpu_p95_ms"] <= 60 if cmd == "who" else None)
    return out


def _label(label: str) -> str:
    return f"real ×{label.removeprefix('real')}" if label.startswith("real") else f"×{label}"


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
        "| stage | " + " | ".join(_label(f) for f in results["builds"]) + " |",
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
    def per_triple(d: dict[str, Any]) -> str:
        stages = d.get("stages", {})
        cpu = sum(v.get("cpu_s", 0.0) for v in stages.values() if isinstance(v, dict))
        n = d.get("counts", {}).get("triples")
        return f"{1e6 * cpu / n:.0f}" if n else "—"

    lines.append("| build CPU per triple (µs, all stages) | " + " | ".join(
        per_triple(d) for d in results["builds"].values()) + " |")
    lines.append("| store size MB (of it Oxigraph) | " + " | ".join(
        f"{d['store_bytes'] / 2**20:.0f} ({d.get('store_oxigraph_bytes', 0) / 2**20:.0f})"
        if d.get("store_bytes") else "—" for d in results["builds"].values()) + " |")
    lines.append("| peak RSS of the build process MB | " + " | ".join(
        _fmt(d.get("peak_rss_mb")) for d in results["builds"].values()) + " |")
    lines.append("| SHACL violations / warnings (shacl-rust) | " + " | ".join(
        f"{d.get('counts', {}).get('shacl_violations', '—')} / "
        f"{d.get('counts', {}).get('shacl_warnings', '—')}"
        for d in results["builds"].values()) + " |")
    lines.append("| worker process wall s | " + " | ".join(
        f"{_fmt(d.get('process_wall_s'))} ({d.get('process_status')})"
        for d in results["builds"].values()) + " |")
    validators = results.get("validators", {})
    if validators:
        lines += ["", "## SHACL validators on the build's graph.nt (same shapes)", "",
                  "| size | engine | CPU s | wall s | RSS growth MB | results | conforms |",
                  "|---|---|---|---|---|---|---|"]
        for label, v in validators.items():
            for engine in ("shacl-rust", "pyrudof", "pyshacl"):
                e = v.get(engine)
                if isinstance(e, dict):
                    lines.append(f"| ×{label} | {engine} | {_fmt(e['cpu_s'])} | "
                                 f"{_fmt(e['wall_s'])} | {_fmt(e['rss_growth_mb'])} | "
                                 f"{e['results']} | {e['conforms']} |")
    cli = results.get("cli_build", {})
    if "cpu_min_s" in cli:
        lines += ["", f"Cold `policykg build` of the compilation (validation included), "
                  f"{cli['n']} runs: CPU best {_fmt(cli['cpu_min_s'])} s, median "
                  f"{_fmt(cli['cpu_p50_s'])} s; wall best {_fmt(cli['wall_min_s'])} s, median "
                  f"{_fmt(cli['wall_p50_s'])} s (load average "
                  f"{', '.join(f'{x:.1f}' for x in cli['load_avg'])})."]
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
            "| query | pyoxigraph (disk) | rdflib (memory) | ratio | CPU ratio | rows |",
            "|---|---|---|---|---|---|",
        ]
        for name, q in sp["queries"].items():
            bound = "≥ " if q.get("rdflib_timed_out") else ""
            cpu = q.get("ratio_cpu")
            lines.append(f"| {name} | {q['oxigraph_median_s']:.4f} | {bound}"
                         f"{q['rdflib_median_s']:.4f} | {bound}{q['ratio']:.1f}× | "
                         f"{'' if cpu is None else f'{bound}{cpu:.1f}×'} | "
                         f"{q['oxigraph_rows']} |")
        lines.append(f"| **all (sum)** | {sp['oxigraph_total_s']:.3f} | {sp['rdflib_total_s']:.3f}"
                     f" | {sp['ratio_total']:.1f}× (geomean {sp['ratio_geomean']:.1f}×) | | |")
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
            f"| cold CLI process ×1, wall ({cold['who'].get('n')} runs each) | "
            f"{_fmt(cold['who'].get('p50_ms'))} / {_fmt(cold['who'].get('p95_ms'))} | "
            f"{_fmt(cold['duties'].get('p50_ms'))} / {_fmt(cold['duties'].get('p95_ms'))} | "
            "(included) |")
        lines.append(
            f"| cold CLI process ×1, CPU (interpreter alone: "
            f"{_fmt(cold['who'].get('interpreter_floor_cpu_p50_ms'))} ms) | "
            f"{_fmt(cold['who'].get('cpu_p50_ms'))} / {_fmt(cold['who'].get('cpu_p95_ms'))} | "
            f"{_fmt(cold['duties'].get('cpu_p50_ms'))} / "
            f"{_fmt(cold['duties'].get('cpu_p95_ms'))} | (included) |")
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
    p.add_argument("--factors", default="1,10,100", help="synthetic sizes (default 1,10,100)")
    p.add_argument("--real", metavar="DIR",
                   help="also build a real corpus folder at ×1 and ×10 (replicated copies), "
                        "e.g. ../shared/corpus/dual-carbon")
    p.add_argument("--real-factors", default="1,10", help="sizes of the real corpus")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium first paint")
    p.add_argument("--report-only", action="store_true",
                   help="rewrite latest.md (and the goals) from latest.json without measuring")
    p.add_argument("--worker", choices=("build", "sparql", "search", "profile", "validators"),
                   help=argparse.SUPPRESS)
    p.add_argument("--factor", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--label", help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    p.add_argument("--input10", help=argparse.SUPPRESS)
    p.add_argument("--engines", default="shacl-rust", help=argparse.SUPPRESS)
    p.add_argument("--store", help=argparse.SUPPRESS)
    p.add_argument("--queries", default=str(ROOT / "queries"), help=argparse.SUPPRESS)
    p.add_argument("--cap", type=float, default=60.0, help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--no-full", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--no-validate", action="store_true", help=argparse.SUPPRESS)
    return p


def _run_worker(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.worker == "build":
        store = Path(args.store) if args.store else None
        if store is not None and store.exists():
            shutil.rmtree(store)
        measure_build(args.factor, [Path(args.input)], store, out, full=not args.no_full,
                      validate=not args.no_validate)
    elif args.worker == "sparql":
        from bench.queries import sparql_comparison

        data = sparql_comparison(Path(args.store), folder=Path(args.queries), cap=args.cap)
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
    elif args.worker == "validators":
        compare_validators(Path(args.input), out, args.engines.split(","))
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
                              real=Path(args.real) if args.real else None,
                              real_factors=[int(f) for f in args.real_factors.split(",")])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", "utf-8")
    (RESULTS / "latest.md").write_text(markdown(results), "utf-8")
    print(markdown(results))
    print(f"wrote {RESULTS / 'latest.json'} and {RESULTS / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
