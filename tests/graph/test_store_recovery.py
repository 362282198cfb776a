"""The store survives what a user's machine does to it: interrupted swaps, stale folders, two
writers at once, a damaged Oxigraph store, a full disk during an export."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import rdflib

from policykg.errors import PolicyKGError, StoreError
from policykg.graph.export import export
from policykg.graph.store import check_store, open_store, recover, write_store
from policykg.records import Corpus

Run = Callable[..., tuple[int, str, str]]

@pytest.fixture
def store(tmp_path: Path, corpus: Corpus, g: rdflib.Graph) -> Path:
    return write_store(tmp_path / "store", corpus, g, tree_json={"children": []})


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_kill_after_the_old_store_went_aside_is_finished(
    store: Path, corpus: Corpus, caplog: pytest.LogCaptureFixture
) -> None:
    # the state SIGKILL leaves between the two renames: no store, the old one aside, the new
    # one complete
    new = store.with_name(".store.new-4242")
    write_store(store.with_name("other"), corpus, rdflib.Graph())
    os.replace(store.with_name("other"), new)
    os.replace(store, store.with_name(".store.old-4242"))
    with caplog.at_level(logging.WARNING):
        assert check_store(store) == store
    assert "finished an interrupted store swap" in caplog.text
    assert len(open_store(store)) == 0  # the new (empty) graph is in place
    assert _names(store.parent) == [".other.lock", ".store.lock", "store"]


def test_a_kill_before_the_new_store_was_complete_restores_the_old_one(
    store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = (store / "graph.nt").read_bytes()
    half = store.with_name(".store.new-4242")
    (half / "records").mkdir(parents=True)  # no manifest: not complete
    os.replace(store, store.with_name(".store.old-4242"))
    with caplog.at_level(logging.WARNING):
        recover(store)
    assert "restored the previous store after an interrupted swap" in caplog.text
    assert "removed the stale temporary folder .store.new-4242" in caplog.text
    assert (store / "graph.nt").read_bytes() == before
    assert _names(store.parent) == [".store.lock", "store"]


def test_stale_temporary_folders_are_removed(store: Path) -> None:
    for name in (".store.new-1", ".store.old-2"):
        (store.parent / name / "records").mkdir(parents=True)
    open_store(store)
    assert _names(store.parent) == [".store.lock", "store"]


@pytest.fixture
def other_writer(store: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the store's writer lock."""
    code = textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(store.with_name('.store.lock'))!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0); os.write(fd, b"%d\\n" % os.getpid())
        print("locked", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    yield proc
    proc.kill()
    proc.wait()
    proc.stdout.close()


def test_a_second_writer_fails_with_a_clear_message(
    store: Path, corpus: Corpus, other_writer: subprocess.Popen[str]
) -> None:
    before = (store / "graph.nt").read_bytes()
    with pytest.raises(StoreError, match=rf"another policykg process \(pid {other_writer.pid}\) "
                                         "is writing this store"):
        write_store(store, corpus, rdflib.Graph())
    assert (store / "graph.nt").read_bytes() == before


def test_a_live_writers_folder_is_not_stale(
    store: Path, other_writer: subprocess.Popen[str]
) -> None:
    building = store.with_name(f".store.new-{other_writer.pid}")
    (building / "records").mkdir(parents=True)
    assert recover(store) == []
    assert check_store(store) == store
    assert building.is_dir()


def _garbage_current(ox: Path) -> None:
    (ox / "CURRENT").write_text("garbage\n", encoding="utf-8")


def _corrupt_tables(ox: Path) -> None:
    for sst in ox.glob("*.sst"):
        sst.write_bytes(b"\x07" * sst.stat().st_size)


@pytest.mark.parametrize("damage", [_garbage_current, _corrupt_tables],
                         ids=["garbage-CURRENT", "corrupt-sst"])
def test_a_damaged_oxigraph_store_is_a_store_error(
    store: Path, damage: Callable[[Path], None], run: Run, tmp_path: Path
) -> None:
    damage(store / "oxigraph")
    with pytest.raises(StoreError, match="damaged Oxigraph store"):
        open_store(store)
    for args in (("sparql", "SELECT * WHERE { ?s ?p ?o }"),
                 ("export", "--format", "nt", "-o", tmp_path / "out.nt")):
        code, out, err = run(*args, "--store", store)
        assert (code, out) == (2, "")
        (line,) = err.strip().splitlines()
        assert line.startswith(
            f"policykg: error: [S004] {store / 'oxigraph'}: damaged Oxigraph store")


def test_a_full_disk_during_an_export_keeps_the_previous_file(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text("previous export\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    for fmt, path in (("turtle", out), ("nt", out), ("jsonld", out), ("graphml", out)):
        with pytest.raises(PolicyKGError, match="No space left on device"):
            export(open_store(store), fmt, path)
        assert out.read_text(encoding="utf-8") == "previous export\n"
    assert _names(tmp_path) == [".store.lock", "graph.ttl", "store"]


def test_an_interrupted_csv_export_keeps_the_previous_files(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "nodes.csv").write_text("old nodes\n", encoding="utf-8")
    (folder / "edges.csv").write_text("old edges\n", encoding="utf-8")
    real = os.replace

    def cut(src: str, dst: str) -> None:
        if str(dst).endswith("edges.csv"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", cut)
    with pytest.raises(PolicyKGError):
        export(open_store(store), "csv", folder)
    assert (folder / "edges.csv").read_text(encoding="utf-8") == "old edges\n"
    assert _names(folder) == ["edges.csv", "nodes.csv"]
    shutil.rmtree(folder)


def test_a_forked_worker_does_not_keep_the_store_locked(store: Path) -> None:
    # build workers are forked while the writer lock is held; one left behind by a killed
    # build must not lock the store forever
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from policykg.graph.store import forget_locks, lock_store

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                               initializer=forget_locks)
    try:
        with lock_store(store):
            worker = pool.submit(os.getpid).result()  # forked now, holding a copy of the lock
        assert worker != os.getpid()
        with lock_store(store):  # the worker is still alive
            pass
    finally:
        pool.shutdown()
