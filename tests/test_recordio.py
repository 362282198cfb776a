"""Record I/O: a Corpus (paragraphs included) round-trips through JSON; damage is reported."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from policykg.errors import StoreError
from policykg.recordio import KINDS, read_corpus, read_records, write_records
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
