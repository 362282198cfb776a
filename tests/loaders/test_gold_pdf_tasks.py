"""Gold check of responsibility extraction on the development corpus's PDFs (issue 12).

``tests/data/gold/pdf_annotations.jsonl`` holds 222 annotations of 12 PDFs of
``../shared/corpus/dual-carbon/`` (how they were drawn: ``tests/data/gold/README_pdf.md``),
each with its names as printed and their roles; ``pdf_aliases.tsv`` gives each printed name's
canonical (official full) name. The fast tests check the gold files themselves; the tests that
read the PDFs skip when the corpus folder is absent and score:

- printed triples (file, annotation, name as printed, role): the grammar, before resolution;
- strict triples (file, annotation, canonical name, role): the tasks ``policykg build`` makes,
  through the agency registry (see ``STRICT_FLOOR``).
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "gold" / "pdf_annotations.jsonl"
ALIASES = ROOT / "tests" / "data" / "gold" / "pdf_aliases.tsv"
CORPUS = ROOT.parent / "shared" / "corpus" / "dual-carbon"
THRESHOLD = 0.95
#: the local jurisdictions of the compilation: the gold is drawn outside them
COMPILATION_JURISDICTIONS = {"北京市", "上海市", "江苏省", "浙江省", "宁波市", "江西省",
                             "内蒙古自治区", "宁夏回族自治区"}
#: every form the issue names, each in at least one gold annotation
FORMS = {"按职能分工负责", "下同", "以下均需…不再列出", "half_width", "label_line", "牵头单位",
         "配合单位", "stated_convention_first", "stated_convention_comma", "table", "page_broken",
         "body_lead", "bare_list", "comma_no_lead", "按职责分工负责", "责任单位+牵头"}
PAGE_NUMBER = re.compile(r"^\s*(?:[—–\-―－]\s*\d{1,3}\s*[—–\-―－]|\d{1,3})\s*$")

Triple = tuple[str, int, str, str]
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")


@dataclass(frozen=True, slots=True)
class Gold:
    """One hand-checked annotation of a PDF."""

    file: str
    jurisdiction: str
    page: int
    line: int
    end_line: int
    raw: str
    lead: tuple[str, ...]
    participants: tuple[str, ...]
    collective: tuple[str, ...]
    lead_basis: str | None
    forms: tuple[str, ...]
    table_row: str | None

    @property
    def doc(self) -> str:
        return self.file.split("、", 1)[0]

    def triples(self, canonical: dict[tuple[str, str], str] | None = None) -> set[Triple]:
        """(file, line, name, role) for each name; canonical names when a table is given."""
        def name(n: str) -> str:
            return canonical[(self.doc, n)] if canonical is not None else n
        out = {(self.file, self.line, name(n), "lead") for n in self.lead}
        return out | {(self.file, self.line, name(n), "participant") for n in self.participants}


def _load() -> list[Gold]:
    rows = []
    for text in GOLD.read_text(encoding="utf-8").splitlines():
        d = json.loads(text)
        rows.append(Gold(file=d["file"], jurisdiction=d["jurisdiction"], page=d["page"],
                         line=d["line"], end_line=d["end_line"], raw=d["raw"],
                         lead=tuple(d["lead"]), participants=tuple(d["participants"]),
                         collective=tuple(d["collective"]), lead_basis=d["lead_basis"],
                         forms=tuple(d["forms"]), table_row=d.get("table_row")))
    return rows


def _aliases() -> dict[tuple[str, str], str]:
    with ALIASES.open(encoding="utf-8") as f:
        return {(r["doc"], r["printed"]): r["canonical"] for r in csv.DictReader(f, delimiter="\t")}


GOLD_ROWS = _load()
CANONICAL = _aliases()


# ---------------------------------------------------------------- the gold files themselves


def test_gold_size_and_coverage() -> None:
    files = {g.file for g in GOLD_ROWS}
    jurisdictions = {j for g in GOLD_ROWS for j in g.jurisdiction.split(";")}
    assert len(GOLD_ROWS) >= 200
    assert len(files) >= 12
    assert not jurisdictions & COMPILATION_JURISDICTIONS
    assert len(jurisdictions) >= 8
    assert {f for g in GOLD_ROWS for f in g.forms} >= FORMS
    assert len({(g.file, g.line, g.table_row) for g in GOLD_ROWS}) == len(GOLD_ROWS)


@pytest.mark.parametrize("gold", GOLD_ROWS, ids=lambda g: f"{g.doc}-p{g.page}-L{g.line}")
def test_gold_roles_are_consistent(gold: Gold) -> None:
    names = gold.lead + gold.participants
    assert names, "an annotation of the sample names at least one body"
    assert len(set(names)) == len(names)
    assert not set(gold.collective) & set(names)
    assert (gold.lead_basis is None) == (not gold.lead)
    if gold.lead_basis == "marked":
        assert "牵头" in gold.raw
    if gold.lead_basis == "stated_convention":
        assert {"stated_convention_first", "stated_convention_comma"} & set(gold.forms)
    if "comma_no_lead" in gold.forms:
        assert "，" in gold.raw
        assert not gold.lead
    for n in names:
        assert n in gold.raw


def test_every_gold_name_has_a_canonical_name() -> None:
    missing = sorted({(g.doc, n) for g in GOLD_ROWS for n in g.lead + g.participants}
                     - set(CANONICAL))
    assert not missing, missing


# ---------------------------------------------------------------- reading the PDFs


@cache
def _pdf(file: str) -> Any:
    from policykg.loaders.pdf import read_pdf

    return read_pdf(CORPUS / file)


def _documents(file: str, workdir: Path) -> list[Any]:
    """The documents of one PDF as the loaders read it (line numbers those of loaders.pdf)."""
    from policykg.loaders.documents import load_documents

    return list(load_documents([CORPUS / file]).documents)


def _tables(file: str) -> tuple[list[Any], dict[int, tuple[int, int]]]:
    from policykg.loaders.tables import pdf_tables
    from policykg.loaders.tasks import label_roles

    return pdf_tables(CORPUS / file, label_roles())


@needs_corpus
@pytest.mark.parametrize("gold", GOLD_ROWS, ids=lambda g: f"{g.doc}-p{g.page}-L{g.line}")
def test_gold_raw_is_printed_at_its_lines(gold: Gold) -> None:
    lines = [s for s in _pdf(gold.file).source_lines() if gold.line <= s.number <= gold.end_line]
    joined = "".join(re.sub(r"\s+", "", s.text) for s in lines
                     if not PAGE_NUMBER.match(s.text))
    if gold.table_row is None:
        assert re.sub(r"\s+", "", gold.raw) in joined
        assert lines[0].page == gold.page
    else:
        assert gold.raw.split("：", 1)[1] in joined
        assert {s.page for s in lines} == {gold.page}


def _printed_predictions(registry: Any) -> set[Triple]:
    from policykg.loaders.tasks import is_body_name, read_annotations

    pred: set[Triple] = set()
    gold_by_file: dict[str, list[Gold]] = {}
    for g in GOLD_ROWS:
        gold_by_file.setdefault(g.file, []).append(g)
    with tempfile.TemporaryDirectory() as tmp:
        for file, golds in gold_by_file.items():
            rows, page_lines = _tables(file)
            for doc in _documents(file, Path(tmp)):
                def is_body(name: str) -> bool:
                    return is_body_name(name, registry, None)
                mine = [r for r in rows if doc.start_line <= page_lines[r.page][1]
                        and page_lines[r.page][0] <= doc.end_line]
                found = read_annotations(doc, is_body, mine)
                table_found = found[len(found) - len(mine):] if mine else []
                for line, _raw, roles in found[:len(found) - len(mine)]:
                    pred |= set(_roles_triples(file, line, roles, registry))
                for row, (_l, _raw, roles) in zip(mine, table_found, strict=True):
                    line = next((g.line for g in golds if g.table_row and g.page == row.page
                                 and g.table_row in row.text), -row.row)
                    pred |= set(_roles_triples(file, line, roles, registry))
    return pred


def _roles_triples(file: str, line: int, roles: Any, registry: Any) -> Iterator[Triple]:
    for name, is_lead in roles.names:
        if not registry.is_collective(name):
            yield (file, line, name, "lead" if is_lead else "participant")


def _score(gold: set[Triple], pred: set[Triple], title: str) -> tuple[float, float, str]:
    correct = gold & pred
    p = len(correct) / len(pred) if pred else 0.0
    r = len(correct) / len(gold) if gold else 0.0
    report = "\n".join([
        f"{title}: gold triples {len(gold)}, predicted {len(pred)}, correct {len(correct)}",
        f"precision {p:.4f}  recall {r:.4f}",
        *(f"  missed   {t}" for t in sorted(gold - pred)),
        *(f"  spurious {t}" for t in sorted(pred - gold)),
    ])
    return p, r, report


@needs_corpus
@pytest.mark.slow
def test_printed_roles_against_gold() -> None:
    from policykg.loaders.agencies import load_registry

    registry = load_registry()
    files = {g.file for g in GOLD_ROWS}
    gold = {t for g in GOLD_ROWS for t in g.triples()}
    pred = {t for t in _printed_predictions(registry) if t[0] in files
            and any(g.file == t[0] and g.line == t[1] for g in GOLD_ROWS)}
    p, r, report = _score(gold, pred, f"PDF gold, printed names ({len(GOLD_ROWS)} annotations)")
    print(report)  # noqa: T201
    assert p >= THRESHOLD, report
    assert r >= THRESHOLD, report


@needs_corpus
@pytest.mark.slow
def test_strict_triples_against_gold() -> None:
    from policykg.loaders.agencies import load_registry
    from policykg.loaders.corpus import load

    registry = load_registry()
    gold = {t for g in GOLD_ROWS for t in g.triples(CANONICAL)}
    pred: set[Triple] = set()
    for file in sorted({g.file for g in GOLD_ROWS}):
        golds = [g for g in GOLD_ROWS if g.file == file]
        for task in load([CORPUS / file]).tasks:  # the tasks `policykg build` makes
            for g in golds:
                if _same(g, task):
                    pred |= {(file, g.line, n, "lead") for n in task.lead}
                    pred |= {(file, g.line, n, "participant") for n in task.participants}
    p, r, report = _score(gold, pred, "PDF gold, strict (canonical name, role, task)")
    print(report)  # noqa: T201
    assert all(registry.jurisdiction(j) is not None
               for g in GOLD_ROWS for j in g.jurisdiction.split(";"))
    # the misses left are enterprises whose printed short name the registry keeps as
    # printed (武汉市公交集团 for 武汉市公共交通集团有限责任公司 …), listed in README_pdf.md
    assert p >= THRESHOLD, report
    assert r >= THRESHOLD, report


# the PDF loader restores damaged ASCII punctuation to full-width (P003): compare both alike
_WIDE = str.maketrans("(),:;", "（），：；")


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_WIDE)


def _same(gold: Gold, task: Any) -> bool:
    """Whether a task is the gold annotation's: a table row by its text, else by line and raw."""
    if gold.table_row is not None:
        return gold.table_row in task.text and gold.line == task.start_line
    a, b = _plain(gold.raw), _plain(task.raw)
    return task.start_line <= gold.line <= task.end_line and (a in b or b in a)
