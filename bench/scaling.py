"""How each corpus-level build step grows with the corpus: the real corpus ×k, k = 1, 2, 4, 8.

``python -m bench.scaling [--store S] [--factors 1,2,4,8] [--repeat N] [--out FILE]``

The per-file records are taken from a store's cache (``S``: a store built from the real
corpus, e.g. ``policykg build ../shared/corpus/dual-carbon --store S``), so nothing is parsed
or extracted: copy ``c`` of each file's records is renamed as ``bench.run.real_corpus``'s
copy would be read (file ``c-<name>`` in ``copy-0c/``, document ids from that name), and
the steps after extraction run on the ``k`` copies in a fresh process per ``k``, each timed
with ``time.process_time``: ``assemble`` (its parts apart: renaming and the L005 check,
citations, inferred metadata, the agencies named), sectors, the tree, the triples (made,
then sorted into ``graph.nt``), validation, the records and the Oxigraph load. A step whose
CPU grows faster than ``k`` is a term growing faster than the corpus.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

__all__ = ["copies", "copy_text", "main", "measure"]

PYTHON: Final = sys.executable
#: The steps in the order they run (the parts of assemble first, then assemble whole).
STEPS: Final = ("assemble: rename + L005", "assemble: citations", "assemble: inferred",
                "assemble: agencies", "assemble (whole)", "sectors", "tree",
                "triples (made)", "triples → sorted graph.nt", "validate", "records",
                "oxigraph")


def copy_text(text: str, name: str, copy: int, copies_: int) -> str:
    """A file's cache entry as copy ``copy`` of ``copies_`` would be read
    (``bench.run.real_corpus``): the file ``copy-0c/c-<name>`` (copy 0 keeps its name)."""
    from policykg.loaders.documents import file_doc_id

    if copies_ == 1:
        return text
    new = name if copy == 0 else f"{copy}-{name}"
    source = f"copy-{copy:02d}/{new}"

    def q(s: str) -> str:
        return json.dumps(s, ensure_ascii=False)

    text = text.replace('"source_file":' + q(name), '"source_file":' + q(source))
    text = text.replace(q(name), q(new))
    old_id, new_id = file_doc_id(name), file_doc_id(new)
    if old_id != new_id:
        if "--" not in old_id:  # a plain slug could occur elsewhere in the text
            raise ValueError(f"{name}: its id {old_id!r} is not safe to replace")
        text = text.replace(old_id, new_id)
    return text


def copies(store: Path, k: int) -> list[Any]:
    """The per-file records of ``k`` copies of the store's files, copy by copy."""
    from policykg.graph.store import cache_get, cache_path, read_manifest
    from policykg.pipeline import _cached_part

    entries = [f for f in read_manifest(store)["files"] if not f.get("status")]
    texts = {}
    for f in entries:
        text = cache_get(store, f["key"])
        if text is None:
            raise SystemExit(f"{store}: no cache entry for {f['name']}")
        texts[f["name"]] = text.decode("utf-8")
    return [_cached_part(copy_text(texts[f["name"]], f["name"], c, k).encode("utf-8"),
                         str(cache_path(store, f["key"])))
            for c in range(k) for f in entries]


def measure(store: Path, k: int, work: Path) -> dict[str, Any]:
    """CPU seconds of each step on ``k`` copies of ``store``'s files (in this process)."""
    import policykg.loaders.agencies  # noqa: F401  (imports out of the timings)
    import policykg.loaders.citations as citations
    import policykg.loaders.corpus as corpus_mod
    import policykg.loaders.documents as documents
    import policykg.loaders.inference as inference
    from policykg.graph.sectors import tag_sectors
    from policykg.graph.store import load_oxigraph
    from policykg.graph.tree import build_tree
    from policykg.graph.triples import corpus_lines, write_sorted
    from policykg.graph.validate import validate
    from policykg.pipeline import jurisdiction_parents, tree_corpus
    from policykg.recordio import write_records

    corpus_mod.registry()
    parts = copies(store, k)
    cpu: dict[str, float] = dict.fromkeys(STEPS, 0.0)

    def timed(step: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            c0 = time.process_time()
            try:
                out = fn(*args, **kwargs)
                # a generator (find_repeats) runs when read
                return list(out) if inspect.isgeneratorfunction(fn) else out
            finally:
                cpu[step] += time.process_time() - c0
        return run

    repeats: list[tuple[Any, str, str]] = [
        (documents.RepeatIndex, "repeats", "assemble: rename + L005"),
        (documents.RepeatIndex, "add", "assemble: rename + L005"),
    ] if hasattr(documents, "RepeatIndex") else [  # before 2026-12-07
        (documents, "find_repeats", "assemble: rename + L005")]
    patches = [(corpus_mod, "_renamed_parts", "assemble: rename + L005"), *repeats,
               (citations, "find_citations", "assemble: citations"),
               (inference, "infer_metadata", "assemble: inferred"),
               (corpus_mod, "_named_agencies", "assemble: agencies")]
    saved = [(m, n, getattr(m, n)) for m, n, _ in patches]
    for module, name, step in patches:
        setattr(module, name, timed(step, getattr(module, name)))
    try:
        c0 = time.process_time()
        corpus = corpus_mod.assemble(parts)
        cpu["assemble (whole)"] = time.process_time() - c0
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)
    del parts

    c0 = time.process_time()
    tags = tuple(tag_sectors(corpus))
    corpus = dataclasses.replace(corpus, sectors=tags)
    c1 = time.process_time()
    placed = tree_corpus(corpus)
    tree = build_tree(placed, tags, jurisdiction_parents=jurisdiction_parents(placed))
    c2 = time.process_time()
    made = sum(1 for _ in corpus_lines(corpus, tags, tree))
    c3 = time.process_time()
    nt = work / "graph.nt"
    triples = write_sorted(corpus_lines(corpus, tags, tree), nt)
    c4 = time.process_time()
    report = validate(nt)
    c5 = time.process_time()
    write_records(work / "records", corpus, tags)
    c6 = time.process_time()
    load_oxigraph(nt, work / "oxigraph")
    c7 = time.process_time()
    cpu.update({"sectors": c1 - c0, "tree": c2 - c1, "triples (made)": c3 - c2,
                "triples → sorted graph.nt": c4 - c3, "validate": c5 - c4,
                "records": c6 - c5, "oxigraph": c7 - c6})
    return {"k": k, "cpu_s": cpu, "documents": len(corpus.documents),
            "citations": len(corpus.citations), "problems": len(corpus.problems),
            "lines made": made, "triples": triples, "violations": len(report.violations),
            "load_average": os.getloadavg()}


def _table(results: Sequence[dict[str, Any]]) -> str:
    base = results[0]
    head = ["step"] + [f"×{r['k']} CPU s" for r in results] + [
        f"×{r['k']} / ×{base['k']}" for r in results[1:]]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for step in STEPS:
        cells = [step] + [f"{r['cpu_s'][step]:.2f}" for r in results]
        b = base["cpu_s"][step]
        cells += [f"{r['cpu_s'][step] / b:.1f}" if b >= 0.01 else "" for r in results[1:]]
        rows.append("| " + " | ".join(cells) + " |")
    for count in ("documents", "citations", "triples"):
        rows.append("| " + " | ".join([count] + [str(r[count]) for r in results]
                                      + [""] * (len(results) - 1)) + " |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=Path("/tmp/dev"),
                        help="a store of the real corpus, with its per-file cache")
    parser.add_argument("--factors", default="1,2,4,8")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per size; each step's least CPU is reported")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here too")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        work = Path(tempfile.mkdtemp(prefix="scaling-"))
        try:
            print(json.dumps(measure(args.store, args.worker, work), ensure_ascii=False))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    results = []
    for k in (int(f) for f in args.factors.split(",")):
        runs = []
        for _ in range(args.repeat):
            # a fresh process per run: the heap of one size does not weigh on the next
            done = subprocess.run([PYTHON, "-m", "bench.scaling", "--store", str(args.store),
                                   "--worker", str(k)], capture_output=True, text=True,
                                  check=False)
            if done.returncode:
                sys.stderr.write(done.stderr)
                return done.returncode
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"×{k}: " + ", ".join(f"{s} {v:.2f}" for s, v in runs[-1]["cpu_s"].items()),
                  file=sys.stderr, flush=True)
        # the least CPU of each step over the runs: the load of a shared machine only adds
        results.append({**runs[-1], "runs": runs, "cpu_s": {
            step: min(r["cpu_s"][step] for r in runs) for step in STEPS}})
    print(_table(results))
    if args.out is not None:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
