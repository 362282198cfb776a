"""Segmentation and agency mentions (the spaCy + jieba pipeline, offline), and the word table
``segment`` reads instead of jieba's whole dictionary (issue 3: a cold ``who`` starts fast)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykg.loaders import words
from policykg.loaders.agencies import Registry, load_registry
from policykg.loaders.nlp import (
    CACHE_ENV,
    build_pipeline,
    domain_words,
    find_agency_mentions,
    segment,
    word_table,
)
from policykg.records import Corpus


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The packaged registry."""
    return load_registry()


@pytest.fixture(scope="session")
def zh_nlp(registry: Registry) -> object:
    """The blank zh pipeline with jieba, built once (as spaCy's zh_tokenizer_jieba)."""
    return build_pipeline(registry)


def test_pipeline_is_blank_zh_with_jieba_and_a_ruler(zh_nlp: object, registry: Registry) -> None:
    assert build_pipeline(registry) is zh_nlp
    assert zh_nlp.lang == "zh"  # type: ignore[attr-defined]
    assert zh_nlp.pipe_names == ["entity_ruler"]  # type: ignore[attr-defined]
    assert zh_nlp.tokenizer.segmenter == "jieba"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("碳达峰", id="碳达峰"),
        pytest.param("碳中和", id="碳中和"),
        pytest.param("减污降碳", id="减污降碳"),
        pytest.param("非化石能源", id="非化石能源"),
    ],
)
def test_domain_words_stay_whole(zh_nlp: object, word: str) -> None:
    assert word in domain_words()
    # line 19056: 减污降碳协同增效实施方案
    assert word in segment(f"推进{word}协同增效工作")


@pytest.mark.parametrize(
    "name",
    ["国家发展改革委", "住房城乡建设部", "国管局", "宁东能源化工基地管委会", "人行南昌中心支行"],
)
def test_registry_names_stay_whole(zh_nlp: object, name: str) -> None:
    assert name in segment(f"由{name}负责")


def test_segment_drops_punctuation(zh_nlp: object) -> None:
    assert segment("碳达峰、碳中和。") == ["碳达峰", "碳中和"]


@pytest.mark.parametrize(
    ("text", "jurisdiction", "ids"),
    [
        pytest.param("由国家发展改革委、国家能源局负责牵头", None, ["ndrc", "nea"],
                     id="line8011-running-text"),
        pytest.param("浙江省经济和信息化厅 浙江省发展和改革委员会", None,
                     ["zhejiang-econ-it", "zhejiang-drc"], id="line36284-sign-off"),
        pytest.param("省发展改革委要会同有关部门强化统筹协调和督促指导", "jiangxi",
                     ["jiangxi-drc"], id="line36779-relative-in-jurisdiction"),
        pytest.param("联合省应急管理厅、能源局加强煤炭开采", "jiangsu",
                     ["jiangsu-emergency", "jiangsu-energy"], id="line33288-relative-names"),
        pytest.param("省发展改革委要会同有关部门强化统筹协调", None, [],
                     id="relative-without-jurisdiction-left-out"),
    ],
)
def test_find_agency_mentions(
    zh_nlp: object, registry: Registry, text: str, jurisdiction: str | None, ids: list[str]
) -> None:
    mentions = find_agency_mentions(text, registry, jurisdiction)
    assert [m.agency_id for m in mentions] == ids
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_segment_agrees_with_the_pipeline_tokenizer(zh_nlp: object) -> None:
    # line 6011: the 节能减排 plan's first annotation, as running text
    text = "工业和信息化部、国家发展改革委、生态环境部等按职责分工负责，推进减污降碳。"
    tokens = [t.text for t in zh_nlp.make_doc(text)]  # type: ignore[attr-defined]
    assert segment(text) == [t for t in tokens if t not in "、，。"]


# ---- the word table: segment's words without loading jieba's dictionary (issue 3) ----

#: Queries as users type them: phrases of the compilation, the registry's short names, words
#: the compilation lacks (电动自行车, 人工智能: the table must split them as jieba does), and
#: mixed digits and Latin letters.
QUERIES = (
    "碳排放权交易", "可再生能源", "推动新能源汽车在城市公交领域的应用", "新能源汽车",
    "光伏发电", "大型风电光伏基地", "氢能", "氢能源", "储能", "抽水蓄能", "煤电机组改造升级",
    "煤炭消费总量控制", "能源消费双控", "用能权交易", "绿色电力交易", "绿色建筑", "超低能耗建筑",
    "既有建筑节能改造", "建筑光伏一体化", "北方地区清洁取暖", "甲烷排放控制", "非二氧化碳温室气体",
    "碳捕集利用与封存", "CCUS示范项目", "碳汇能力", "森林覆盖率", "国土绿化", "海洋碳汇",
    "减污降碳协同增效", "节能减排", "钢铁行业碳达峰", "水泥熟料产能", "电解铝", "石化化工",
    "数据中心能效", "5G基站节能", "铁路货运量占比", "公转铁", "多式联运", "充电基础设施",
    "电动自行车充电", "人工智能", "碳足迹", "碳标签", "绿色金融", "碳减排支持工具", "绿色债券",
    "气候投融资", "统计核算体系", "碳排放统计核算", "计量体系", "标准体系建设", "2030年前碳达峰",
    "2060年前碳中和", "非化石能源消费比重达到25%", "单位国内生产总值能耗下降13.5%",
    "谁负责可再生能源消纳", "国家发展改革委牵头的任务", "住房城乡建设部负责建筑节能",
    "生态环境部", "国家能源局", "国管局 公共机构节能", "宁夏 能源化工基地", "人行南昌中心支行",
    "垃圾分类和资源化利用", "塑料污染治理", "废旧物资循环利用", "再生资源回收", "大宗固废综合利用",
    "农业农村减排固碳", "化肥农药减量", "乡村振兴 清洁能源", "县域 分布式光伏",
    "城市更新", "海绵城市", "节水型社会", "生态保护修复", "湿地保护", "草原生态",
    "干部培训 碳达峰碳中和", "国际合作", "南南合作", "一带一路绿色发展", "科技创新 低碳技术",
    "关键核心技术攻关", "高校 碳中和 学科", "能效标识", "绿色产品认证", "政府绿色采购",
    "公众参与 绿色生活", "节约型机关", "绿色出行", "碳普惠", "温室气体自愿减排",
    "督察考核", "目标责任评价考核", "地方各级人民政府", "各有关部门按职责分工负责", "责任单位",
)


@pytest.fixture(scope="module")
def word_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of its own for the word table (written once per module, about 2 s)."""
    folder = tmp_path_factory.mktemp("word-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(folder))
        table = word_table()
        assert table is not None
        assert table.parent == folder
        yield folder


def test_word_table_is_written_once_and_reused(word_cache: Path) -> None:
    (table,) = word_cache.glob("jieba-*.words")
    stamp = table.stat().st_mtime_ns
    assert word_table() == table
    assert segment("碳排放权交易") == ["碳排放权交易"]
    assert table.stat().st_mtime_ns == stamp
    assert not list(word_cache.glob("*.tmp"))


@pytest.mark.parametrize("query", QUERIES, ids=QUERIES)
def test_table_segments_like_the_whole_dictionary(word_cache: Path, query: str) -> None:
    assert segment(query) == segment(query, table=False)


def test_no_writable_cache_falls_back_to_the_whole_dictionary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert word_table() is None
    # line 6374: 加强用能权交易与碳排放权交易的统筹衔接
    assert segment("加强用能权交易与碳排放权交易的统筹衔接") == [
        "加强", "用能权", "交易", "与", "碳排放权交易", "的", "统筹", "衔接"]


def test_damaged_table_falls_back_to_the_whole_dictionary(
    word_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (table,) = word_cache.glob("jieba-*.words")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / table.name).write_bytes(b"not a word table" * 100)
    monkeypatch.setenv(CACHE_ENV, str(damaged))
    with caplog.at_level(logging.WARNING, logger="policykg.loaders.nlp"):
        words = segment("推动新能源汽车在城市公交领域的应用")
    assert words == ["推动", "新能源汽车", "在", "城市公交", "领域", "的", "应用"]
    assert "cannot read the word table" in caplog.text


def test_a_new_table_leaves_other_keys_tables_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, word_cache: Path
) -> None:
    """Another checkout's table (another registry) survives this checkout's build."""
    (table,) = word_cache.glob("jieba-*.words")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    other = tmp_path / "jieba-0123456789abcdef0123.words"
    other.write_bytes(b"")
    fresh = word_table()
    assert fresh == tmp_path / table.name
    assert other.exists()


def _jieba_copy(folder: Path, mtime_ns: int, extra: bytes = b"") -> Path:
    """A copy of jieba's files the key reads, with its dictionary's time set (and words added)."""
    found = words.jieba_dir()
    assert found is not None
    source = Path(found)
    for rel in ("__init__.py", "dict.txt", "finalseg/__init__.py", "finalseg/prob_start.py",
                "finalseg/prob_trans.py", "finalseg/prob_emit.py"):
        copy = folder / "jieba" / rel
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes((source / rel).read_bytes() + (extra if rel == "dict.txt" else b""))
        os.utime(copy, ns=(mtime_ns, mtime_ns))
    return folder / "jieba"


def test_table_key_follows_the_content_not_the_file_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    keys = {}
    for name, mtime, extra in (("a", 10**18, b""), ("b", 2 * 10**18, b""),
                               ("c", 10**18, "碳达峰样本 3 n\n".encode())):
        copy = _jieba_copy(tmp_path / name, mtime, extra)
        monkeypatch.setattr(words, "jieba_dir", lambda copy=copy: str(copy))
        keys[name] = words.table_key()
        assert words.table_key() == keys[name]  # remembered: the same key again
    assert keys["a"] == keys["b"]  # same words installed at another time: one table
    assert keys["c"] != keys["a"]  # another dictionary: its own table
    # the key is remembered per file state: a cold process hashes nothing
    assert len(list((tmp_path / "cache").glob("words-key-*.txt"))) == 3


def test_segment_needs_no_jieba(word_cache: Path) -> None:
    """A process that segments with the table never imports jieba (a cold ``who``)."""
    import subprocess
    import sys

    code = ("import sys; from policykg.loaders.nlp import segment; "
            "print(segment('推动新能源汽车在城市公交领域的应用')); print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, CACHE_ENV: str(word_cache)}, check=True).stdout
    assert out.splitlines() == [
        "['推动', '新能源汽车', '在', '城市公交', '领域', '的', '应用']", "False"]


def test_the_hmm_cuts_unknown_runs_like_jieba(word_cache: Path) -> None:
    """Runs of characters no word covers go to the HMM (names, new words) as in jieba."""
    texts = ("韩冰冰在宁波市镇海区炼化一体化基地调研", "李小龙推动了氢燃料电池的示范应用",
             "岱山县、嵊泗县海上风电", "珠三角和粤东西北", "沪苏浙皖", "呼包鄂榆城市群",
             "abc123 4.5% 碳达峰x2", "\r\n  光伏  \t 电站", "")
    for text in texts:
        assert segment(text) == segment(text, table=False), text


@pytest.mark.slow
def test_table_segments_every_task_like_the_whole_dictionary(
    word_cache: Path, compilation_corpus: Corpus
) -> None:
    texts = [t.text for t in compilation_corpus.tasks]
    texts += sorted({h for t in compilation_corpus.tasks for h in t.section})
    differ = [t for t in texts if segment(t) != segment(t, table=False)]
    assert len(texts) > 500
    assert differ == []


@pytest.mark.slow
def test_who_ranks_alike_with_the_table(word_cache: Path, compilation_corpus: Corpus) -> None:
    from policykg.graph.search import who

    tasks, docs = compilation_corpus.tasks, compilation_corpus.documents
    for query in QUERIES:
        with_table = who(segment(query), tasks, docs, limit=20)
        whole = who(segment(query, table=False), tasks, docs, limit=20)
        assert [(h.task.id, h.score) for h in with_table] == [
            (h.task.id, h.score) for h in whole], query


# ---- agency mentions over the word table: the pipeline's entities without building it ----

_ISSUERS = Path(__file__).parents[1] / "data" / "fixtures" / "issuers_unresolved.tsv"


def _issuers() -> list[tuple[str, str | None]]:
    rows = [line.split("\t") for line in _ISSUERS.read_text("utf-8").splitlines()]
    return [(text, jurisdiction or None) for text, jurisdiction in rows]


def _mention_texts(registry: Registry) -> list[tuple[str, str | None]]:
    """Printed issuers the registry does not resolve, every name in running text, and
    names run together (where the longest match and the overlaps decide)."""
    names = sorted(set(registry.names()))
    texts = _issuers()
    texts += [(f"由{name}负责", None) for name in names]
    texts += [(f"{a}{b}", None) for a, b in zip(names, names[1:] + names[:1], strict=True)]
    texts += [(f"{a} {b}、{a}", "jiangsu") for a, b in zip(names[::7], names[3::7], strict=False)]
    return texts


def test_mentions_over_the_table_are_the_pipelines(
    word_cache: Path, zh_nlp: object, registry: Registry
) -> None:
    texts = _mention_texts(registry)
    assert len(texts) > 3000
    differ = [(text, j) for text, j in texts
              if find_agency_mentions(text, registry, j)
              != find_agency_mentions(text, registry, j, engine="spacy")]
    assert differ == []


def test_mentions_of_printed_issuers(word_cache: Path, registry: Registry) -> None:
    found = {text: [(m.text, m.agency_id) for m in find_agency_mentions(text, registry, j)]
             for text, j in _issuers()}
    # 人民银行天津分行天津银保监局 (a joint sign-off of two bodies, printed as one line)
    assert found["人民银行天津分行天津银保监局"] == [("人民银行", "pbc"),
                                                  ("银保监局", "cn120000-cbirc")]
    assert found["天津市工业和信息化局市机关事务管理局"] == [
        ("市机关事务管理局", "cn120000-ggj")]
    # a relative name without the document's jurisdiction names no one
    assert found["自治区人民政府办公厅"] == []


@pytest.mark.slow
def test_mentions_in_every_task_are_the_pipelines(
    word_cache: Path, zh_nlp: object, registry: Registry, compilation_corpus: Corpus
) -> None:
    texts = [t.text for t in compilation_corpus.tasks]
    texts += [p.text for d in compilation_corpus.documents[:40] for p in d.paragraphs]
    assert len(texts) > 1000
    differ = [text for text in texts
              if find_agency_mentions(text, registry, "jiangsu")
              != find_agency_mentions(text, registry, "jiangsu", engine="spacy")]
    assert differ == []


def test_mentions_need_neither_spacy_nor_jieba(word_cache: Path) -> None:
    """A process that resolves printed issuers (``policykg add`` of one PDF) builds no
    pipeline: importing spaCy and teaching jieba cost it about 3 s."""
    import subprocess
    import sys

    code = ("import sys; from policykg.loaders.agencies import load_registry; "
            "from policykg.loaders.nlp import find_agency_mentions as f; r = load_registry(); "
            "print([m.agency_id for m in f('人民银行天津分行天津银保监局', r, 'cn120000')]); "
            "print(f('自治区人民政府办公厅', r)); "
            "print('spacy' in sys.modules, 'jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, CACHE_ENV: str(word_cache)}, check=True).stdout
    assert out.splitlines() == ["['pbc', 'cn120000-cbirc']", "[]", "False False"]


def test_unknown_mention_engine(registry: Registry) -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        find_agency_mentions("生态环境部", registry, engine="regex")


def test_a_name_with_a_space_is_found_as_the_pipeline_finds_it(
    tmp_path: Path, word_cache: Path
) -> None:
    """A registry with a name printed with a space: the word-table path matches names on
    words without spaces, so such a registry goes to the pipeline, and the quick check that
    some name occurs in the text compares the names without their spaces."""
    from importlib import resources

    from policykg.loaders import nlp

    packaged = resources.files("policykg.loaders").joinpath("lexicons", "agencies.toml")
    path = tmp_path / "agencies.toml"
    path.write_text(packaged.read_text(encoding="utf-8") + '\n[[agency]]\nid = "test-joint"\n'
                    'name = "碳达峰 工作领导小组"\nlevel = "central"\n', encoding="utf-8")
    spaced = load_registry(path)
    text = "由碳达峰 工作领导小组负责"
    assert nlp._names_in(text, spaced)
    assert not nlp._squeezed_names(spaced)[2]
    assert find_agency_mentions(text, spaced) == find_agency_mentions(text, spaced,
                                                                       engine="spacy")
