"""The query segmenter's scans and the lookup's text tests against the regular expressions
they replaced (jieba 0.42.1's patterns, ``^[\\s\\W_]+$``, ``\\s+``, ``\\s*`` between the
characters of a phrase): the same result on every code point and on any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policykg import lookupindex
from policykg.loaders.words import _apart, _is_han, _is_ideograph, _numbers_apart, _runs
from policykg.lookupindex import TextIndex, compact, is_noise

# jieba/__init__.py and jieba/finalseg/__init__.py (0.42.1), verbatim
RE_HAN_DEFAULT = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
RE_SKIP_DEFAULT = re.compile("(\r\n|\\s)", re.U)
RE_HAN_FINALSEG = re.compile("([\u4E00-\u9FD5]+)")
RE_SKIP_FINALSEG = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
# the lookup's rules as they were written (policykg/lookupindex.py until 2026-12-07)
NOISE = re.compile(r"^[\s\W_]+$")
SPACE = re.compile(r"\s+")

_EVERY = [chr(cp) for cp in range(0x110000)]  # lone surrogates included

# texts of the characters the scans tell apart: ideographs at the class edges, ASCII letters
# and digits, the class's symbols, Unicode digits, whitespace of every kind, \r\n
_PIECES = st.sampled_from([
    "碳", "达峰", "\u4e00", "\u9fd5", "\u9fd6", "\u4dff", "CO2", "a", "Z", "9", "+", "#", "&",
    ".", "_", "%", "-", "18.5%", "2.", ".5", "٣", "５", "１２", "\r\n", "\r", "\n", " ", "\t",
    "\u3000", "\xa0", "\x1f", "\x1c", "\x85", "²", "，", "。", "（", "“", "ｱ", "🌍", "𠀀", "é",
])
_TEXTS = st.lists(_PIECES, max_size=16).map("".join) | st.text(max_size=40)


def test_the_classes_at_every_code_point() -> None:
    assert [c for c in _EVERY if _is_han(c)] == [c for c in _EVERY
                                                 if RE_HAN_DEFAULT.fullmatch(c)]
    assert [c for c in _EVERY if _is_ideograph(c)] == [c for c in _EVERY
                                                       if RE_HAN_FINALSEG.fullmatch(c)]


def test_noise_and_whitespace_at_every_code_point() -> None:
    assert [c for c in _EVERY if is_noise(c)] == [c for c in _EVERY if NOISE.match(c)]
    assert [c for c in _EVERY if not compact(c)] == [c for c in _EVERY if SPACE.fullmatch(c)]


@pytest.mark.parametrize("pattern", [RE_HAN_DEFAULT, RE_HAN_FINALSEG], ids=["jieba", "finalseg"])
@given(text=_TEXTS)
def test_runs_are_the_split_by_the_class(pattern: re.Pattern[str], text: str) -> None:
    inside = _is_han if pattern is RE_HAN_DEFAULT else _is_ideograph
    expected = [(bool(pattern.match(b)), b) for b in pattern.split(text) if b]
    assert _runs(text, inside) == expected


@given(text=_TEXTS)
def test_apart_is_jiebas_cut_outside_the_class(text: str) -> None:
    block = "".join(c for c in text if not _is_han(c))
    expected: list[str] = []
    for x in RE_SKIP_DEFAULT.split(block):  # jieba.Tokenizer.cut, cut_all=False
        if RE_SKIP_DEFAULT.match(x):
            expected.append(x)
        else:
            expected += list(x)
    assert _apart(block) == expected


@pytest.mark.parametrize("block", ["2.²", "2.٣4%", "CO2.", "a.b", "x%%", "1.5.6", "..9"])
def test_numbers_apart_examples(block: str) -> None:
    assert _numbers_apart(block) == [x for x in RE_SKIP_FINALSEG.split(block) if x]


@given(text=_TEXTS)
def test_numbers_apart_is_finalsegs_split(text: str) -> None:
    block = "".join(c for c in text if not _is_ideograph(c))
    assert _numbers_apart(block) == [x for x in RE_SKIP_FINALSEG.split(block) if x]


@given(text=_TEXTS)
def test_noise_and_compact_on_any_text(text: str) -> None:
    assert is_noise(text) is bool(NOISE.match(text))
    assert compact(text) == SPACE.sub("", text)


def _phrase_by_pattern(texts: list[str], phrase: str) -> set[int]:
    pattern = re.compile(r"\s*".join(map(re.escape, phrase)))
    return {i for i, t in enumerate(texts) if pattern.search(t)}


@pytest.mark.parametrize(("texts", "phrase", "expected"), [
    (["推进光伏\n发电", "光 伏", "光伏发电"], "光伏发电", {0, 2}),
    (["光", "伏", " 光伏 "], "光伏", {2}),  # never across two texts
    (["", "  ", "光伏\n", "x光\u3000伏"], "光伏", {2, 3}),
])
def test_phrase_examples(texts: list[str], phrase: str, expected: set[int]) -> None:
    index = TextIndex(texts)
    assert index._phrase_in_copy(phrase) == expected == _phrase_by_pattern(texts, phrase)
    assert index._phrase_by_pattern(phrase) == expected


@given(texts=st.lists(_TEXTS, max_size=6), query=_TEXTS)
def test_phrase_is_the_pattern_with_whitespace_between(texts: list[str], query: str) -> None:
    # both ways of the phrase test: the copy (small texts, no ``re``) and the pattern
    texts = [t.replace("\x00", "") for t in texts]  # the lookup's separator is in no text
    phrase = compact(query).replace("\x00", "")
    if phrase:
        index, expected = TextIndex(texts), _phrase_by_pattern(texts, phrase)
        assert index._phrase_in_copy(phrase) == expected == index._phrase_by_pattern(phrase)
        assert index._phrase(phrase) == expected


def test_the_phrase_test_takes_the_pattern_from_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["推进光伏\n发电", "光 伏"]
    calls: list[str] = []

    def way(name: str) -> object:
        return lambda self, phrase: calls.append(name) or set()

    monkeypatch.setattr(TextIndex, "_phrase_by_pattern", way("re"))
    monkeypatch.setattr(TextIndex, "_phrase_in_copy", way("copy"))
    TextIndex(texts)._phrase("光伏")
    monkeypatch.setattr(lookupindex, "PHRASE_PATTERN_FROM", 5)
    TextIndex(texts)._phrase("光伏")
    assert calls == ["copy", "re"]
