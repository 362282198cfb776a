"""Record I/O: a Corpus (paragraphs included) round-trips through JSON; damage is reported."""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import pytest

from policykg.errors import StoreError
from policykg.recordio import (
    INDEX,
    INDEX_FIELDS,
    KINDS,
    LazyRecords,
    body_json,
    corpus_to_json,
    index_to_json,
    read_corpus,
    read_index,
    read_records,
    with_bodies,
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
    # written from the texts corpus.json has too: the bytes of one dump of index_to_json
    assert (tmp_path / "records" / INDEX).read_text("utf-8") == json.dumps(
        index_to_json(corpus), ensure_ascii=False, separators=(",", ":")) + "\n"


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
    streamed = io.BytesIO()
    _dump_corpus(corpus, streamed)
    assert streamed.getvalue().decode("utf-8") == json.dumps(
        corpus_to_json(corpus), ensure_ascii=False, separators=(",", ":"))
    assert len(corpus.documents) > 1


def _lazy(corpus: Corpus, where: str = "cache/x.jsonl", *, utf8: bool = False) -> Corpus:
    """``corpus`` as a store's cache gives it back: sections and paragraphs as JSON text (in
    UTF-8 bytes, as ``pipeline`` reads a cache file, with ``utf8``)."""
    texts: list[str | bytes] = [text for d in corpus.documents for text in body_json(d)]
    if utf8:
        texts = [str(t).encode("utf-8") for t in texts]
    light = dataclasses.replace(corpus, documents=tuple(
        dataclasses.replace(d, sections=(), paragraphs=()) for d in corpus.documents))
    return with_bodies(light, texts, where)


def test_cached_sections_and_paragraphs_are_written_as_read(corpus: Corpus,
                                                            tmp_path: Path) -> None:
    lazy, utf8 = _lazy(corpus), _lazy(corpus, utf8=True)
    assert all(type(d.paragraphs) is LazyRecords for d in lazy.documents)
    write_records(tmp_path / "eager", corpus)
    write_records(tmp_path / "lazy", lazy)
    write_records(tmp_path / "utf8", utf8)
    for name in sorted(p.name for p in (tmp_path / "eager" / "records").iterdir()):
        for held in ("lazy", "utf8"):
            assert (tmp_path / held / "records" / name).read_bytes() == (
                tmp_path / "eager" / "records" / name).read_bytes(), (held, name)
    # sections.jsonl from the rows the cache holds: no section was decoded to write it
    assert not any(d.sections._items for d in lazy.documents)  # type: ignore[attr-defined]
    # and they read back as the records they stand for
    assert lazy == corpus
    assert utf8 == corpus
    assert read_corpus(tmp_path / "lazy") == corpus


def test_bodies_made_for_a_cache_entry_are_written_as_made(
        corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykg import recordio

    write_records(tmp_path / "eager", corpus)
    made = [body_json(d) for d in corpus.documents]
    encode = recordio._encode
    encoded: list[object] = []

    def counted(value: object) -> object:
        encoded.append(value)
        return encode(value)

    monkeypatch.setattr(recordio, "_encode", counted)
    write_records(tmp_path / "made", corpus)
    # the texts body_json made are written as they are: no paragraph is encoded again
    assert not any(isinstance(v, Paragraph) for v in encoded)
    assert encoded  # the documents' other fields are
    assert not recordio._BODIES_MADE  # and write_records forgets them
    for name in sorted(p.name for p in (tmp_path / "eager" / "records").iterdir()):
        assert (tmp_path / "made" / "records" / name).read_bytes() == (
            tmp_path / "eager" / "records" / name).read_bytes(), name
    assert f'"paragraphs":{made[1][1]}' in (tmp_path / "made" / "records" / "corpus.json"
                                             ).read_text(encoding="utf-8")


def test_lazy_records_behave_as_their_tuple(corpus: Corpus) -> None:
    doc = corpus.documents[2]
    for field, lazy in [(f, _lazy(corpus, utf8=u).documents[2]) for f in ("sections",
                                                                          "paragraphs")
                        for u in (False, True)]:
        real, held = getattr(doc, field), getattr(lazy, field)
        assert held == real
        assert real == held
        assert hash(held) == hash(real)
        assert len(held) == len(real)
        assert list(held) == list(real)
        assert held[:1] == real[:1]
        assert bool(held) == bool(real)
        assert pickle.loads(pickle.dumps(held)) == real
        assert type(pickle.loads(pickle.dumps(held))) is tuple
    assert _lazy(corpus).documents[2].paragraphs[0].line_at(40) == 6090


def test_cached_text_is_decoded_only_when_read(corpus: Corpus) -> None:
    texts = [text for d in corpus.documents for text in body_json(d)]
    texts[7] = '[{"text": 1'  # the third document's paragraphs: damaged
    light = dataclasses.replace(corpus, documents=tuple(
        dataclasses.replace(d, sections=(), paragraphs=()) for d in corpus.documents))
    lazy = with_bodies(light, texts, "cache/x.jsonl")
    assert lazy.documents[2].title == corpus.documents[2].title
    assert lazy.documents[3].paragraphs == corpus.documents[3].paragraphs
    with pytest.raises(StoreError, match=r"cache/x\.jsonl: damaged records"):
        len(lazy.documents[2].paragraphs)
    with pytest.raises(StoreError, match="2 lines for the sections and paragraphs of"):
        with_bodies(light, texts[:2], "cache/x.jsonl")


def test_section_starts_are_read_from_the_cached_text(corpus: Corpus) -> None:
    from policykg.recordio import section_starts

    for eager, lazy in zip(corpus.documents, _lazy(corpus).documents, strict=True):
        expected = [s.start_line for s in eager.sections]
        assert section_starts(eager.sections) == expected
        assert section_starts(lazy.sections) == expected
        assert lazy.sections._items is None  # type: ignore[attr-defined]
    utf8 = _lazy(corpus, utf8=True).documents
    assert [section_starts(d.sections) for d in utf8] == [
        [s.start_line for s in d.sections] for d in corpus.documents]
    assert any(d.sections for d in corpus.documents)


def test_corpus_json_is_the_corpus_as_json(corpus: Corpus, tmp_path: Path) -> None:
    """``corpus.json`` as written (fields encoded once for it and for the index and rows)
    is ``json.dumps(corpus_to_json(corpus))``, sector tags included."""
    tagged = dataclasses.replace(corpus, sectors=(
        SectorTag(subject_id=corpus.documents[0].id, sector="energy", terms=("能源", "节能")),
        SectorTag(subject_id=corpus.tasks[0].id, sector="transport", terms=("交通",))))
    write_records(tmp_path, tagged)
    written = (tmp_path / "records" / "corpus.json").read_text("utf-8")
    assert written == json.dumps(corpus_to_json(tagged), ensure_ascii=False,
                                 separators=(",", ":")) + "\n"
    rows = (tmp_path / "records" / "sectors.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(r) for r in rows] == [
        {"subject_id": corpus.documents[0].id, "sector": "energy", "terms": ["能源", "节能"]},
        {"subject_id": corpus.tasks[0].id, "sector": "transport", "terms": ["交通"]}]


def test_tasks_and_targets_are_written_as_their_cache_texts(corpus: Corpus,
                                                           tmp_path: Path) -> None:
    """Tasks and targets read from a cache entry's texts are written as those texts: the
    same bytes as the records encoded anew, without encoding them."""
    from policykg import recordio
    from policykg.recordio import records_from_text, records_text
    from policykg.records import Target, Task

    tasks = records_from_text(Task, *records_text(corpus.tasks), "cache/x")
    targets = records_from_text(Target, *records_text(corpus.targets), "cache/x")
    assert tasks == corpus.tasks
    assert targets == corpus.targets
    assert tasks
    assert targets
    write_records(tmp_path / "eager", corpus)
    cached = dataclasses.replace(corpus, tasks=records_from_text(
        Task, *records_text(corpus.tasks), "cache/x"), targets=records_from_text(
        Target, *records_text(corpus.targets), "cache/x"))
    real = recordio._encode

    def no_task_or_target(value: object) -> object:
        assert not isinstance(value, Task | Target), "encoded again"
        return real(value)

    recordio._encode = no_task_or_target  # type: ignore[assignment]
    try:
        write_records(tmp_path / "cached", cached)
    finally:
        recordio._encode = real
    for name in ("corpus.json", "index.json", "tasks.jsonl", "targets.jsonl"):
        assert (tmp_path / "cached" / "records" / name).read_bytes() == (
            tmp_path / "eager" / "records" / name).read_bytes(), name
    assert recordio._TEXTS_MADE == {}
