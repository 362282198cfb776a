"""Crash consistency: a real ``build``/``add`` process killed (SIGKILL) at every write and rename
of the store's swap leaves the old or the new store, never none, and the next command says
what it repaired.

The process is stopped at each point by the test hook of ``graph.store`` (environment
variable ``POLICYKG_TEST_PAUSE_AT``), then killed; the next command runs as a new process.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policykg.graph.store import SWAP_STEPS

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "data" / "fixtures" / "loader_folder"
GUOFA = FOLDER / "01-guofa-2021-4.txt"
NINGXIA = FOLDER / "02-ningzhengfa-2021-39.txt"
OLD = ["02-ningzhengfa-2021-39"]
# a build of both and an add of 01 to a store of 02 give the same store (files by name)
NEW = ["01-guofa-2021-4", "02-ningzhengfa-2021-39"]

#: Where the killed process had got to → which store the next command must find.
AFTER_SWAP = {"old-aside", "new-in", "old-removed"}


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("POLICYKG_STORE", None)
    env.update(extra)
    return env


def _policykg(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policykg", *map(str, args)],
                          capture_output=True, text=True, env=_env(**env), timeout=120,
                          check=False)


@pytest.fixture(scope="module")
def old_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("crash") / "template"
    done = _policykg("build", "--store", store, NINGXIA, "--no-validate", "-j", "1")
    assert done.returncode == 0, done.stderr
    return store


def _kill_at(step: str, args: list[str | Path], marker: Path) -> str:
    """Run ``policykg ARGS`` until it reaches ``step``, SIGKILL it; return its stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "policykg", *map(str, args)], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
        env=_env(POLICYKG_TEST_PAUSE_AT=step, POLICYKG_TEST_PAUSE_FILE=str(marker)))
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"{args[0]} never reached {step}: {err}")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    return err


@pytest.mark.parametrize("step", SWAP_STEPS)
@pytest.mark.parametrize("command", ["build", "add"])
def test_sigkill_at_every_step_leaves_the_old_or_the_new_store(
    old_store: Path, tmp_path: Path, command: str, step: str
) -> None:
    store = tmp_path / "store"
    shutil.copytree(old_store, store)
    inputs = [GUOFA, NINGXIA] if command == "build" else [GUOFA]
    _kill_at(step, [command, "--store", store, *inputs, "--no-validate", "-j", "1"],
             tmp_path / "paused")
    after = _policykg("docs", "--store", store, "--format", "jsonl")
    assert after.returncode == 0, after.stderr
    ids = [json.loads(line)["id"] for line in after.stdout.splitlines()]
    assert ids == (NEW if step in AFTER_SWAP else OLD)
    if step == "old-aside":
        assert "finished an interrupted store swap" in after.stderr
    elif step != "old-removed" and step != "new-in":
        assert "removed the stale temporary folder .store.new-" in after.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "paused", "store"]
    if step not in ("records", "old-aside"):
        return
    # and the store works for writers again: the same command now completes
    again = _policykg(command, "--store", store, *inputs, "--no-validate", "-j", "1")
    assert again.returncode == 0, again.stderr
    final = _policykg("docs", "--store", store, "--format", "jsonl")
    assert [json.loads(line)["id"] for line in final.stdout.splitlines()] == NEW


def _start(args: list[str | Path], marker: Path, step: str) -> subprocess.Popen[str]:
    """Start ``policykg ARGS`` and wait until it stops at ``step`` (holding the lock)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "policykg", *map(str, args)], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
        env=_env(POLICYKG_TEST_PAUSE_AT=step, POLICYKG_TEST_PAUSE_FILE=str(marker)))
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, "the writer stopped before it paused"
        assert time.monotonic() < deadline, "the writer never paused"
        time.sleep(0.02)
    return proc


def test_two_writers_at_once_the_second_fails_and_readers_see_the_old_store(
    old_store: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(old_store, store)
    first = _start(["build", "--store", store, GUOFA, NINGXIA, "--no-validate", "-j", "1"],
                   tmp_path / "paused", "oxigraph")
    try:
        second = _policykg("add", "--store", store, GUOFA, "--no-validate")
        assert second.returncode == 2
        assert second.stdout == ""
        assert second.stderr.strip() == (
            f"policykg: error: [S008] {store}: another policykg process (pid {first.pid}) is "
            "writing this store; try again when it has finished")
        reader = _policykg("docs", "--store", store, "--format", "jsonl")
        assert (reader.returncode, reader.stderr) == (0, "")
        assert [json.loads(line)["id"] for line in reader.stdout.splitlines()] == OLD
    finally:
        first.kill()
        first.communicate()


def test_a_reader_waits_for_a_swap_in_progress(old_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(old_store, store)
    writer = _start(["build", "--store", store, GUOFA, NINGXIA, "--no-validate", "-j", "1"],
                    tmp_path / "paused", "old-aside")
    assert not store.exists()  # between the two renames
    reader = subprocess.Popen(
        [sys.executable, "-m", "policykg", "docs", "--store", str(store), "--format", "jsonl"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    time.sleep(1.0)
    assert reader.poll() is None  # waiting, not failing, not building
    writer.send_signal(signal.SIGKILL)
    writer.communicate()
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == NEW
    assert "finished an interrupted store swap" in err
