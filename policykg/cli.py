"""The ``policykg`` command line: argparse, output formats and exit codes.

Exit codes follow pySHACL: 0 success, 1 the graph does not conform or ``--strict`` found
problems, 2 a user error (one line on stderr). Nothing imports this module.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from policykg import __version__, pipeline
from policykg.errors import PolicyKGError
from policykg.records import Corpus, Document

__all__ = ["main"]

logger = logging.getLogger("policykg")

EXTRACT_KINDS = ("documents", "sections", "tasks", "agencies", "targets", "citations", "problems")
EXPORT_FORMATS = ("turtle", "nt", "jsonld", "graphml", "csv")
VIZ_KINDS = ("tree", "responsibility", "coresponsibility", "citations", "agency", "all")


def _jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return out + "…" + " " * (width - used - 1)


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO,
           widths: Sequence[int] | None = None) -> None:
    """Print an aligned table, CJK characters counted double width."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    if widths is None:
        widths = [
            min(60, max([_width(h)] + [_width(r[i]) for r in cells])) for i, h in enumerate(headers)
        ]
    out.write("  ".join(_cut(h, w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    for row in cells:
        out.write("  ".join(_cut(v, w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def _store_dir(args: argparse.Namespace) -> Path:
    return Path(args.store) if args.store else pipeline.default_store()


def _ready_store(args: argparse.Namespace) -> Path:
    store = _store_dir(args)
    if pipeline.ensure_store(store):
        print(f"policykg: no store found; built the bundled compilation into {store}",
              file=sys.stderr)
    return store


def _summary(result: pipeline.BuildResult, store: Path | None, out: TextIO) -> None:
    corpus = result.corpus
    per_part = Counter(d.part for d in corpus.documents)
    per_kind = Counter(str(d.kind) for d in corpus.documents)
    out.write(f"documents: {len(corpus.documents)}\n")
    parts = sorted(per_part.items(), key=lambda x: x[0] or 0)
    out.write("  by part: " + ", ".join(f"{p or 'single'}: {n}" for p, n in parts) + "\n")
    out.write("  by kind: " + ", ".join(f"{k}: {n}" for k, n in sorted(per_kind.items())) + "\n")
    _files_summary(corpus, out)
    out.write(
        f"sections: {sum(len(d.sections) for d in corpus.documents)}, tasks: {len(corpus.tasks)}, "
        f"agencies: {len(corpus.agencies)}, targets: {len(corpus.targets)}, "
        f"citations: {len(corpus.citations)}, sector tags: {len(corpus.sectors)}\n"
    )
    out.write(f"triples: {len(result.graph)}\n")
    codes = Counter(p.code for p in corpus.problems)
    by_code = ", ".join(f"{c}: {n}" for c, n in sorted(codes.items()))
    out.write(f"problems: {len(corpus.problems)}" + (f" ({by_code})" if by_code else "") + "\n")
    if result.validation is not None:
        out.write(f"SHACL: {'conforms' if result.validation.conforms else 'DOES NOT CONFORM'}\n")
    out.write("time: " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()) + "\n")
    if store is not None:
        out.write(f"store: {store}\n")


def _files_summary(corpus: Corpus, out: TextIO) -> None:
    """Account for every input file, and for every line (and page) of the files read."""
    read = [s for s in corpus.summary if s.status == "read"]
    skipped = [s for s in corpus.summary if s.status == "skipped"]
    ignored = [s for s in corpus.summary if s.status == "ignored"]
    pdfs = [s for s in read if s.pages is not None]
    if len(corpus.summary) > 1 or skipped or ignored:
        reasons = Counter(s.reason for s in skipped)
        why = ", ".join(f"{r}: {n}" for r, n in sorted(reasons.items()))
        out.write(
            f"files: {len(corpus.summary)} = {len(read)} read"
            f" ({len(pdfs)} PDF, {len(read) - len(pdfs)} text)"
            f" + {len(skipped)} skipped" + (f" ({why})" if why else "")
            + f" + {len(ignored)} ignored\n"
        )
    for s in read:
        if s.pages is None:
            out.write(
                f"lines of {Path(s.file).name}: {s.total_lines} = {s.document_lines} in "
                f"documents + {s.structure_lines} headings + {s.blank_lines} blank"
                f" + {s.artifact_lines} page artifacts + {s.unexplained_lines} not understood\n"
            )
    if pdfs:
        total = {f: sum(getattr(s, f) for s in pdfs) for f in (
            "total_lines", "document_lines", "structure_lines", "blank_lines",
            "artifact_lines", "unexplained_lines", "pages")}
        name = Path(pdfs[0].file).name if len(pdfs) == 1 else f"{len(pdfs)} PDFs"
        out.write(
            f"lines of {name} ({total['pages']} pages): {total['total_lines']} = "
            f"{total['document_lines']} in documents + {total['structure_lines']} headings"
            f" + {total['blank_lines']} blank + {total['artifact_lines']} page artifacts"
            f" + {total['unexplained_lines']} not understood\n"
        )
        kinds: Counter[str] = Counter()
        for s in pdfs:
            kinds.update(dict(s.furniture))
        out.write("  page artifacts: " + (", ".join(
            f"{k}: {n}" for k, n in sorted(kinds.items())) or "none") + "\n")


def _progress() -> pipeline.Progress | None:
    """A files-done meter on stderr when it is a terminal; None (quiet) otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, current: str) -> None:
        if done >= total:
            sys.stderr.write("\r\x1b[K")
        else:
            sys.stderr.write(f"\r\x1b[K[{done}/{total}] {_cut(current, 60).rstrip()}")
        sys.stderr.flush()

    return show


def _skipped_any(corpus: Corpus) -> bool:
    return any(s.status == "skipped" for s in corpus.summary)


def _report_files(corpus: Corpus) -> None:
    """One stderr line per input file that was skipped or ignored, naming it and why."""
    for s in corpus.summary:
        if s.status != "read":
            print(f"policykg: {s.status} {s.source_file or s.file}: {s.detail or s.reason}",
                  file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    """Build the inputs (default: the bundled compilation) into the store."""
    inputs = [Path(p) for p in args.inputs] or [pipeline.bundled_input()]
    store = _store_dir(args)
    result = pipeline.build_store(inputs, store, validate=not args.no_validate,
                                  progress=_progress())
    pipeline.prepare_search()  # once per machine, so that even the first 'who' is fast
    _report_files(result.corpus)
    _summary(result, store, sys.stdout)
    for problem in result.corpus.problems[: args.show_problems]:
        print(str(problem), file=sys.stderr)
    if result.validation is not None and not result.validation.conforms:
        print(result.validation.text, file=sys.stderr)
        return 1
    if args.strict and (result.corpus.problems or _skipped_any(result.corpus)):
        return 1
    return 0


def _extract_rows(corpus: Corpus, kind: str) -> list[dict[str, Any]]:
    if kind == "documents":
        return [d.to_json() for d in corpus.documents]
    if kind == "sections":
        return [
            {"doc_id": s.doc_id, "id": s.id, "marker": s.marker, "level": s.level,
             "heading": s.heading, "path": list(s.path), "start_line": s.start_line,
             "end_line": s.end_line}
            for d in corpus.documents for s in d.sections
        ]
    if kind == "tasks":
        return [t.to_json() for t in corpus.tasks]
    if kind == "agencies":
        return [a.to_json() for a in corpus.agencies]
    if kind == "targets":
        return [t.to_json() for t in corpus.targets]
    if kind == "citations":
        return [c.to_json() for c in corpus.citations]
    return [p.to_json() for p in corpus.problems]


_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "kind", "date", "doc_number", "title", "start_line", "end_line"),
    "sections": ("doc_id", "marker", "heading", "start_line"),
    "tasks": ("id", "lead", "participants", "text", "start_line"),
    "agencies": ("id", "name", "level", "jurisdiction", "parent"),
    "targets": ("doc_id", "indicator", "value", "unit", "direction", "year", "line"),
    "citations": ("doc_id", "line", "cited_title", "cited_doc_id", "relation"),
    "problems": ("code", "file", "start_line", "message"),
}


def cmd_extract(args: argparse.Namespace) -> int:
    """Parse FILE_OR_DIR and print one kind of record."""
    corpus = pipeline.load_corpus([Path(args.input)], _progress())
    _report_files(corpus)
    rows = _extract_rows(corpus, args.kind)
    if args.format == "jsonl":
        _jsonl(rows, sys.stdout)
    else:
        cols = _TABLE_COLUMNS[args.kind]
        _table(cols, ([_fmt(r.get(c)) for c in cols] for r in rows), sys.stdout)
    return 0


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def _doc_source(doc: Document) -> str:
    return f"{Path(doc.file).name}:{doc.start_line}-{doc.end_line}"


def cmd_docs(args: argparse.Namespace) -> int:
    """List the built documents."""
    corpus = pipeline.read_index(_ready_store(args))
    if args.format == "jsonl":
        _jsonl((d.to_json() for d in corpus.documents), sys.stdout)
        return 0
    _table(("id", "kind", "date", "文号", "title", "lines"),
           ([d.id, d.kind, d.date, d.doc_number, d.title, f"{d.start_line}-{d.end_line}"]
            for d in corpus.documents), sys.stdout, widths=(14, 15, 10, 18, 56, 11))
    return 0


def _find_doc(corpus: Corpus, doc_id: str) -> Document:
    from policykg.errors import InputError

    for doc in corpus.documents:
        if doc.id == doc_id:
            return doc
    raise InputError(f"no document with id {doc_id!r} (see 'policykg docs')")


def cmd_show(args: argparse.Namespace) -> int:
    """Print one document's metadata and its section outline with line numbers."""
    corpus = pipeline.read_index(_ready_store(args), sections=True, targets=True)
    doc = _find_doc(corpus, args.doc_id)
    if args.format == "json":
        data = doc.to_json()
        data["sections"] = [
            {"marker": s.marker, "level": s.level, "heading": s.heading,
             "start_line": s.start_line, "end_line": s.end_line} for s in doc.sections
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for key, value in doc.to_json().items():
        print(f"{key:>12}: {_fmt(value)}")
    tasks = [t for t in corpus.tasks if t.doc_id == doc.id]
    targets = [t for t in corpus.targets if t.doc_id == doc.id]
    print(f"{'source':>12}: {_doc_source(doc)}")
    print(f"{'counts':>12}: {len(doc.sections)} sections, {len(tasks)} tasks, "
          f"{len(targets)} targets")
    print("outline:")
    for s in doc.sections:
        print(f"  {s.start_line:>6}  {'  ' * (s.level - 1)}{s.marker}{s.heading}")
    return 0


def cmd_who(args: argparse.Namespace) -> int:
    """Rank the tasks matching TEXT and show who is responsible for each."""
    from policykg.graph.search import who
    from policykg.loaders.nlp import segment

    corpus = pipeline.read_index(_ready_store(args))
    text = " ".join(args.text)
    hits = who(segment(text), corpus.tasks, corpus.documents, limit=args.limit)
    docs = {d.id: d for d in corpus.documents}
    if args.format == "jsonl":
        _jsonl(({"score": round(h.score, 4), **h.task.to_json(),
                 "title": docs[h.task.doc_id].title} for h in hits), sys.stdout)
        return 0
    if not hits:
        print(f"no task matches {text!r}")
        return 0
    for rank, hit in enumerate(hits, 1):
        t, d = hit.task, docs[hit.task.doc_id]
        print(f"{rank}. {_cut(t.text, 100).rstrip()}")
        print(f"   lead: {_fmt(list(t.lead)) or '—'}")
        print(f"   participants: {_fmt(list(t.participants)) or '—'}"
              + (f"  (+{_fmt(list(t.collective))})" if t.collective else ""))
        print(f"   document: {d.title} [{d.id}]")
        print(f"   section: {' > '.join(t.section) or '—'}")
        print(f"   source: {Path(d.file).name}:{t.start_line}-{t.end_line}  {t.raw}")
    return 0


def cmd_duties(args: argparse.Namespace) -> int:
    """List every task an agency (any alias) leads or joins, grouped by document."""
    from policykg.graph.search import duties, resolve_agency

    corpus = pipeline.read_index(_ready_store(args))
    agency = resolve_agency(args.agency, corpus.agencies)
    result = duties(agency, corpus.tasks, corpus.documents, lead_only=args.lead_only)
    if args.format == "jsonl":
        _jsonl(({"agency": agency.name, "role": g.role, "doc_id": g.document.id,
                 **g.task.to_json()} for g in result.rows), sys.stdout)
        return 0
    print(f"{agency.name}: {result.total} tasks ({result.lead} as lead) "
          f"in {len(result.groups)} documents")
    for group in result.groups:
        d = group.document
        print(f"\n{d.title} [{d.id}] — {len(group.rows)} tasks")
        for row in group.rows:
            role = "牵头" if row.role == "lead" else "参与"
            print(f"  [{role}] {Path(d.file).name}:{row.task.start_line}-{row.task.end_line}  "
                  f"{_cut(row.task.text, 70).rstrip()}")
    return 0


def cmd_targets(args: argparse.Namespace) -> int:
    """List targets, filtered by year, sector or indicator words."""
    corpus = pipeline.read_corpus(_ready_store(args))
    by_sector: dict[str, set[str]] = {}
    for tag in corpus.sectors:
        by_sector.setdefault(tag.subject_id, set()).add(tag.sector)
    rows = []
    for t in corpus.targets:
        if args.year is not None and t.year != args.year:
            continue
        if args.sector and not any(args.sector in s for s in by_sector.get(t.id, ())):
            continue
        if args.indicator and not all(w in t.indicator or w in t.text
                                      for w in args.indicator.split()):
            continue
        rows.append(t)
    if args.format == "jsonl":
        _jsonl((t.to_json() for t in rows), sys.stdout)
        return 0
    _table(("year", "indicator", "direction", "value", "unit", "base", "doc", "line"),
           ([t.year, t.indicator, t.direction,
             "" if t.value is None else (f"{t.value:g}" + ("左右" if t.approx else "")),
             t.unit, t.base_year, t.doc_id, t.line] for t in rows), sys.stdout)
    print(f"{len(rows)} targets", file=sys.stderr)
    return 0


def cmd_tree(args: argparse.Namespace) -> int:
    """Print the "1+N" policy tree."""
    tree = pipeline.read_json(_ready_store(args), "tree.json")
    if args.format == "json":
        print(json.dumps(tree, ensure_ascii=False, indent=2))
        return 0

    def walk(node: dict[str, Any], depth: int) -> None:
        meta = " ".join(x for x in (node.get("doc_id"), node.get("date")) if x)
        print(f"{'  ' * depth}{node['label']}" + (f"  [{meta}]" if meta else ""))
        for child in node.get("children", []):
            walk(child, depth + 1)

    walk(tree, 0)
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    """Run a SPARQL query over the store, the project prefixes predeclared."""
    from policykg.errors import InputError
    from policykg.graph.sparql import format_result, run_query
    from policykg.graph.store import open_store

    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{args.file}: cannot read query ({e})") from e
    elif args.query:
        text = args.query
    else:
        raise InputError("give a QUERY or --file q.rq")
    store = open_store(_ready_store(args))
    sys.stdout.write(format_result(run_query(store, text), args.format))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the graph as Turtle, sorted N-Triples, JSON-LD, GraphML or CSV."""
    from policykg.graph.export import export
    from policykg.graph.store import open_store

    store = open_store(_ready_store(args))
    written = export(store, args.format, Path(args.output))
    for path in written if isinstance(written, list) else [Path(args.output)]:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """Print network analyses: busiest agencies, brokers, most-cited and orphan policies."""
    from policykg.graph.analysis import analyze_corpus

    corpus = pipeline.read_corpus(_ready_store(args))
    report = analyze_corpus(corpus, top=args.top)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    sys.stdout.write(report.to_text())
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store read-only over the SPARQL 1.1 Protocol."""
    from policykg.graph.endpoint import serve

    store = _ready_store(args)
    print(f"SPARQL endpoint on http://{args.host}:{args.port}/query (Ctrl-C stops)",
          file=sys.stderr)
    return serve(store, host=args.host, port=args.port)


def cmd_push(args: argparse.Namespace) -> int:
    """Load the graph into an external SPARQL 1.1 server."""
    from policykg.graph.push import push

    store = _ready_store(args)
    count = push(store / "graph.nt", args.endpoint, graph_iri=args.graph)
    print(f"pushed {count} triples to {args.endpoint}", file=sys.stderr)
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    """Write the HTML views (one, or all into a directory)."""
    store = _ready_store(args)
    for path in pipeline.write_views(store, args.kind, args.name, Path(args.output)):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_text(args: argparse.Namespace) -> int:
    """Print a file's text as the loaders see it: page, line number, text; furniture marked."""
    from policykg.loaders.source import list_lines

    for view in list_lines(Path(args.file)):
        if view.status == "blank" and not args.all:
            continue
        if view.status and view.status != "blank" and args.kept:
            continue
        page = f"p{view.page:<4}" if view.page is not None else ""
        mark = "  " if not view.status or view.status == "blank" else "- "
        note = f"    [{view.status}]" if view.status and view.status != "blank" else ""
        if view.cut:
            note = f"    [page_number cut: {view.cut}]"
        print(f"{page}{view.number:>6} {mark}{view.text}{note}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="policykg",
        description="Knowledge graph of China's carbon-peaking and carbon-neutrality policies.",
    )
    p.add_argument("--version", action="version", version=f"policykg {__version__}")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    p.add_argument("-q", "--quiet", action="store_true", help="errors only")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str,
            store: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=func)
        if store:
            sp.add_argument("--store", metavar="DIR",
                            help="store directory (default: $POLICYKG_STORE or ./.policykg)")
        return sp

    sp = add("build", cmd_build, "parse inputs and write the store")
    sp.add_argument("inputs", nargs="*", metavar="INPUT",
                    help="files or folders (default: bundled)")
    sp.add_argument("--strict", action="store_true", help="exit 1 if any problem is reported")
    sp.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    sp.add_argument("--show-problems", type=int, default=20, metavar="N",
                    help="print the first N problems on stderr (default 20)")

    sp = add("extract", cmd_extract, "parse FILE_OR_DIR and print records", store=False)
    sp.add_argument("input", metavar="FILE_OR_DIR")
    sp.add_argument("--kind", choices=EXTRACT_KINDS, default="documents")
    sp.add_argument("--format", choices=("jsonl", "table"), default="jsonl")

    sp = add("text", cmd_text, "print a .txt or .pdf file's text as the loaders see it, "
             "with page and line numbers", store=False)
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("--kept", action="store_true", help="only the lines the loaders keep")
    sp.add_argument("--all", action="store_true", help="blank lines too")

    sp = add("docs", cmd_docs, "list the built documents")
    sp.add_argument("--format", choices=("table", "jsonl"), default="table")

    sp = add("show", cmd_show, "show one document's metadata and outline")
    sp.add_argument("doc_id", metavar="DOC_ID")
    sp.add_argument("--format", choices=("text", "json"), default="text")

    sp = add("who", cmd_who, "which agencies are responsible for tasks matching TEXT")
    sp.add_argument("text", nargs="+", metavar="TEXT")
    sp.add_argument("--limit", type=int, default=10)
    sp.add_argument("--format", choices=("text", "jsonl"), default="text")

    sp = add("duties", cmd_duties, "every task an agency leads or joins")
    sp.add_argument("agency", metavar="AGENCY")
    sp.add_argument("--lead-only", action="store_true")
    sp.add_argument("--format", choices=("text", "jsonl"), default="text")

    sp = add("targets", cmd_targets, "list quantitative targets and milestones")
    sp.add_argument("--year", type=int)
    sp.add_argument("--sector", help="sector id or label fragment")
    sp.add_argument("--indicator", metavar="WORDS")
    sp.add_argument("--format", choices=("table", "jsonl"), default="table")

    sp = add("tree", cmd_tree, 'print the "1+N" policy tree')
    sp.add_argument("--format", choices=("text", "json"), default="text")

    sp = add("sparql", cmd_sparql, "run a SPARQL query (prefixes predeclared)")
    sp.add_argument("query", nargs="?", metavar="QUERY")
    sp.add_argument("--file", metavar="Q.rq")
    sp.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")

    sp = add("export", cmd_export, "export the graph")
    sp.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    sp.add_argument("-o", "--output", required=True, metavar="PATH")

    sp = add("analyze", cmd_analyze, "network analyses of agencies and policies")
    sp.add_argument("--top", type=int, default=10)
    sp.add_argument("--format", choices=("text", "json"), default="text")

    sp = add("serve", cmd_serve, "read-only SPARQL endpoint over the store")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=7878)

    sp = add("push", cmd_push, "load the graph into an external SPARQL server")
    sp.add_argument("--endpoint", required=True, metavar="URL")
    sp.add_argument("--graph", metavar="IRI", help="named graph (default graph if omitted)")

    sp = add("viz", cmd_viz, "write interactive HTML views")
    sp.add_argument("kind", choices=VIZ_KINDS)
    sp.add_argument("name", nargs="?", metavar="NAME", help="agency name for 'viz agency'")
    sp.add_argument("-o", "--output", required=True, metavar="PATH",
                    help="FILE.html, or a directory for 'all'")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    args = _parser().parse_args(argv)
    level = logging.ERROR if args.quiet else (logging.DEBUG if args.verbose > 1 else
                                              logging.INFO if args.verbose else logging.WARNING)
    logging.basicConfig(level=level, format="policykg: %(message)s", stream=sys.stderr)
    if args.command == "viz" and args.kind == "agency" and not args.name:
        print("policykg: error: 'viz agency' needs an agency NAME", file=sys.stderr)
        return 2
    try:
        code: int = args.func(args)
    except PolicyKGError as e:
        print(f"policykg: error: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return code
