"""``policykg duties`` answers alike in a fresh process and in one that has built a store
(the registry's template bodies made in another order: ``tests/loaders/test_registry_state.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Run

#: The repository: the subprocesses import its policykg.
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("agency", ["江西省发改委", "宁波市发改委", "交通部", "能源局"])
def test_duties_cold_as_warm(built_store: tuple[Path, str, str], run: Run, agency: str) -> None:
    """``policykg duties`` in a fresh process prints what it prints in this one, where the
    session's build has made many template bodies already."""
    store = built_store[0]
    code, warm_out, _ = run("duties", agency, "--store", str(store))
    cold = subprocess.run([sys.executable, "-m", "policykg", "duties", agency, "--store",
                           str(store)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (cold.returncode, cold.stdout) == (code, warm_out)
    assert code == 0
