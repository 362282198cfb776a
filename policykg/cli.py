"""The ``policykg`` command line: parse arguments → call ``policykg.api`` → format.

Each ``cmd_<name>`` calls the API function of the same name with the same parameters and
formats what it returns; nothing else happens here.  Exit codes follow pySHACL: 0 success,
1 the graph does not conform or ``--strict`` found problems, 2 a user error (one line on
stderr; a name that fits several documents lists them).  Nothing imports this module.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from policykg import __version__, api, pipeline
from policykg.display import cut, table
from policykg.errors import AmbiguousError, Errors, PolicyKGError, one_line
from policykg.records import Corpus, Document

__all__ = ["main"]

logger = logging.getLogger("policykg")

EXPORT_FORMATS = ("turtle", "nt", "jsonld", "graphml", "csv")
VIZ_KINDS = ("tree", "responsibility", "coresponsibility", "citations", "agency", "all")
SPARQL_FORMATS = ("table", "csv", "tsv", "json", "xml")


# ---------------------------------------------------------------- output helpers


def _jsonl(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def _print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], **kw: Any) -> None:
    sys.stdout.write(table(headers, rows, **kw) + "\n")


def _fmt(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def _source(file: str, start: int, end: int | None = None, page: int | None = None) -> str:
    where = Path(file).name + (f":p{page}" if page is not None else "")
    return f"{where}:{start}" + (f"-{end}" if end is not None and end != start else "")


def _line(line: int, page: int | None) -> str:
    """A line number, after its PDF page when there is one: ``p3:120``."""
    return str(line) if page is None else f"p{page}:{line}"


def _highlight(text: str, spans: Sequence[tuple[int, int]], color: bool) -> str:
    """Mark the matched words: reverse video on a terminal, 【】 otherwise."""
    on, off = ("\x1b[7m", "\x1b[0m") if color else ("【", "】")
    out, last = [], 0
    for s, e in spans:
        out += [text[last:s], on, text[s:e], off]
        last = e
    out.append(text[last:])
    return "".join(out)


def _open(args: argparse.Namespace) -> api.Store:
    """Open the store of ``--store``; say so on stderr when it had to be built first."""
    store = api.open_store(args.store)
    if store.built:
        print(f"policykg: no store found; built the bundled compilation into {store.path}",
              file=sys.stderr)
    return store


def _filters(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


# ---------------------------------------------------------------- build and extract


#: What a document that is not a policy is, as the build summary names it (plural).
_NOT_POLICY: dict[str, str] = {
    "covering_notice": "covering notices", "call": "calls for projects",
    "meeting": "meeting or training notices", "standard": "standards"}


def _policies_summary(documents: Sequence[Document], out: TextIO) -> None:
    """How many documents are policies, and what the others are (kept out of the counts)."""
    policies = [d for d in documents if d.is_policy]
    others = Counter("covering_notice" if d.notice_of else str(d.genre)
                     for d in documents if not d.is_policy)
    per_kind = Counter(str(d.kind) for d in policies)
    out.write(f"  policies: {len(policies)}" + (" (" + ", ".join(
        f"{k}: {n}" for k, n in sorted(per_kind.items())) + ")" if policies else "") + "\n")
    if others:
        ranked = sorted(others.items(), key=lambda x: (-x[1], x[0]))
        out.write(f"  not policies: {sum(others.values())} (" + ", ".join(
            f"{_NOT_POLICY.get(k, k)}: {n}" for k, n in ranked) + ")\n")


def _summary(result: pipeline.BuildResult, store: Path | None, out: TextIO) -> None:
    corpus = result.corpus
    per_part = Counter(d.part for d in corpus.documents)
    per_kind = Counter(str(d.kind) for d in corpus.documents)
    out.write(f"documents: {len(corpus.documents)}\n")
    parts = sorted(per_part.items(), key=lambda x: x[0] or 0)
    out.write("  by part: " + ", ".join(f"{p or 'single'}: {n}" for p, n in parts) + "\n")
    out.write("  by kind: " + ", ".join(f"{k}: {n}" for k, n in sorted(per_kind.items())) + "\n")
    _policies_summary(corpus.documents, out)
    _files_summary(corpus, out)
    out.write(
        f"sections: {_sections(result)}, tasks: {len(corpus.tasks)}, "
        f"agencies: {len(corpus.agencies)}, targets: {len(corpus.targets)}, "
        f"citations: {len(corpus.citations)}, sector tags: {len(corpus.sectors)}\n"
    )
    open_world = [a for a in corpus.agencies if a.unresolved]
    if open_world:
        named = Counter(n for t in corpus.tasks for n in (*t.lead, *t.participants))
        unresolved = sum(named[a.name] for a in open_world)
        out.write(f"  unresolved agencies: {len(open_world)} ({unresolved} of "
                  f"{sum(named.values())} mentions in tasks; policykg extract --kind agencies "
                  f"lists them)\n")
    out.write(f"triples: {result.triples}\n")
    codes = Counter(p.code for p in corpus.problems)
    by_code = ", ".join(f"{c}: {n}" for c, n in sorted(codes.items()))
    out.write(f"problems: {len(corpus.problems)}" + (f" ({by_code})" if by_code else "") + "\n")
    if result.validation is not None:
        out.write(f"SHACL: {'conforms' if result.validation.conforms else 'DOES NOT CONFORM'}\n")
    out.write("time: " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()) + "\n")
    if store is not None:
        out.write(f"store: {store}\n")


def _sections(result: pipeline.BuildResult) -> int:
    """How many sections the documents have: as the store just written counts them (the
    sections of documents from the cache stay undecoded), else counted."""
    counts = result.manifest.get("counts") if result.stored and result.manifest else None
    found = counts.get("sections") if isinstance(counts, dict) else None
    if isinstance(found, int):
        return found
    return sum(len(d.sections) for d in result.corpus.documents)


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
                f" + {s.artifact_lines} page artifacts + {s.unexplained_lines} not understood"
                + _repeated(s.repeated_lines) + "\n"
            )
            if s.furniture:  # a table of contents set aside (a text file has no furniture)
                out.write("  of the page artifacts: " + ", ".join(
                    f"{k}: {n}" for k, n in s.furniture) + "\n")
    if pdfs:
        total = {f: sum(getattr(s, f) for s in pdfs) for f in (
            "total_lines", "document_lines", "structure_lines", "blank_lines",
            "artifact_lines", "unexplained_lines", "repeated_lines", "pages")}
        name = Path(pdfs[0].file).name if len(pdfs) == 1 else f"{len(pdfs)} PDFs"
        out.write(
            f"lines of {name} ({total['pages']} pages): {total['total_lines']} = "
            f"{total['document_lines']} in documents + {total['structure_lines']} headings"
            f" + {total['blank_lines']} blank + {total['artifact_lines']} page artifacts"
            f" + {total['unexplained_lines']} not understood"
            + _repeated(total["repeated_lines"]) + "\n"
        )
        kinds: Counter[str] = Counter()
        for s in pdfs:
            kinds.update(dict(s.furniture))
        out.write("  page artifacts: " + (", ".join(
            f"{k}: {n}" for k, n in sorted(kinds.items())) or "none") + "\n")


def _repeated(lines: int) -> str:
    """The line account's term for documents printed again in their file (L006), if any."""
    return f" + {lines} repeated (L006)" if lines else ""


def _progress() -> pipeline.Progress | None:
    """A files-done meter on stderr when it is a terminal; None (quiet) otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, current: str) -> None:
        if done >= total:
            sys.stderr.write("\r\x1b[K")
        else:
            sys.stderr.write(f"\r\x1b[K[{done}/{total}] {cut(current, 60)}")
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


def _report(result: pipeline.BuildResult, store: Path, args: argparse.Namespace) -> int:
    """Print what a store command did; return its exit code."""
    if result.up_to_date:
        counts = result.manifest.get("counts", {})
        shown = ", ".join(f"{k}: {counts[k]}" for k in ("documents", "tasks", "triples")
                          if k in counts)
        print(f"store is up to date (no input changed): {shown}")
        print(f"store: {store}")
        return 0
    _report_files(result.corpus)
    _summary(result, store, sys.stdout)
    print(f"read: {len(result.reread)} of {len(result.manifest.get('files', []))} input files"
          " (the others from the store's cache)")
    for problem in result.corpus.problems[: args.show_problems]:
        print(str(problem), file=sys.stderr)
    if result.validation is not None and not result.validation.conforms:
        print(result.validation.text, file=sys.stderr)
        if not result.stored:
            print(f"policykg: the new graph does not conform; the store in {store} is kept as "
                  "it was (--allow-invalid replaces it)", file=sys.stderr)
        return 1
    if args.strict and (result.corpus.problems or _skipped_any(result.corpus)):
        return 1
    return 0


def _jobs(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        from policykg.errors import InputError

        raise InputError(Errors.Q021.format(jobs=args.jobs))
    return int(args.jobs or pipeline.default_jobs())


def cmd_build(args: argparse.Namespace) -> int:
    """Build the inputs (default: the bundled compilation) into the store."""
    store = Path(args.store) if args.store else pipeline.default_store()
    result = api.build(args.inputs, store=store, validate=not args.no_validate,
                       progress=_progress(), jobs=_jobs(args), allow_invalid=args.allow_invalid)
    return _report(result, store, args)


def cmd_add(args: argparse.Namespace) -> int:
    """Add input files to the store (or replace those of the same name)."""
    store = Path(args.store) if args.store else pipeline.default_store()
    result = api.add(args.inputs, store=store, validate=not args.no_validate,
                     jobs=_jobs(args), allow_invalid=args.allow_invalid, progress=_progress())
    return _report(result, store, args)


def cmd_remove(args: argparse.Namespace) -> int:
    """Remove documents from the store by id."""
    store = Path(args.store) if args.store else pipeline.default_store()
    result = api.remove(args.doc_ids, store=store, validate=not args.no_validate,
                        allow_invalid=args.allow_invalid)
    return _report(result, store, args)


_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "kind", "date", "doc_number", "title", "start_line", "end_line"),
    "sections": ("doc_id", "marker", "heading", "start_line"),
    "tasks": ("id", "lead", "participants", "text", "start_line"),
    "agencies": ("id", "name", "level", "jurisdiction", "parent", "unresolved"),
    "targets": ("doc_id", "indicator", "value", "unit", "direction", "year", "line"),
    "citations": ("doc_id", "line", "cited_title", "cited_doc_id", "relation"),
    "problems": ("code", "file", "start_line", "message"),
}


def cmd_extract(args: argparse.Namespace) -> int:
    """Parse FILE_OR_DIR and print one kind of record."""
    extracted = api.extract(args.input, kind=args.kind, progress=_progress())
    _report_files(extracted.corpus)
    rows = extracted.rows
    if args.format == "jsonl":
        _jsonl(rows)
    else:
        cols = _TABLE_COLUMNS[args.kind]
        _print_table(cols, ([_fmt(r.get(c)) for c in cols] for r in rows))
    return 0


# ---------------------------------------------------------------- documents


def cmd_docs(args: argparse.Namespace) -> int:
    """List the built documents, filtered."""
    found = api.docs(store=_open(args), **_filters(
        args, "kind", "genre", "level", "jurisdiction", "issuer", "since", "until", "text"))
    if args.format == "jsonl":
        _jsonl(d.to_json() for d in found)
        return 0
    _print_table(("id", "kind", "date", "文号", "title", "lines"),
                 ([d.id, d.kind, d.date, d.doc_number, d.title, f"{d.start_line}-{d.end_line}"]
                  for d in found), widths=(14, 15, 10, 18, 56, 11))
    return 0


def _doc_source(doc: Document) -> str:
    return _source(doc.file, doc.start_line, doc.end_line, doc.span.page)


def _link_line(link: api.Link) -> str:
    where = f"  (line {_line(link.line or 0, link.page)}" + (
        f", {link.count} mentions" if link.count > 1 else "") + ")"
    return f"    {link.title}" + (f" [{link.doc_id}]" if link.doc_id else "") + (
        where if link.line is not None else "")


def cmd_show(args: argparse.Namespace) -> int:
    """Print one document's metadata, links and section outline with line numbers."""
    info = api.show(args.doc, store=_open(args))
    doc = info.document
    inferred = {i.field: i for i in getattr(doc, "inferred", ())}
    if args.format == "json":
        data = doc.to_json()
        data["sections"] = [
            {"marker": s.marker, "level": s.level, "heading": s.heading,
             "start_line": s.start_line, "end_line": s.end_line}
            | ({} if s.page is None else {"page": s.page}) for s in doc.sections
        ]
        data["inferred"] = {k: {"value": v.value, "doc_id": v.doc_id, "line": v.line,
                                "text": v.text} for k, v in inferred.items()}
        for name in ("cites", "implements", "cited_by", "implemented_by", "attachments"):
            data[name] = [{"doc_id": x.doc_id, "title": x.title, "line": x.line,
                           "count": x.count} | ({} if x.page is None else {"page": x.page})
                          for x in getattr(info, name)]
        data["notice"] = None if info.notice is None else info.notice.doc_id
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    from_notice = set(getattr(doc, "from_notice", ()) or ())
    for key, value in doc.to_json().items():
        note = ""
        if key in inferred:
            i = inferred[key]
            note = (f"  (not printed: taken from line {i.line}: {cut(i.text, 60)})"
                    if i.doc_id == doc.id else
                    f"  (inferred: cited so by {i.doc_id} line {i.line}: {cut(i.text, 60)})")
        elif key in from_notice and info.notice is not None:
            note = f"  (from the covering notice {info.notice.doc_id})"
        shown = f"{value[0]}–{value[1]}" if key == "pages" and value else _fmt(value)
        print(f"{key:>12}: {shown}{note}")
    print(f"{'source':>12}: {_doc_source(doc)}")
    print(f"{'counts':>12}: {len(doc.sections)} sections, {info.tasks} tasks, "
          f"{info.targets} targets")
    if info.notice is not None:
        print(f"{'notice':>12}: {info.notice.title} [{info.notice.doc_id}]")
    for label, links in (("attachments", info.attachments), ("implements", info.implements),
                         ("cites", info.cites), ("implemented by", info.implemented_by),
                         ("cited by", info.cited_by)):
        if links:
            print(f"{label} ({len(links)}):")
            for link in links:
                print(_link_line(link))
    print("outline:")
    for s in doc.sections:
        print(f"  {_line(s.start_line, s.page):>6}  {'  ' * (s.level - 1)}{s.marker}{s.heading}")
    return 0


# ---------------------------------------------------------------- who, duties, search


_DOC_FILTERS = ("doc", "kind", "genre", "level", "jurisdiction", "since", "until")


def cmd_who(args: argparse.Namespace) -> int:
    """Rank the tasks matching TEXT and show who is responsible for each."""
    text = " ".join(args.text)
    store = _open(args)
    hits = api.who(text, store=store, limit=args.limit, **_filters(args, *_DOC_FILTERS))
    docs = {d.id: d for d in api.docs(store=store)}
    if args.format == "jsonl":
        _jsonl({"score": round(h.score, 4), **h.task.to_json(), "title": h.title} for h in hits)
        return 0
    if not hits:
        print(f"no task matches {text!r}")
        return 0
    for rank, hit in enumerate(hits, 1):
        t, d = hit.task, docs[hit.task.doc_id]
        print(f"{rank}. {cut(t.text, 100)}")
        print(f"   lead: {_fmt(t.lead) or '—'}")
        print(f"   participants: {_fmt(t.participants) or '—'}"
              + (f"  (+{_fmt(t.collective)})" if t.collective else ""))
        print(f"   document: {d.title} [{d.id}]")
        print(f"   section: {' > '.join(t.section) or '—'}")
        print(f"   source: {_source(d.file, t.start_line, t.end_line, t.page)}  {t.raw}")
    return 0


def cmd_duties(args: argparse.Namespace) -> int:
    """List every task an agency (any alias) leads or joins, grouped by document."""
    result = api.duties(args.agency, store=_open(args), lead_only=args.lead_only,
                        jurisdiction=args.jurisdiction, level=args.level)
    agency = result.agency
    if args.format == "jsonl":
        _jsonl({"agency": agency.name, "role": g.role, "doc_id": g.document.id,
                **g.task.to_json()} for g in result.rows)
        return 0
    print(f"{agency.name}: {result.total} tasks ({result.lead} as lead) "
          f"in {len(result.groups)} documents")
    for group in result.groups:
        d = group.document
        print(f"\n{d.title} [{d.id}] — {len(group.rows)} tasks")
        for row in group.rows:
            role = "牵头" if row.role == "lead" else "参与"
            t = row.task
            print(f"  [{role}] {_source(d.file, t.start_line, t.end_line, t.page)}  "
                  f"{cut(row.task.text, 70)}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Full-text search over every paragraph of every document."""
    text = " ".join(args.text)
    hits = api.search(text, store=_open(args), limit=args.limit,
                      **_filters(args, *_DOC_FILTERS))
    if args.format == "jsonl":
        _jsonl({"doc_id": h.doc_id, "title": h.title, "section": list(h.section),
                "file": h.file, "page": h.page, "line": h.line, "start_line": h.start_line,
                "end_line": h.end_line, "phrase": h.phrase, "words": list(h.words),
                "score": round(h.score, 4), "text": h.text,
                "matches": [list(m) for m in h.matches]} for h in hits)
        return 0
    if not hits:
        print(f"nothing matches {text!r}")
        return 0
    color = sys.stdout.isatty()
    for rank, hit in enumerate(hits, 1):
        snippet, spans = hit.snippet(args.width)
        print(f"{rank}. {_highlight(snippet, spans, color)}")
        print(f"   document: {hit.title} [{hit.doc_id}]")
        print(f"   section: {' > '.join(hit.section) or '—'}")
        print(f"   source: {_source(hit.file, hit.line, page=hit.page)}")
    return 0


# ---------------------------------------------------------------- targets and tree


def cmd_targets(args: argparse.Namespace) -> int:
    """List targets, filtered by year, sector or indicator words."""
    rows = api.targets(store=_open(args), year=args.year, sector=args.sector,
                       indicator=args.indicator)
    if args.format == "jsonl":
        _jsonl(t.to_json() for t in rows)
        return 0
    _print_table(("year", "indicator", "direction", "value", "unit", "base", "doc", "line"),
                 ([t.year, t.indicator, t.direction,
                   "" if t.value is None else (f"{t.value:g}" + ("左右" if t.approx else "")),
                   t.unit, t.base_year, t.doc_id, _line(t.line, t.page)] for t in rows))
    print(f"{len(rows)} targets", file=sys.stderr)
    return 0


def cmd_tree(args: argparse.Namespace) -> int:
    """Print the "1+N" policy tree."""
    tree = api.tree(store=_open(args), jurisdiction=args.jurisdiction)
    if args.format == "json":
        print(json.dumps(tree, ensure_ascii=False, indent=2))
        return 0

    def walk(node: dict[str, Any], depth: int) -> None:
        meta = " ".join(x for x in (node.get("doc_id"), node.get("date")) if x)
        outside = "" if node.get("in_system", True) else "  （“1+N”之外）"
        print(f"{'  ' * depth}{node['label']}" + (f"  [{meta}]" if meta else "") + outside)
        for child in node.get("children", []):
            walk(child, depth + 1)

    walk(tree, 0)
    return 0


# ---------------------------------------------------------------- the graph


def cmd_sparql(args: argparse.Namespace) -> int:
    """Run a SPARQL query over the store, the project prefixes predeclared."""
    from policykg.graph.sparql import format_result

    result = api.sparql(args.query, store=_open(args), file=args.file,
                        allow_federation=args.allow_federation)
    sys.stdout.write(format_result(result, args.format))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the graph as Turtle, sorted N-Triples, JSON-LD, GraphML or CSV."""
    for path in api.export(args.format, args.output, store=_open(args)):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """Print network analyses: busiest agencies, brokers, most-cited and orphan policies."""
    report = api.analyze(store=_open(args), top=args.top)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    sys.stdout.write(report.to_text())
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store read-only over the SPARQL 1.1 Protocol."""
    store = _open(args)

    def ready(url: str) -> None:
        print(f"SPARQL endpoint on {url}/query (Ctrl-C stops)", file=sys.stderr, flush=True)

    return api.serve(store=store, host=args.host, port=args.port, timeout=args.timeout,
                     max_concurrent=args.max_concurrent,
                     allow_federation=args.allow_federation, on_ready=ready)


def _positive(text: str) -> float:
    """An argparse type: a number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0: {text!r}")
    return value


def cmd_push(args: argparse.Namespace) -> int:
    """Load the graph into an external SPARQL 1.1 server."""
    count = api.push(args.endpoint, store=_open(args), graph=args.graph,
                     timeout=args.timeout, deadline=args.deadline or None)
    print(f"pushed {count} triples to {args.endpoint}", file=sys.stderr)
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    """Write the HTML views (one, or all into a directory)."""
    for path in api.viz(args.kind, args.output, name=args.name, store=_open(args)):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_text(args: argparse.Namespace) -> int:
    """Print a file's text as the loaders see it: page, line number, text; furniture marked."""
    for view in api.text(args.file, kept=args.kept, all=args.all):
        page = f"p{view.page:<4}" if view.page is not None else ""
        mark = "  " if not view.status or view.status == "blank" else "- "
        note = f"    [{view.status}]" if view.status and view.status != "blank" else ""
        if view.cut:
            note = f"    [page_number cut: {view.cut}]"
        print(f"{page}{view.number:>6} {mark}{view.text}{note}")
    return 0


# ---------------------------------------------------------------- the parser


def _add_doc_filters(sp: argparse.ArgumentParser, *, doc: bool = True) -> None:
    """The document filters of docs, who and search (``graph.lookup.DocumentFilter``)."""
    if doc:
        sp.add_argument("--doc", metavar="DOC", help="only this document (id, 文号 or title)")
    sp.add_argument("--kind", help="document kind (central_policy, local_policy …)")
    sp.add_argument("--genre", help="document genre (plan, opinion, notice …)")
    sp.add_argument("--level", help="issuer level (central, provincial, municipal …)")
    sp.add_argument("--jurisdiction", help="issuing jurisdiction (a fragment: 江苏)")
    sp.add_argument("--since", metavar="DATE", help="dated on or after (2021, 2021-10, …)")
    sp.add_argument("--until", metavar="DATE", help="dated on or before")


def cmd_site(args: argparse.Namespace) -> int:
    """Write the static site: document list, document and agency pages, the views."""
    written = api.site(args.output, store=_open(args))
    print(f"wrote {len(written)} files into {args.output} (open {args.output}/index.html)",
          file=sys.stderr)
    return 0


def _store_options(sp: argparse.ArgumentParser, *, jobs: bool = True) -> None:
    """The options of the commands that write the store."""
    if jobs:
        sp.add_argument("--jobs", "-j", type=int, metavar="N",
                        help="processes that read and extract files (default: all cores)")
    else:
        sp.set_defaults(jobs=1)
    sp.add_argument("--allow-invalid", action="store_true",
                    help="replace a conforming store even if the new graph does not conform "
                         "to the SHACL shapes (default: keep the store, exit 1)")


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
    _store_options(sp)

    sp = add("add", cmd_add, "add input files to the store (or replace those of the same name)")
    sp.add_argument("inputs", nargs="+", metavar="FILE", help="files or folders")
    sp.add_argument("--strict", action="store_true", help="exit 1 if any problem is reported")
    sp.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    sp.add_argument("--show-problems", type=int, default=20, metavar="N",
                    help="print the first N problems on stderr (default 20)")
    _store_options(sp)

    sp = add("remove", cmd_remove, "remove documents from the store by id")
    sp.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    sp.add_argument("--strict", action="store_true", help="exit 1 if any problem is reported")
    sp.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    sp.add_argument("--show-problems", type=int, default=20, metavar="N",
                    help="print the first N problems on stderr (default 20)")
    _store_options(sp, jobs=False)

    sp = add("extract", cmd_extract, "parse FILE_OR_DIR and print records", store=False)
    sp.add_argument("input", metavar="FILE_OR_DIR")
    sp.add_argument("--kind", choices=api.EXTRACT_KINDS, default="documents")
    sp.add_argument("--format", choices=("jsonl", "table"), default="jsonl")

    sp = add("text", cmd_text, "print a .txt or .pdf file's text as the loaders see it, "
             "with page and line numbers", store=False)
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("--kept", action="store_true", help="only the lines the loaders keep")
    sp.add_argument("--all", action="store_true", help="blank lines too")

    sp = add("docs", cmd_docs, "list the built documents")
    _add_doc_filters(sp, doc=False)
    sp.add_argument("--issuer", help="an issuer (a fragment of its name)")
    sp.add_argument("--text", help="a fragment of the title or 文号")
    sp.add_argument("--format", choices=("table", "jsonl"), default="table")

    sp = add("show", cmd_show, "show one document's metadata, links and outline")
    sp.add_argument("doc", metavar="DOC", help="id, 文号, title or a fragment of the title")
    sp.add_argument("--format", choices=("text", "json"), default="text")

    sp = add("who", cmd_who, "which agencies are responsible for tasks matching TEXT")
    sp.add_argument("text", nargs="+", metavar="TEXT")
    sp.add_argument("--limit", type=int, default=10)
    _add_doc_filters(sp)
    sp.add_argument("--format", choices=("text", "jsonl"), default="text")

    sp = add("duties", cmd_duties, "every task an agency leads or joins")
    sp.add_argument("agency", metavar="AGENCY")
    sp.add_argument("--lead-only", action="store_true")
    sp.add_argument("--jurisdiction", metavar="PLACE",
                    help="tasks of documents of this jurisdiction (a fragment: 江西); also "
                         "reads a bare AGENCY as that place's (发改委 --jurisdiction 江西)")
    sp.add_argument("--level", choices=("central", "provincial", "municipal", "county"),
                    help="tasks of documents issued at this level")
    sp.add_argument("--format", choices=("text", "jsonl"), default="text")

    sp = add("search", cmd_search, "full-text search over every paragraph of every document")
    sp.add_argument("text", nargs="+", metavar="TEXT")
    sp.add_argument("--limit", type=int, default=20)
    _add_doc_filters(sp)
    sp.add_argument("--width", type=int, default=80, help="characters of text shown per hit")
    sp.add_argument("--format", choices=("text", "jsonl"), default="text")

    sp = add("targets", cmd_targets, "list quantitative targets and milestones")
    sp.add_argument("--year", type=int)
    sp.add_argument("--sector", help="sector: slug, Chinese or English label (交通, transport)")
    sp.add_argument("--indicator", metavar="WORDS")
    sp.add_argument("--format", choices=("table", "jsonl"), default="table")

    sp = add("tree", cmd_tree, 'print the "1+N" policy tree')
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("--jurisdiction", metavar="J",
                    help="only one jurisdiction's local system (a name or a unique fragment)")

    sp = add("sparql", cmd_sparql, "run a SPARQL query (prefixes predeclared)")
    sp.add_argument("query", nargs="?", metavar="QUERY")
    sp.add_argument("--file", metavar="Q.rq")
    sp.add_argument("--format", choices=SPARQL_FORMATS, default="table")
    sp.add_argument("--allow-federation", action="store_true",
                    help="let the query call other servers with SERVICE (off by default)")

    sp = add("export", cmd_export, "export the graph")
    sp.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    sp.add_argument("-o", "--output", required=True, metavar="PATH")

    sp = add("analyze", cmd_analyze, "network analyses of agencies and policies")
    sp.add_argument("--top", type=int, default=10)
    sp.add_argument("--format", choices=("text", "json"), default="text")

    sp = add("serve", cmd_serve, "read-only SPARQL endpoint over the store")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=7878)
    sp.add_argument("--timeout", type=_positive, default=60.0, metavar="SECONDS",
                    help="wall-clock limit of one query (default 60)")
    sp.add_argument("--max-concurrent", type=int, default=None, metavar="N",
                    help="queries running at once (default: the number of cores)")
    sp.add_argument("--allow-federation", action="store_true",
                    help="let queries call other servers with SERVICE (off by default)")

    sp = add("push", cmd_push, "load the graph into an external SPARQL server")
    sp.add_argument("--endpoint", required=True, metavar="URL")
    sp.add_argument("--graph", metavar="IRI", help="named graph (default graph if omitted)")
    sp.add_argument("--timeout", type=_positive, default=120.0, metavar="SECONDS",
                    help="time one request may take, connect to last byte (default 120)")
    sp.add_argument("--deadline", type=float, default=3600.0, metavar="SECONDS",
                    help="time the whole push may take (default 3600; 0: no bound)")

    sp = add("site", cmd_site, "write the static, offline policy browser into a folder")
    sp.add_argument("-o", "--output", required=True, metavar="DIR")

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
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a full disk or closed pipe shows here, not at exit
    except AmbiguousError as e:
        print(f"policykg: error: {str(e).splitlines()[0]}", file=sys.stderr)
        for key, label in e.candidates:
            print(f"  {key}  {label}", file=sys.stderr)
        return 2
    except PolicyKGError as e:
        print(f"policykg: error: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        _silence_stdout()
        print("policykg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `policykg … | head`: the reader has what it wanted
        _silence_stdout()
        return 0
    except OSError as e:  # the machine's fault, not ours: a full disk, a lost file system
        if e.filename is None:
            _silence_stdout()
            said = Errors.M001.format(reason=e.strerror or e)
        else:
            said = Errors.M002.format(path=e.filename, reason=e.strerror or e)
        print(f"policykg: error: {one_line(said)}", file=sys.stderr)
        return 2
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout replaced by something without a descriptor
        pass
