"""PDF input through the CLI: build, extract and text on PDFs and folders with bad files.

Fixtures: ``tests/data/fixtures/pdf/`` (pages cut from the development corpus, and bad PDFs
made for the purpose; ``tests/data/README.md`` says which).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "tests" / "data" / "fixtures" / "pdf"
NOTICE = ROOT / "tests" / "data" / "fixtures" / "loader_single_notice.txt"

Run = Callable[..., tuple[int, str, str]]


def _one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("policykg: error: ")
    return lines[0]


def _empty_pdf(d: Path) -> Path:
    (d / "empty.pdf").write_bytes(b"")
    return d / "empty.pdf"


def _binary_pdf(d: Path) -> Path:
    (d / "figure.pdf").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return d / "figure.pdf"


def _copy(name: str) -> Callable[[Path], Path]:
    def make(d: Path) -> Path:
        return Path(shutil.copy(PDF / name, d / name))

    return make


@pytest.mark.parametrize("command", ["extract", "build"])
@pytest.mark.parametrize(
    ("make", "named", "says"),
    [
        pytest.param(_copy("bad_encrypted.pdf"), "bad_encrypted.pdf", "encrypted PDF",
                     id="encrypted"),
        pytest.param(_copy("bad_scan_no_text.pdf"), "bad_scan_no_text.pdf", "no text layer",
                     id="scan"),
        pytest.param(_copy("bad_truncated.pdf"), "bad_truncated.pdf", "damaged PDF",
                     id="truncated"),
        pytest.param(_empty_pdf, "empty.pdf", "empty input", id="empty"),
        pytest.param(_binary_pdf, "figure.pdf", "not a PDF", id="binary"),
    ],
)
def test_a_bad_pdf_alone_is_one_line_and_exit_2(
    run: Run, tmp_path: Path, command: str, make: Callable[[Path], Path], named: str, says: str
) -> None:
    path = make(tmp_path)
    store = tmp_path / "store"
    args = ["extract", path] if command == "extract" else ["build", path, "--store", store]
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    line = _one_error_line(err)
    assert named in line
    assert says in line
    assert not store.exists()


def _mixed_folder(d: Path) -> Path:
    folder = d / "policies"
    (folder / "gansu").mkdir(parents=True)
    shutil.copy(PDF / "gansu_letterhead_fullwidth.pdf", folder / "gansu" / "107.pdf")
    shutil.copy(PDF / "tianjin_watermark.pdf", folder / "218.pdf")
    shutil.copy(NOTICE, folder / "guofa-2021-4.txt")
    for bad in ("bad_encrypted.pdf", "bad_scan_no_text.pdf", "bad_truncated.pdf"):
        shutil.copy(PDF / bad, folder / bad)
    _empty_pdf(folder)
    (folder / "notes.md").write_text("# notes\n", encoding="utf-8")
    (folder / ".hidden.pdf").write_bytes(b"")
    return folder


def test_a_folder_build_skips_bad_files_and_counts_them(run: Run, tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    code, out, err = run("build", folder, "--store", tmp_path / "store", "--no-validate")
    assert code == 0
    # the Gansu PDF is a covering notice and the plan it publishes: two documents (issue 11)
    assert "documents: 4\n" in out
    assert ("files: 8 = 3 read (2 PDF, 1 text) + 4 skipped (damaged PDF: 1, empty: 1, "
            "encrypted: 1, scan without text: 1) + 1 ignored\n") in out
    assert "lines of guofa-2021-4.txt: " in out
    pdf_line = next(ln for ln in out.splitlines() if ln.startswith("lines of 2 PDFs"))
    assert pdf_line.startswith("lines of 2 PDFs (6 pages): ")
    total, rest = pdf_line.split(": ", 1)[1].split(" = ")
    parts = [int(p.split()[0]) for p in rest.split(" + ")]
    assert int(total) == sum(parts)
    assert "  page artifacts: letterhead: 1, page_number: 3, watermark: 3\n" in out
    lines = [ln for ln in err.splitlines() if ln.startswith("policykg: ")]
    assert sorted(lines) == [
        "policykg: ignored notes.md: not a .pdf or .txt file",
        "policykg: skipped bad_encrypted.pdf: [I009] encrypted PDF, needs a password",
        "policykg: skipped bad_scan_no_text.pdf: [I010] no text layer (2 pages, 0 characters): "
        "a scanned image, not text",
        "policykg: skipped bad_truncated.pdf: [I008] damaged PDF, cannot be parsed (Failed to "
        "load document (PDFium: Data format error).)",
        "policykg: skipped empty.pdf: [I003] empty input",
    ]
    manifest = json.loads((tmp_path / "store" / "manifest.json").read_text(encoding="utf-8"))
    files = {s["source_file"]: s for s in manifest["summary"]}
    assert files["gansu/107.pdf"]["pages"] == 3
    assert files["bad_encrypted.pdf"]["status"] == "skipped"


def test_strict_exits_1_when_a_file_was_skipped(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    shutil.copy(NOTICE, folder / "guofa-2021-4.txt")
    shutil.copy(PDF / "bad_encrypted.pdf", folder / "bad_encrypted.pdf")
    code, _, _ = run("build", folder, "--store", tmp_path / "s1", "--no-validate")
    assert code == 0
    code, _, _ = run("build", folder, "--store", tmp_path / "s2", "--no-validate", "--strict")
    assert code == 1


def test_a_folder_of_bad_pdfs_only_exits_2(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for bad in ("bad_encrypted.pdf", "bad_scan_no_text.pdf"):
        shutil.copy(PDF / bad, folder / bad)
    code, out, err = run("build", folder, "--store", tmp_path / "store")
    assert code == 2
    assert out == ""
    assert "nothing could be read: 2 files skipped (encrypted: 1, scan without text: 1)" in err


def test_extract_a_pdf_gives_pages_in_problems(run: Run) -> None:
    code, out, _ = run("extract", PDF / "gansu_letterhead_fullwidth.pdf", "--kind", "problems")
    assert code == 0
    rows = [json.loads(ln) for ln in out.splitlines()]
    p003 = next(r for r in rows if r["code"] == "P003")
    assert (p003["file"], p003["page"]) == ("gansu_letterhead_fullwidth.pdf", 1)
    assert all(r.get("page") for r in rows)


def test_extract_a_pdf_document(run: Run) -> None:
    code, out, _ = run("extract", PDF / "tianjin_watermark.pdf")
    assert code == 0
    (doc,) = [json.loads(ln) for ln in out.splitlines()]
    # the watermark line is furniture: the title starts with the document's own first line
    assert doc["title"].startswith("市生态环境局关于天津市2021年度碳排放配额安排的通知")
    assert doc["start_line"] == 2


def test_text_prints_pages_lines_and_furniture(run: Run) -> None:
    code, out, _ = run("text", PDF / "gansu_letterhead_fullwidth.pdf")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "p1        1 - 甘肃省人民政府文件    [letterhead]"
    assert lines[1] == "p1        2   甘政发 〔２０２１〕６２号"
    assert "p1       12 - — １ —    [page_number]" in lines
    assert lines[12] == "p2       13   关于加快建立健全绿色低碳循环发展"
    code, out, _ = run("text", PDF / "tianjin_watermark.pdf", "--kept")
    assert out.splitlines()[0] == "p1        2   市生态环境局关于天津市2021年度碳排放配"


def test_text_of_a_text_file_and_a_bad_pdf(run: Run) -> None:
    code, out, _ = run("text", NOTICE)
    assert code == 0
    assert out.splitlines()[0].split()[0] == "1"
    code, out, err = run("text", PDF / "bad_encrypted.pdf")
    assert code == 2
    assert "bad_encrypted.pdf" in _one_error_line(err)


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from policykg import cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert cli._progress() is None
    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    show = cli._progress()
    assert show is not None
    show(3, 364, "107、甘肃省.pdf")
    assert tty.getvalue().endswith("[3/364] 107、甘肃省.pdf")
    show(364, 364, "")
    assert tty.getvalue().endswith("\r\x1b[K")


def test_folder_progress_reports_every_file(tmp_path: Path) -> None:
    from policykg.loaders.documents import load_documents

    folder = _mixed_folder(tmp_path)
    calls: list[tuple[int, int, str]] = []
    loaded = load_documents([folder], progress=lambda d, t, f: calls.append((d, t, f)))
    assert calls[0] == (0, 7, "218.pdf")
    assert calls[-1] == (7, 7, "")
    assert [c[2] for c in calls[:-1]] == [
        "218.pdf", "bad_encrypted.pdf", "bad_scan_no_text.pdf", "bad_truncated.pdf",
        "empty.pdf", "gansu/107.pdf", "guofa-2021-4.txt"]
    assert {s.source_file: s.status for s in loaded.summaries}["notes.md"] == "ignored"
