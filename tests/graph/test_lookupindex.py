"""The indexed ranking of ``who``/``search`` gives the answers of the rule as first written.

``reference_rank`` is ``graph.fulltext.rank`` as it was before the index (every text
compacted and counted per query), kept here verbatim as the oracle.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from policykg.graph.fulltext import rank
from policykg.graph.search import who
from policykg.lookupindex import (
    K1,
    B,
    Grams,
    TaskIndex,
    TextIndex,
    lookup_blocks,
    lookup_text,
    min_match,
    query_terms,
    read_lookup,
    search_text,
)
from policykg.records import Corpus

_SPACE = re.compile(r"\s+")

#: Task phrases as users type them, none naming an agency (they are of the corpus's topics,
#: and some of none: 量子计算 must not match on 计算 alone).
QUERIES = (
    "光伏", "氢能", "绿色建筑", "碳排放权交易", "新能源汽车", "量子计算", "储能", "节能降碳",
    "可再生能源", "充电桩", "海上风电", "整县推进", "煤电机组", "绿色金融", "碳汇",
    "甲烷排放", "循环经济", "超低能耗建筑", "绿色低碳技术", "碳足迹", "电动汽车充电基础设施",
    "钢铁行业", "水泥 熟料", "生物质能", "抽水蓄能", "塑料污染治理", "碳捕集利用与封存",
    "绿色消费", "公共机构节能", "数据中心", "天然气 管网", "农村能源革命", "碳达峰",
    "减污降碳协同增效", "绿色 低碳 循环", "森林 草原 湿地", "的", "，", "碳 排放 权 交易",
)


def reference_rank(query: str, tokens: Sequence[str],
                   texts: Sequence[str]) -> list[tuple[int, bool, tuple[str, ...], float]]:
    """The rule before the index: ``graph.fulltext.rank`` of commit 7205d44, verbatim."""
    terms = query_terms(tokens)
    phrase = _SPACE.sub("", query)
    if not terms or not texts:
        return []
    need = min_match(len(terms))
    lengths = [max(len(t), 1) for t in texts]
    avg = sum(lengths) / len(lengths)
    n = len(texts)
    counts = [[t.count(term) for term in terms] for t in texts]
    df = [sum(1 for row in counts if row[i]) for i in range(len(terms))]
    idf = [math.log(1 + (n - d + 0.5) / (d + 0.5)) for d in df]
    out = []
    for i, (text, row, length) in enumerate(zip(texts, counts, lengths, strict=True)):
        matched = tuple(term for term, tf in zip(terms, row, strict=True) if tf)
        is_phrase = bool(phrase) and phrase in _SPACE.sub("", text)
        if len(matched) < need and not is_phrase:
            continue
        score = sum(
            idf[j] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
            for j, tf in enumerate(row) if tf
        )
        out.append((i, is_phrase, matched, score))
    out.sort(key=lambda r: (not r[1], -len(r[2]), -r[3], r[0]))
    return out


@pytest.fixture(scope="module")
def segmented() -> dict[str, list[str]]:
    from policykg.loaders.nlp import segment

    return {q: segment(q) for q in QUERIES}


def _ordered_texts(corpus: Corpus) -> list[str]:
    order = {d.id: i for i, d in enumerate(corpus.documents)}
    tasks = sorted(corpus.tasks, key=lambda t: (order[t.doc_id], t.start_line, t.id))
    return [search_text(t.text, t.section) for t in tasks]


def _indexes(texts: list[str]) -> list[TextIndex]:
    """The index scanning its texts, and the one reading bigram postings (after a round trip
    through their text form)."""
    grams = Grams.parse(Grams.of_texts(texts).postings_text())
    assert grams is not None
    # and in blocks of consecutive texts, each counted from 0 (as a lookup file keeps them)
    cuts = [0, 1, 7, len(texts) // 3, len(texts) // 2, len(texts)]
    blocks = [Grams.parse(Grams.of_texts(texts[a:b]).postings_text(), a)
              for a, b in itertools.pairwise(cuts)]
    assert all(b is not None for b in blocks)
    joined = Grams.joined([b for b in blocks if b is not None])
    return [TextIndex(texts), TextIndex(texts, grams), TextIndex(texts, joined)]


def test_index_ranks_the_tasks_as_the_rule(compilation_corpus: Corpus,
                                           segmented: dict[str, list[str]]) -> None:
    texts = _ordered_texts(compilation_corpus)
    indexes = _indexes(texts)
    matched = 0
    for q, tokens in segmented.items():
        expected = reference_rank(q, tokens, texts)
        for index in indexes:
            assert index.rank(q, tokens) == expected, q
            for limit in (1, 3, 10):
                assert index.rank(q, tokens, limit=limit) == expected[:limit], (q, limit)
        assert [(r.index, r.phrase, r.matched, r.score) for r in rank(q, tokens, texts)] \
            == expected, q
        matched += bool(expected)
    assert matched >= 30  # the set is realistic: most queries find tasks
    # real answers of the compilation (read in its text): 量子计算 is never 计算 alone
    for index in indexes:
        assert index.rank("量子计算", segmented["量子计算"]) == []
        top = index.rank("碳排放权交易", segmented["碳排放权交易"])[0]
        assert top[1]
        assert "碳排放权交易" in texts[top[0]]


def test_subsets_rank_with_their_own_statistics(compilation_corpus: Corpus,
                                                segmented: dict[str, list[str]]) -> None:
    """A filter (jurisdiction, level, document) ranks a subset: BM25 over the subset only."""
    texts = _ordered_texts(compilation_corpus)
    rng = random.Random(12)
    for index in _indexes(texts):
        for q, tokens in segmented.items():
            for share in (0.05, 0.3, 0.9):
                subset = sorted(rng.sample(range(len(texts)), max(1, int(share * len(texts)))))
                expected = [(subset[i], p, m, s) for i, p, m, s in
                            reference_rank(q, tokens, [texts[i] for i in subset])]
                assert index.rank(q, tokens, subset) == expected, (q, share)
        assert index.rank("光伏", segmented["光伏"], []) == []


def test_counts_are_str_count(segmented: dict[str, list[str]]) -> None:
    """Occurrences do not overlap and never cross from one text into the next; the phrase
    test ignores spaces and line breaks inside a text, not between texts."""
    texts = ["光伏光伏光伏", "光\n伏", "abab", "aba", "ba", "b a b a", "光", "伏光伏", "aaaa",
             "aa a", "光伏\n光伏", "伏光伏光伏"]
    for index in _indexes(texts):
        for q in ("光伏", "aba", "ab", "ba", "光 伏", "a", "伏光", "aa", "aaa", "伏光伏",
                  "光伏光伏", "b a"):
            tokens = q.split() or [q]
            assert index.rank(q, tokens) == reference_rank(q, tokens, texts), q
            assert index.rank(q, [q]) == reference_rank(q, [q], texts), q


def test_who_with_the_store_index_equals_who_without(compilation_corpus: Corpus,
                                                     segmented: dict[str, list[str]]) -> None:
    docs = compilation_corpus.documents
    index = TaskIndex.of_tasks(compilation_corpus.tasks, [d.id for d in docs], grams=True)
    part3 = [d for d in docs if d.part == 3]
    keep = {d.id for d in part3}
    some = [t for t in compilation_corpus.tasks if t.doc_id in keep]
    for q, tokens in segmented.items():
        for documents, tasks in ((docs, compilation_corpus.tasks), (part3, some)):
            plain = who(tokens, tasks, documents, limit=0, query=q)
            fast = who(tokens, tasks, documents, limit=0, query=q, index=index)
            assert [(h.task.id, h.score, h.title) for h in fast] == \
                [(h.task.id, h.score, h.title) for h in plain], q
    # a task of a document left out of ``documents`` ranks last: the index is not used
    tokens = segmented["光伏"]
    plain = who(tokens, compilation_corpus.tasks, part3, limit=0, query="光伏")
    fast = who(tokens, compilation_corpus.tasks, part3, limit=0, query="光伏", index=index)
    assert [h.task.id for h in fast] == [h.task.id for h in plain]


def test_lookup_file_round_trip(compilation_corpus: Corpus, tmp_path: Path) -> None:
    written = lookup_text(compilation_corpus.tasks, compilation_corpus.documents,
                          compilation_corpus.agencies)
    assert written is not None
    text, grams = written
    path, grams_path = tmp_path / "lookup.txt", tmp_path / "lookup-grams.txt"
    path.write_text(text, encoding="utf-8")
    grams_path.write_text(grams, encoding="utf-8")
    read = read_lookup(path, grams_path)
    assert read is not None
    assert read.grams is not None
    assert read_lookup(path, tmp_path / "none.txt") is None
    made = TaskIndex.of_tasks(compilation_corpus.tasks,
                              [d.id for d in compilation_corpus.documents])
    assert read.ids == made.ids
    assert read.texts == made.texts
    by_id = {t.id: t for t in compilation_corpus.tasks}
    for i, row in enumerate(read.task_rows(range(len(read)))):
        task = by_id[read.ids[i]]
        assert row == {k: task.to_json().get(k) if not isinstance(task.to_json().get(k), list)
                       else tuple(task.to_json()[k]) for k in row}
    docs = read.documents()
    assert len(docs) == len(compilation_corpus.documents)
    d = compilation_corpus.documents[0]
    assert docs[d.id] == (d.title, d.file)
    assert read.agency_names() == {a.id: a.name for a in compilation_corpus.agencies}
    # the same corpus writes the same bytes
    assert lookup_text(compilation_corpus.tasks, compilation_corpus.documents,
                       compilation_corpus.agencies) == written


def test_lookup_postings_blocks_are_reused_as_they_were(compilation_corpus: Corpus,
                                                        tmp_path: Path) -> None:
    """A store change passes the old postings blocks: unchanged documents' blocks are copied,
    and the file is the one made from nothing; a file of one block (older stores) is read."""
    corpus = compilation_corpus
    written = lookup_text(corpus.tasks, corpus.documents, corpus.agencies)
    assert written is not None
    path, grams_path = tmp_path / "lookup.txt", tmp_path / "lookup-grams.txt"
    path.write_text(written[0], encoding="utf-8")
    grams_path.write_text(written[1], encoding="utf-8")
    blocks = lookup_blocks(path, grams_path)
    with_tasks = {t.doc_id for t in corpus.tasks}
    assert len(blocks) == len(with_tasks) > 1
    assert lookup_text(corpus.tasks, corpus.documents, corpus.agencies, blocks) == written
    # a document gone: the others' blocks are reused, the result is the cold one
    first = next(d for d in corpus.documents if d.id in with_tasks)
    docs = [d for d in corpus.documents if d is not first]
    assert lookup_text(corpus.tasks, docs, corpus.agencies, blocks) == \
        lookup_text(corpus.tasks, docs, corpus.agencies)
    # the blocks given are the ones written
    assert lookup_text(corpus.tasks, corpus.documents, corpus.agencies,
                       {k: "\x1d" for k in blocks}) != written
    # the postings file of an older store: one block without its start
    index = read_lookup(path)
    assert index is not None
    old = Grams.of_texts(index.texts).postings_text()
    grams_path.write_text(f"policykg-lookup 5 {len(index)}\n{old}\n", encoding="utf-8")
    read = read_lookup(path, grams_path)
    assert read is not None
    assert read.grams is not None
    assert read.grams.postings("碳排") == Grams.of_texts(index.texts).postings("碳排")
    assert lookup_blocks(path, grams_path) == {}


def test_lookup_file_refused_when_damaged_or_missing(tmp_path: Path) -> None:
    assert read_lookup(tmp_path / "none.txt") is None
    bad = tmp_path / "bad.txt"
    bad.write_text("policykg-lookup 9 0 0\x1d\x1d\x1d\x1d\x1d\n", encoding="utf-8")
    assert read_lookup(bad) is None
    bad.write_text("policykg-lookup 5 2 0\x1da\x1dx\x1dr\x1d\x1d\n", encoding="utf-8")
    assert read_lookup(bad) is None  # two tasks announced, one there
    bad.write_text("policykg-lookup 5 1 1\x1da\x1dx\x1dr\x1d\x1d\n", encoding="utf-8")
    assert read_lookup(bad) is None  # a document announced, none there
    bad.write_text("policykg-lookup 2 1 0\x1da\x1dx\x1dr\x1d\n", encoding="utf-8")
    assert read_lookup(bad) is None  # an older format: the records answer
    bad.write_bytes(b"policykg-lookup 5 1 0\x1da\x1d\xff\x1dr\x1d\x1d\n")
    assert read_lookup(bad) is None  # not UTF-8
    bad.write_text("policykg-lookup 5 1 0\x1da\x1dx\x1dr\x1d\n", encoding="utf-8")
    assert read_lookup(bad) is None  # a part missing
    bad.write_text("policykg-lookup 5 1 0\x1da\x1dx\x1dr\x1d\x1d\x1d\n", encoding="utf-8")
    assert read_lookup(bad) is None  # a part too many
    bad.write_text("policykg-lookup 5 1 0\x1da\x1dx\x1dr\x1d\x1d\n\n\n", encoding="utf-8")
    good = read_lookup(bad)  # newlines after the last part are no part
    assert good is not None
    assert (good.ids, good.texts, good._row(0)) == (["a"], ["x"], b"r")


def test_lookup_of_no_task(tmp_path: Path) -> None:
    written = lookup_text([], [], [])
    assert written is not None
    path, grams_path = tmp_path / "lookup.txt", tmp_path / "lookup-grams.txt"
    path.write_text(written[0], encoding="utf-8")
    grams_path.write_text(written[1], encoding="utf-8")
    assert lookup_blocks(path, grams_path) == {}
    read = read_lookup(path, grams_path)
    assert read is not None
    assert read.grams is not None
    assert len(read) == 0
    assert read.rank("碳", ["碳"]) == []


def test_plain_is_no_whitespace_and_no_separator_at_every_code_point() -> None:
    from policykg.lookupindex import _CONTROL, _plain

    def reference(word: str) -> bool:
        return not any(c.isspace() or c in _CONTROL for c in word)

    chars = [chr(c) for c in range(0x110000)]
    assert [_plain(c) for c in chars] == [reference(c) for c in chars]
    # and in bigrams with CJK, Latin, the space, a line break and a separator
    for a, b in itertools.product("碳a \n\u3000\x1f\u200b", repeat=2):
        assert _plain(a + b) == reference(a + b), repr(a + b)
