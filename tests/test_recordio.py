"""Record I/O: a Corpus (paragraphs included) round-trips through JSON; damage is reported."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from policykg.errors import StoreError
from policykg.recordio import (
    INDEX,
    INDEX_FIELDS,
    KINDS,
    read_corpus,
    read_index,
    read_records,
    write_records,
)
from policykg.records import Corpus, DateSource, Paragraph, SectorTag

MINI = Path(__file__).resolve().parent / "data" / "fixtures" / "graph_mini"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    mini = read_corpus(MINI)
    # compilation lines 6088-6090: one paragraph wrapped over two printed lines
    para = Paragraph(
        text="到 2025年，新能源汽车新车销售量达到汽车新车销售总量的 20%左右，"
        "铁路、水路货运量占比进一步提升。",
        start_line=6088,
        end_line=6090,
        offsets=((0, 6088), (31, 6090)),
    )
    doc = dataclasses.replace(mini.documents[2], paragraphs=(para,))
    return dataclasses.replace(mini, documents=(*mini.documents[:2], doc, *mini.documents[3:]))


def test_full_round_trip_is_equal(corpus: Corpus, tmp_path: Path) -> None:
    write_records(tmp_path, corpus)
    back = read_corpus(tmp_path)
    assert back == corpus
    assert back.documents[2].paragraphs[0].line_at(40) == 6090
    assert back.documents[3].date_source is DateSource.SIGN_OFF


def test_jsonl_files_hold_interface_fields(corpus: Corpus, tmp_path: Path) -> None:
    counts = write_records(tmp_path, corpus)
    assert set(counts) == set(KINDS)
    docs = read_records(tmp_path, "documents")
    assert [d["id"] for d in docs] == [d.id for d in corpus.documents]
    assert docs[3]["issuers"] == ["国家发展改革委", "国家能源局"]
    tasks = read_records(tmp_path, "tasks")
    assert tasks[0] == corpus.tasks[0].to_json()
    assert read_records(tmp_path, "sectors")[0] == {
        "subject_id": "p2-1.6-t4", "sector": "transport", "terms": ["交通", "物流"],
    }


def test_sector_tags_argument_overrides_corpus(corpus: Corpus, tmp_path: Path) -> None:
    tags = (SectorTag(subject_id="p2-1.4", sector="industry", terms=("工业",)),)
    write_records(tmp_path, corpus, tags)
    assert read_corpus(tmp_path).sectors == tags


def test_missing_store_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no records here"):
        read_corpus(tmp_path)


def test_damaged_corpus_json_is_a_store_error(corpus: Corpus, tmp_path: Path) -> None:
    write_records(tmp_path, corpus)
    (tmp_path / "records" / "corpus.json").write_text('{"format": 1, "documents": [', "utf-8")
    with pytest.raises(StoreError, match="damaged"):
        read_corpus(tmp_path)


def test_wrong_format_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "corpus.json").write_text(json.dumps({"format": 99}), "utf-8")
    with pytest.raises(StoreError, match="format 1"):
        read_corpus(tmp_path)


def test_damaged_jsonl_names_its_line(corpus: Corpus, tmp_path: Path) -> None:
    write_records(tmp_path, corpus)
    path = tmp_path / "records" / "tasks.jsonl"
    path.write_text(path.read_text("utf-8") + "{broken\n", "utf-8")
    with pytest.raises(StoreError, match=r"tasks\.jsonl:2: damaged"):
        read_records(tmp_path, "tasks")


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown record kind"):
        read_records(tmp_path, "paragraphs")


# ---- records/index.json: the light records of who, duties, docs and show (issue 3) ----


def _light(corpus: Corpus, *, sections: bool, targets: bool) -> Corpus:
    docs = tuple(dataclasses.replace(d, paragraphs=(), sections=d.sections if sections else ())
                 for d in corpus.documents)
    return Corpus(documents=docs, agencies=corpus.agencies, tasks=corpus.tasks,
                  targets=corpus.targets if targets else ())


@pytest.mark.parametrize(
    ("sections", "targets"),
    [
        pytest.param(False, False, id="who-duties-docs"),
        pytest.param(True, True, id="show"),
        pytest.param(True, False, id="sections-only"),
    ],
)
def test_index_holds_the_light_records(
    corpus: Corpus, tmp_path: Path, sections: bool, targets: bool
) -> None:
    write_records(tmp_path, corpus)
    back = read_index(tmp_path, sections=sections, targets=targets)
    assert back == _light(corpus, sections=sections, targets=targets)
    assert back.documents[2].title == "“十四五”节能减排综合工作方案"
    assert (len(back.documents[2].sections) == 2) is sections


def test_index_leaves_out_paragraphs_and_sections(corpus: Corpus, tmp_path: Path) -> None:
    write_records(tmp_path, corpus)
    data = json.loads((tmp_path / "records" / INDEX).read_text("utf-8"))
    assert set(data) == {"format", *INDEX_FIELDS}
    assert {len(d["paragraphs"]) + len(d["sections"]) for d in data["documents"]} == {0}
    # the paragraph of lines 6088-6090 is in corpus.json only
    assert '"offsets"' in (tmp_path / "records" / "corpus.json").read_text("utf-8")
    assert '"offsets"' not in (tmp_path / "records" / INDEX).read_text("utf-8")


def test_store_without_index_is_read_from_corpus_json(corpus: Corpus, tmp_path: Path) -> None:
    write_records(tmp_path, corpus)
    (tmp_path / "records" / INDEX).unlink()
    assert read_index(tmp_path) == _light(corpus, sections=False, targets=False)
    assert read_index(tmp_path, sections=True, targets=True) == _light(
        corpus, sections=True, targets=True)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param('{"format": 1, "documents": [', "damaged", id="cut-short"),
        pytest.param('{"format": 99}', "format 1", id="wrong-format"),
        pytest.param('{"format": 1, "documents": [], "agencies": []}', "no tasks, targets",
                     id="missing-lists"),
        pytest.param('{"format": 1, "documents": [{"id": 3}], "agencies": [], "tasks": [],'
                     ' "targets": []}', "cannot rebuild Document", id="bad-document"),
        pytest.param('{"format": 1, "documents": [], "agencies": [{"id": "x", "name": "x",'
                     ' "aliases": [], "level": "galactic", "jurisdiction": null,'
                     ' "parent": null}], "tasks": [], "targets": []}',
                     "cannot rebuild Agency", id="unknown-level"),
    ],
)
def test_damaged_index_is_a_store_error(tmp_path: Path, text: str, match: str) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "corpus.json").write_text("{}", "utf-8")
    (tmp_path / "records" / INDEX).write_text(text, "utf-8")
    with pytest.raises(StoreError, match=match):
        read_index(tmp_path)


def test_index_of_an_empty_folder_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no records here"):
        read_index(tmp_path)


def test_corpus_json_is_streamed_with_the_bytes_of_one_dump() -> None:
    """write_records writes corpus.json record by record (bounded memory), same bytes."""
    import io

    from policykg.recordio import _dump_corpus, corpus_to_json, read_corpus

    corpus = read_corpus(MINI)
    streamed = io.StringIO()
    _dump_corpus(corpus, streamed)
    assert streamed.getvalue() == json.dumps(
        corpus_to_json(corpus), ensure_ascii=False, separators=(",", ":"))
    assert len(corpus.documents) > 1
