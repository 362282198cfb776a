"""Citation extraction scored against the hand-read gold sample.

`tests/data/gold/citations.jsonl` holds every 《…》 mention that names a policy in a fixed list
of 30 documents of parts 2-5 (`SAMPLED_DOCUMENTS`; how they were chosen and read:
`tests/data/gold/README.md`). The fast tests check the gold against the text; the slow test
scores `loaders.citations.find_citations` on the sampled documents.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from policykg.loaders.documents import LoadedDocuments
    from policykg.records import Citation

ROOT = Path(__file__).resolve().parents[2]
COMPILATION = ROOT / "data" / "compilation-2022.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "citations.jsonl"
GOLD_DOCUMENTS = ROOT / "tests" / "data" / "gold" / "documents.jsonl"

THRESHOLD = 0.95
# start lines of the citing documents read in full; 13750 (self-reference only) and 42270
# (company plan, guide and initiative only) have no citation in the gold
SAMPLED_DOCUMENTS = (
    3611, 4013, 4544,
    6668, 8678, 9387, 10299, 10423, 10651, 13750, 14174, 14921, 16919, 18274,
    26065, 26840, 27191, 27490, 29472,
    30805, 31022, 32063, 32629, 33205, 33486, 36324, 39294, 41030,
    42270, 42796,
)  # fmt: skip
RELATIONS = {"implements", "cites"}
# quotation marks dropped before comparing titles: “十四五” (line 10661), ‘四化’
QUOTES = re.compile(r"[“”‘’\"'「」『』]")
SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Mention:
    """A citation reduced to what is scored: citing document, line, title, target, relation."""

    citing: int
    line: int
    title: str
    cited: int | None
    relation: str


def normalise_title(title: str) -> str:
    """Compare titles without width, spaces, quotes or the 、 of "中共中央、国务院".

    >>> normalise_title("中共中央、国务院关于…") == normalise_title("中共中央 国务院关于…")
    True
    """
    text = unicodedata.normalize("NFKC", title)
    text = SPACE.sub("", text)
    text = QUOTES.sub("", text)
    text = text.replace("中共中央、国务院", "中共中央国务院")
    return text.strip("《》〈〉")


def _gold_rows() -> list[dict[str, Any]]:
    with GOLD.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _gold() -> list[Mention]:
    return [
        Mention(
            citing=r["citing_start_line"],
            line=r["line"],
            title=normalise_title(r["cited_title"]),
            cited=r["cited_start_line"],
            relation=r["relation"],
        )
        for r in _gold_rows()
    ]


def _gold_starts() -> list[int]:
    with GOLD_DOCUMENTS.open(encoding="utf-8") as handle:
        return [json.loads(line)["start_line"] for line in handle if line.strip()]


def score(predicted: list[Mention], gold: list[Mention]) -> tuple[float, float, list[str]]:
    """Precision and recall; a prediction matches a gold mention of the same citing document
    within one line with the same normalised title, and counts if target and relation agree."""
    unmatched = list(predicted)
    hits = 0
    notes = []
    for g in gold:
        match = next(
            (
                p
                for p in unmatched
                if p.citing == g.citing and abs(p.line - g.line) <= 1 and p.title == g.title
            ),
            None,
        )
        if match is None:
            notes.append(f"missed {g}")
            continue
        unmatched.remove(match)
        if (match.cited, match.relation) == (g.cited, g.relation):
            hits += 1
        else:
            notes.append(f"wrong {match} for {g}")
    notes += [f"spurious {p}" for p in unmatched]
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    return precision, recall, notes


def test_gold_rows_are_well_formed() -> None:
    rows = _gold_rows()
    starts = set(_gold_starts())
    problems = []
    for r in rows:
        if sorted(r) != [
            "cited_start_line",
            "cited_title",
            "citing_start_line",
            "line",
            "relation",
        ]:
            problems.append(f"{r}: fields")
        if r["citing_start_line"] not in SAMPLED_DOCUMENTS or r["relation"] not in RELATIONS:
            problems.append(f"{r}: citing document or relation")
        if r["cited_start_line"] is not None and r["cited_start_line"] not in starts:
            problems.append(f"{r}: cited document is not a gold document")
        if r["cited_start_line"] == r["citing_start_line"]:
            problems.append(f"{r}: a document does not cite itself")
    assert len(rows) >= 60
    assert not problems, "\n".join(problems)


def test_gold_mentions_open_on_their_line_inside_their_document() -> None:
    lines = COMPILATION.read_text(encoding="utf-8").split("\n")
    starts = _gold_starts()
    problems = []
    for r in _gold_rows():
        citing = max(s for s in starts if s <= r["line"])
        if citing != r["citing_start_line"]:
            problems.append(f"{r}: line belongs to the document at {citing}")
        line = lines[r["line"] - 1]
        after = "".join(s.strip() for s in lines[r["line"] : r["line"] + 6])
        quoted = f"《{r['cited_title']}》"
        if not any(
            (line[i:].rstrip() + after).startswith(quoted)
            for i, ch in enumerate(line)
            if ch == "《"
        ):
            problems.append(f"{r}: {quoted} does not open on line {r['line']}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("title", "other"),
    [
        pytest.param(
            "中共中央、国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见",
            "中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见",
            id="中共中央、国务院-vs-space",
        ),
        pytest.param("2030 年前碳达峰行动方案", "2030年前碳达峰行动方案", id="space-before-年"),
        pytest.param(
            "新型储能项目管理规范（暂行）", "新型储能项目管理规范(暂行)", id="full-width-parens"
        ),
    ],
)
def test_normalise_title_merges_printed_variants(title: str, other: str) -> None:
    assert normalise_title(title) == normalise_title(other)


def test_score_counts_a_wrong_target_as_a_miss() -> None:
    gold = [Mention(citing=4544, line=5507, title="意见", cited=4013, relation="implements")]
    right = Mention(citing=4544, line=5508, title="意见", cited=4013, relation="implements")
    wrong = Mention(citing=4544, line=5507, title="意见", cited=None, relation="implements")
    assert score([right], gold)[:2] == (1.0, 1.0)
    assert score([wrong], gold)[:2] == (0.0, 0.0)


@pytest.fixture(scope="module")
def compilation_citations(compilation_docs: LoadedDocuments) -> list[Citation]:
    """find_citations over the whole bundled compilation."""
    from policykg.loaders.citations import find_citations

    citations, _problems = find_citations(list(compilation_docs.documents))
    return citations


@pytest.mark.slow
def test_find_citations_scores_on_the_gold_sample(
    compilation_docs: LoadedDocuments, compilation_citations: list[Citation]
) -> None:
    start_of = {doc.id: doc.start_line for doc in compilation_docs.documents}
    predicted = [
        Mention(
            citing=start_of[c.doc_id],
            line=c.line,
            title=normalise_title(c.cited_title),
            cited=None if c.cited_doc_id is None else start_of[c.cited_doc_id],
            relation=str(c.relation),
        )
        for c in compilation_citations
        if start_of[c.doc_id] in SAMPLED_DOCUMENTS
    ]
    precision, recall, notes = score(predicted, _gold())
    print(f"citations: precision {precision:.3f}, recall {recall:.3f}")  # noqa: T201
    report = "\n".join(notes)
    assert precision >= THRESHOLD, f"precision {precision:.3f}\n{report}"
    assert recall >= THRESHOLD, f"recall {recall:.3f}\n{report}"
