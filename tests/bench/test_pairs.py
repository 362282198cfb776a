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


def test_pairs_time_a_cold_build_on_a_new_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--runs", "1", f"old={ROOT}", f"new={ROOT}", "--",
                 "build", str(FIXTURES / "loader_single_notice.txt"), "--no-validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"old: least \d+\.\d\d s, median \d+\.\d\d s \(\d+\.\d\d\)", out[0])
    assert float(out[0].split()[2]) > 0  # a build's CPU time, measured
    assert re.match(r"new / old: median \d+\.\d\d", out[2])


def test_pairs_stop_at_a_command_that_fails(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"policykg build .* failed"):
        main(["--runs", "1", f"old={ROOT}", f"new={ROOT}", "--", "build",
              str(tmp_path / "missing.txt")])
