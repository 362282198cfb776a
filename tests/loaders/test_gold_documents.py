"""The document inventory of the bundled compilation against the hand-read gold file.

`tests/data/gold/documents.jsonl` was built by reading `data/compilation-2022.txt` (how, and
every judgement call: `tests/data/gold/README.md`); it is never regenerated from our output.
The fast tests check that the gold file agrees with the text it was read from; the slow tests
compare `loaders.documents.load_documents` with it, field by field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from policykg.loaders.documents import LoadedDocuments

ROOT = Path(__file__).resolve().parents[2]
COMPILATION = ROOT / "data" / "compilation-2022.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "documents.jsonl"

FIELDS = (
    "part",
    "chapter",
    "seq",
    "kind",
    "title",
    "doc_number",
    "date",
    "year",
    "issuers",
    "url",
    "start_line",
)
KINDS = {
    "speech",
    "central_policy",
    "ministry_policy",
    "local_policy",
    "enterprise_plan",
    "international_agreement",
    "excerpt",
}
# ISO day, month or year only: "2021-02-02", "2021-02", "2021"
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# a gold 文号: 国发〔2021〕4号 (line 3158); 发改产业〔2021〕1464号 (printed "1464 号" at 8682)
DOC_NUMBER = re.compile(r"\S+〔(?P<year>\d{4})〕\d+号")


def _gold() -> list[dict[str, Any]]:
    with GOLD.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _source_lines() -> list[str]:
    return COMPILATION.read_text(encoding="utf-8").split("\n")


def _title_block(lines: list[str], record: dict[str, Any]) -> str:
    """The printed title lines from start_line on, joined with their line breaks removed."""
    start: int = record["start_line"]
    seq: str | None = record["seq"]
    first = lines[start - 1].strip()
    if seq is not None:
        assert first.startswith(seq), (start, first)
        first = first[len(seq) :].strip()
    following = [s.strip() for s in lines[start : start + 12]]
    return first + "".join(s for s in following if s)


def _span_text(lines: list[str], start: int, end: int) -> str:
    """Lines start..end-1 (1-based) stripped and joined, without any spaces."""
    return re.sub(r"\s", "", "".join(s.strip() for s in lines[start - 1 : end - 1]))


def test_gold_records_have_the_contract_fields() -> None:
    records = _gold()
    starts = [r["start_line"] for r in records]
    assert starts == sorted(set(starts)), "gold documents must be in source order, once each"
    problems = []
    for r in records:
        if sorted(r) != sorted(FIELDS):
            problems.append(f"{r['start_line']}: fields {sorted(r)}")
        if r["kind"] not in KINDS or r["part"] not in range(1, 7):
            problems.append(f"{r['start_line']}: kind {r['kind']} part {r['part']}")
        if r["date"] is not None and not ISO_DATE.fullmatch(r["date"]):
            problems.append(f"{r['start_line']}: date {r['date']}")
        year = None if r["date"] is None else int(r["date"][:4])
        if year is None and r["doc_number"] is not None:
            m = DOC_NUMBER.fullmatch(r["doc_number"])
            year = None if m is None else int(m.group("year"))
        if r["year"] != year:
            problems.append(f"{r['start_line']}: year {r['year']} but date/文号 give {year}")
    assert not problems, "\n".join(problems)


def test_gold_counts_per_part_and_kind() -> None:
    counts: dict[tuple[int, str], int] = {}
    for r in _gold():
        counts[r["part"], r["kind"]] = counts.get((r["part"], r["kind"]), 0) + 1
    # read in the text: the preface promises 15 speeches, 65 policies, 17 enterprise plans and
    # 5 agreements (lines 35-42); the text holds 15 + 1 excerpt, 6 + 59 + 25, 22 and 5
    assert counts == {
        (1, "speech"): 15,
        (1, "excerpt"): 1,
        (2, "central_policy"): 6,
        (3, "ministry_policy"): 59,
        (4, "local_policy"): 25,
        (5, "enterprise_plan"): 22,
        (6, "international_agreement"): 5,
    }


def test_gold_titles_are_the_printed_lines() -> None:
    lines = _source_lines()
    problems = []
    for r in _gold():
        block = _title_block(lines, r)
        if not block.startswith(r["title"]):
            problems.append(f"{r['start_line']}: {r['title']!r} vs {block[: len(r['title'])]!r}")
    assert not problems, "\n".join(problems)


def test_gold_numbers_urls_and_issuers_are_printed_in_the_document() -> None:
    lines = _source_lines()
    records = _gold()
    ends = [r["start_line"] for r in records[1:]] + [len(lines) + 1]
    problems = []
    for r, end in zip(records, ends, strict=True):
        text = _span_text(lines, r["start_line"], end)
        for value in [r["doc_number"], r["url"], *r["issuers"]]:
            if value is not None and re.sub(r"\s", "", value) not in text:
                problems.append(f"{r['start_line']}: {value!r} not printed in the document")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_document_count_equals_gold(compilation_docs: LoadedDocuments) -> None:
    assert len(compilation_docs.documents) == len(_gold())


@pytest.mark.slow
def test_documents_equal_gold_field_by_field(compilation_docs: LoadedDocuments) -> None:
    by_start = {doc.start_line: doc for doc in compilation_docs.documents}
    gold = _gold()
    mismatches = []
    for g in gold:
        doc = by_start.get(g["start_line"])
        if doc is None:
            mismatches.append(
                f"{g['start_line']}: no document starts here ({g['seq']} {g['title']})"
            )
            continue
        got = doc.to_json()
        for name in FIELDS:
            if got.get(name) != g[name]:
                mismatches.append(
                    f"{g['start_line']} {name}: got {got.get(name)!r}, gold {g[name]!r}"
                )
    for start in sorted(set(by_start) - {g["start_line"] for g in gold}):
        mismatches.append(f"{start}: document not in gold ({by_start[start].title})")
    assert not mismatches, f"{len(mismatches)} differences:\n" + "\n".join(mismatches)
