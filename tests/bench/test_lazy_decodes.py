"""``bench.lazy_decodes``: how many cached texts a store change decodes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.lazy_decodes import main

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"


def test_an_add_of_an_unrelated_text_decodes_no_cached_text(
        run: Callable[..., tuple[int, str, str]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    code, _, err = run("build", "--store", store, FIXTURES / "loader_single_notice.txt")
    assert code == 0, err
    assert main([str(store), "--", "add", str(FIXTURES / "loader_gbk_notice.txt")]) == 0
    out = capsys.readouterr().out.strip().splitlines()[-1]
    found = re.fullmatch(r"decoded (\d+) of (\d+) cached texts; by ?(.*)", out)
    assert found is not None, out
    assert int(found.group(2)) >= 2  # the cached document's sections and paragraphs
    assert int(found.group(1)) <= int(found.group(2))
