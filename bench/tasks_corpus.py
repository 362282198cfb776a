"""Responsibility annotations over a folder of policy PDFs: how many name bodies, and whether
any comes out with none.

``python -m bench.tasks_corpus ../shared/corpus/dual-carbon [--list]`` reads every PDF's text
layer (``loaders.pdf``), loads it as one policy text and runs ``loaders.tasks.find_tasks``.
It prints, per file with annotations and in total: tasks, tasks with a lead (by basis),
annotations whose names came out as none (A001) and tasks whose names all stayed unresolved.
A PDF page-number line (``— 3 —``) is blanked first, keeping the line numbers, until the
PDF loader of issue 11 removes page furniture itself.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from policykg.errors import PolicyKGError
from policykg.loaders.agencies import load_registry
from policykg.loaders.documents import load_documents
from policykg.loaders.pdf import read_pdf
from policykg.loaders.tables import candidate_pages, find_table_rows
from policykg.loaders.tasks import find_tasks, label_roles
from policykg.records import Problem, Task

# a page number printed alone on a line: — 3 —, - 3 -, ―3―, 第3页 共12页, a bare 3
PAGE_NUMBER = re.compile(r"^\s*(?:[—–\-―－]\s*\d{1,3}\s*[—–\-―－]|第\s*\d+\s*页.*|\d{1,3})\s*$")


def load_pdf_tasks(pdf: Path, workdir: Path) -> tuple[list[Task], list[Problem]]:
    """The tasks and task problems of one PDF, read as a single policy text, with the rows of
    its responsibility tables read from the table cells."""
    pdf_text = read_pdf(pdf)
    text = pdf_text.text
    lines = ["" if PAGE_NUMBER.match(t) else t for t in text.split("\n")]
    page_lines: dict[int, tuple[int, int]] = {}
    for line in pdf_text.source_lines():
        if line.page is not None:
            first, _ = page_lines.get(line.page, (line.number, line.number))
            page_lines[line.page] = (first, line.number)
    pages = candidate_pages([(p.number, p.lines) for p in pdf_text.pages])
    rows = find_table_rows(pdf, label_roles(), pages) if pages else []
    plain = workdir / (pdf.stem.replace(" ", "") + ".txt")
    plain.write_text("\n".join(lines), encoding="utf-8")
    registry = load_registry()
    tasks: list[Task] = []
    problems: list[Problem] = []
    for doc in load_documents([plain]).documents:
        mine = [r for r in rows if doc.start_line <= page_lines[r.page][0] <= doc.end_line
                or doc.start_line <= page_lines[r.page][1] <= doc.end_line]
        found, probs = find_tasks(doc, registry, table_rows=mine, page_lines=page_lines)
        tasks += found
        problems += probs
    return tasks, problems


def main(argv: list[str] | None = None) -> int:
    """Run over a folder and print the counts."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--list", action="store_true", help="print every task without a name")
    args = ap.parse_args(argv)
    total: Counter[str] = Counter()
    t0 = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in sorted(args.folder.glob("*.pdf")):
            try:
                tasks, problems = load_pdf_tasks(pdf, Path(tmp))
            except PolicyKGError as e:
                print(f"{pdf.name}: skipped ({e})", file=sys.stderr)
                total["files skipped"] += 1
                continue
            total["files"] += 1
            empty = [p for p in problems if p.code == "A001"]
            unresolved_only = [t for t in tasks if not (t.lead or t.participants or t.collective)]
            if not tasks and not empty:
                continue
            total["files with annotations"] += 1
            total["tasks"] += len(tasks)
            total["tasks with a lead"] += sum(bool(t.lead) for t in tasks)
            for t in tasks:
                if t.lead_basis is not None:
                    total[f"lead basis {t.lead_basis}"] += 1
            total["annotations with no name (A001)"] += len(empty)
            total["tasks whose names all stayed unresolved"] += len(unresolved_only)
            total["unresolved names"] += sum(len(t.unresolved) for t in tasks)
            total["resolved names"] += sum(len(t.lead) + len(t.participants) for t in tasks)
            print(f"{len(tasks):4d} tasks {len(empty):3d} A001 {len(unresolved_only):4d} "
                  f"unresolved-only  {pdf.name}")
            if args.list:
                for p in empty:
                    print(f"     A001 {p.span}: {p.excerpt[:80]}")
    for key, value in sorted(total.items()):
        print(f"{key}: {value}")
    print(f"CPU s: {time.process_time() - t0:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
