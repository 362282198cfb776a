"""``bench.pairs``: paired CPU times of a store command under two checkouts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.pairs import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "fixtures"


def test_pairs_time_an_add_on_fresh_copies(run: Callable[..., tuple[int, str, str]],
                                           tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    code, _, err = run("build", "--store", store, FIXTURES / "loader_single_notice.txt")
    assert code == 0, err
    before = sorted(p.name for p in store.rglob("*"))
    assert main(["--runs", "1", f"old={ROOT}:{store}", f"new={ROOT}:{store}", "--",
                 "add", str(FIXTURES / "loader_gbk_notice.txt")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"old: least \d+\.\d\d s, median \d+\.\d\d s \(\d+\.\d\d\)", out[0])
    assert out[1].startswith("new: least ")
    assert re.match(r"new / old: median \d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\), 1 pairs", out[2])
    # the store itself is left as it was: each run adds to a copy
    assert sorted(p.name for p in store.rglob("*")) == before
