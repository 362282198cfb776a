"""Compare PDF text libraries on the development corpus: which one ``loaders.pdf`` uses.

``python -m bench.pdf_libraries [FOLDER] [--every N]`` extracts every page of every PDF of
FOLDER (default ``../shared/corpus/dual-carbon``) with pypdfium2, pdfplumber (pdfminer.six)
and pypdf, each library in its own worker process (CPU time is the worker's own), and writes
``bench/results/pdf_libraries.json`` and ``.md``. PyMuPDF is not compared: it is AGPL.

Measures, per library:
- failures: files the library raises on, and pages it returns no text for where another
  library finds text;
- CPU seconds per page (``time.process_time`` of the worker);
- spurious spaces: spaces standing between two CJK characters, per 1,000 CJK characters
  (a printed 中共中央 国务院 has one; letter-spaced titles have some in every library);
- lines confirmed: the share of a library's lines (spaces removed, 5 characters or more) on
  pages of Chinese text that another library prints as a line too: a library that breaks
  the reading order of a line stands alone (pdfplumber on 107 甘肃 p2 prints "到 年，…" and
  then "２０２５" on a line of its own, as the digits sit on another baseline);
- text order: how close each library's CJK character sequence of a page is to the other two
  (difflib ratio, averaged over a sample of pages): the library out of order disagrees with
  both others;
- table cells: on the pages where pdfplumber's ruling-line detector finds a table, the share
  of table rows (two or more one-line cells) whose cells the library prints in order on one
  line.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
RESULTS: Final = ROOT / "bench" / "results"
OUT: Final = ROOT / "bench" / "out" / "pdf_libraries"
DEFAULT_CORPUS: Final = ROOT.parent / "shared" / "corpus" / "dual-carbon"
LIBRARIES: Final = ("pypdfium2", "pdfplumber", "pypdf")

logger = logging.getLogger("bench")

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])[ \u3000]+(?=[\u3400-\u9fff])")
_SPACES = re.compile(r"[\s\u3000]+")


def _compact(line: str) -> str:
    return _SPACES.sub("", line)


def _pages_pypdfium2(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range().replace("\r\n", "\n"))
            tp.close()
            page.close()
        return out
    finally:
        doc.close()


def _pages_pdfplumber(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _pages_pypdf(path: Path) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages]


_EXTRACT = {"pypdfium2": _pages_pypdfium2, "pdfplumber": _pages_pdfplumber,
            "pypdf": _pages_pypdf}


def _files(folder: Path, every: int) -> list[Path]:
    return sorted(folder.glob("*.pdf"), key=lambda p: p.name)[::every]


def worker(library: str, folder: Path, every: int) -> None:
    """Extract every page with one library; write texts, failures and CPU time as JSON."""
    logging.disable(logging.WARNING)  # pdfminer and pypdf log every odd font
    extract = _EXTRACT[library]
    texts: dict[str, list[str]] = {}
    failures: dict[str, str] = {}
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for path in _files(folder, every):
        try:
            texts[path.name] = extract(path)
        except Exception as e:  # the bench counts every kind of failure
            failures[path.name] = f"{type(e).__name__}: {e}"[:200]
    result = {
        "library": library,
        "cpu_s": time.process_time() - cpu0,
        "wall_s": time.perf_counter() - wall0,
        "pages": sum(len(t) for t in texts.values()),
        "failures": failures,
        "texts": texts,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{library}.json").write_text(json.dumps(result, ensure_ascii=False),
                                         encoding="utf-8")


def _tables(folder: Path, names: list[str], limit: int) -> dict[tuple[str, int], list[list[str]]]:
    """Rows of ruled tables (pdfplumber's detector), cells of one line each, >= 2 cells."""
    import pdfplumber

    found: dict[tuple[str, int], list[list[str]]] = {}
    for name in names:
        with pdfplumber.open(str(folder / name)) as pdf:
            for index, page in enumerate(pdf.pages):
                rows = []
                for table in page.extract_tables():
                    for row in table:
                        cells = [c.strip() for c in row if c and c.strip()]
                        if len(cells) >= 2 and all("\n" not in c for c in cells):
                            rows.append([re.sub(r"\s+", "", c) for c in cells])
                if rows:
                    found[(name, index)] = rows
        if len(found) >= limit:
            break
    return found


def _row_on_one_line(cells: list[str], lines: list[str]) -> bool:
    for line in lines:
        compact = re.sub(r"\s+", "", line)
        at = 0
        for cell in cells:
            at = compact.find(cell, at)
            if at < 0:
                break
            at += len(cell)
        else:
            return True
    return False


def analyse(folder: Path, sample_every: int = 10, table_pages: int = 150) -> dict[str, Any]:
    """Read the workers' outputs and compute the comparison figures."""
    runs = {lib: json.loads((OUT / f"{lib}.json").read_text(encoding="utf-8"))
            for lib in LIBRARIES}
    names = sorted(set.intersection(*(set(r["texts"]) for r in runs.values())))
    figures: dict[str, Any] = {}
    for lib, run in runs.items():
        cjk = spaces = lines = confirmed = empty = 0
        for name in names:
            for i, text in enumerate(run["texts"][name]):
                others = [runs[o]["texts"][name][i] for o in LIBRARIES if o != lib
                          if i < len(runs[o]["texts"][name])]
                if not text.strip() and any(_CJK.search(o) for o in others):
                    empty += 1
                page_cjk = len(_CJK.findall(text))
                cjk += page_cjk
                spaces += len(_CJK_SPACE.findall(text))
                if page_cjk >= 50:
                    seen = {_compact(ln) for o in others for ln in o.split("\n")}
                    page_lines = [c for ln in text.split("\n") if len(c := _compact(ln)) >= 5]
                    lines += len(page_lines)
                    confirmed += sum(1 for c in page_lines if c in seen)
        figures[lib] = {
            "files_failed": len(run["failures"]),
            "failures": run["failures"],
            "pages": run["pages"],
            "cpu_s": round(run["cpu_s"], 2),
            "cpu_ms_per_page": round(1000 * run["cpu_s"] / max(1, run["pages"]), 2),
            "pages_empty_where_others_have_text": empty,
            "cjk_spaces_per_1000_cjk": round(1000 * spaces / max(1, cjk), 2),
            "lines_confirmed": round(confirmed / max(1, lines), 4),
        }
    # text order: agreement of CJK sequences, on every sample_every-th page
    pairs: dict[tuple[str, str], list[float]] = {}
    for k, (name, i) in enumerate((n, i) for n in names
                                  for i in range(len(runs["pypdfium2"]["texts"][n]))):
        if k % sample_every:
            continue
        seqs = {}
        for lib in LIBRARIES:
            texts = runs[lib]["texts"][name]
            seqs[lib] = "".join(_CJK.findall(texts[i])) if i < len(texts) else ""
        if min(len(s) for s in seqs.values()) < 50:
            continue
        for a in LIBRARIES:
            for b in LIBRARIES:
                if a < b:
                    ratio = difflib.SequenceMatcher(None, seqs[a], seqs[b],
                                                    autojunk=False).ratio()
                    pairs.setdefault((a, b), []).append(ratio)
    for lib in LIBRARIES:
        mine = [sum(v) / len(v) for (a, b), v in pairs.items() if lib in (a, b)]
        figures[lib]["order_agreement"] = round(sum(mine) / len(mine), 4) if mine else None
    figures["order_pairs"] = {f"{a}~{b}": round(sum(v) / len(v), 4)
                              for (a, b), v in sorted(pairs.items())}
    figures["order_pages_compared"] = len(next(iter(pairs.values()), []))
    # table cells
    tables = _tables(folder, names, table_pages)
    rows = sum(len(r) for r in tables.values())
    for lib in LIBRARIES:
        ok = 0
        for (name, i), table_rows in tables.items():
            texts = runs[lib]["texts"][name]
            lines = texts[i].split("\n") if i < len(texts) else []
            ok += sum(1 for cells in table_rows if _row_on_one_line(cells, lines))
        figures[lib]["table_rows_on_one_line"] = round(ok / max(1, rows), 4)
    figures["table_rows"] = rows
    figures["table_pages"] = len(tables)
    figures["files"] = len(names)
    return figures


def report(figures: dict[str, Any]) -> str:
    """The README table."""
    head = ("| library | licence | files failed | CPU ms/page | empty pages | "
            "CJK–CJK spaces /1000 CJK | lines confirmed | order agreement | "
            "table rows on one line |")
    rows = [head, "|" + "---|" * 9]
    licences = {"pypdfium2": "Apache-2.0/BSD (PDFium)", "pdfplumber": "MIT (pdfminer.six MIT)",
                "pypdf": "BSD-3"}
    for lib in LIBRARIES:
        f = figures[lib]
        rows.append(
            f"| {lib} | {licences[lib]} | {f['files_failed']} | {f['cpu_ms_per_page']} | "
            f"{f['pages_empty_where_others_have_text']} | {f['cjk_spaces_per_1000_cjk']} | "
            f"{f['lines_confirmed']} | {f['order_agreement']} | "
            f"{f['table_rows_on_one_line']} |"
        )
    rows.append("")
    rows.append(f"{figures['files']} files; order agreement over "
                f"{figures['order_pages_compared']} sampled pages "
                f"({', '.join(f'{k} {v}' for k, v in figures['order_pairs'].items())}); "
                f"table rows: {figures['table_rows']} on {figures['table_pages']} pages.")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the three workers one after the other, then analyse and write the results."""
    p = argparse.ArgumentParser(prog="python -m bench.pdf_libraries")
    p.add_argument("folder", nargs="?", default=str(DEFAULT_CORPUS))
    p.add_argument("--every", type=int, default=1, help="every N-th file (default all)")
    p.add_argument("--worker", choices=LIBRARIES)
    p.add_argument("--analyse-only", action="store_true")
    args = p.parse_args(argv)
    folder = Path(args.folder)
    if args.worker:
        worker(args.worker, folder, args.every)
        return 0
    if not args.analyse_only:
        for lib in LIBRARIES:
            print(f"extracting with {lib} …", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "bench.pdf_libraries", str(folder),
                            "--every", str(args.every), "--worker", lib], check=True, cwd=ROOT)
    figures = analyse(folder)
    RESULTS.mkdir(parents=True, exist_ok=True)
    slim = {k: ({kk: vv for kk, vv in v.items() if kk != "failures"} | {
        "failures": dict(list(v["failures"].items())[:20])} if isinstance(v, dict)
        and "failures" in v else v) for k, v in figures.items()}
    (RESULTS / "pdf_libraries.json").write_text(
        json.dumps(slim, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    table = report(figures)
    (RESULTS / "pdf_libraries.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
