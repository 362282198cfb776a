"""What an unlucky user does to a running command: Ctrl-C, a full disk, a closed pipe, odd
file names and encodings.  Each ends in one line on stderr and a meaningful exit code,
never a traceback (``policykg`` runs as a real process where the shell matters).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "tests" / "data" / "fixtures" / "loader_single_notice.txt"

Run = Callable[..., tuple[int, str, str]]


def _cli(*args: str | Path, **kwargs: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "POLICYKG_STORE": ""}
    return subprocess.Popen(
        [sys.executable, "-m", "policykg", *map(str, args)], cwd=ROOT, env=env,
        stderr=subprocess.PIPE, **kwargs,  # type: ignore[call-overload]
    )


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("mishaps") / "store"
    proc = _cli("build", NOTICE, "--store", store, stdout=subprocess.DEVNULL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return store


def test_ctrl_c_during_a_build_is_exit_130_and_one_line(tmp_path: Path) -> None:
    proc = _cli("-v", "build", "--store", tmp_path / "store", stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    said = []
    for raw in proc.stderr:  # wait until the build is under way: the parse is logged
        said.append(raw.decode("utf-8", "replace"))
        if " documents" in said[-1]:
            break
    proc.send_signal(signal.SIGINT)  # the graph, validation and store stages are still ahead
    _, err = proc.communicate(timeout=120)
    text = "".join(said) + err.decode("utf-8", "replace")
    assert proc.returncode == 130, text
    assert "Traceback" not in text
    assert text.strip().splitlines()[-1] == "policykg: interrupted"


# Ctrl-C at the worst moment: while the pool forks, inside the at-fork hooks, where a
# KeyboardInterrupt is printed ("Exception ignored") and dropped, and the build used to go on.
_CTRL_C_AT_FORK = """
import os, signal, sys
from policykg.cli import main
sent = []
def ctrl_c():
    if not sent:
        sent.append(1)
        os.kill(os.getpid(), signal.SIGINT)
os.register_at_fork(before=ctrl_c)
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_while_the_workers_fork_is_exit_130_and_one_line(tmp_path: Path) -> None:
    two = tmp_path / "in"
    two.mkdir()
    for name in ("a.txt", "b.txt"):
        (two / name).write_bytes(NOTICE.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT), "POLICYKG_STORE": ""}
    proc = subprocess.run(
        [sys.executable, "-c", _CTRL_C_AT_FORK, "build", str(two), "--jobs", "2",
         "--store", str(tmp_path / "store")],
        cwd=ROOT, env=env, capture_output=True, timeout=300, check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert err.strip().splitlines()[-1] == "policykg: interrupted"
    assert not (tmp_path / "store").exists()


def test_output_to_a_full_disk_is_one_line(small_store: Path) -> None:
    with open("/dev/full", "wb") as full:
        proc = _cli("sparql", "SELECT * WHERE { ?s ?p ?o }", "--store", small_store,
                    "--format", "tsv", stdout=full)
        _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert proc.returncode == 2, text
    assert "Traceback" not in text
    assert "Exception ignored" not in text
    assert text.strip() == (
        "policykg: error: [M001] cannot write the output (No space left on device)")


def test_a_closed_pipe_ends_quietly(small_store: Path) -> None:
    proc = _cli("export", "--format", "nt", "-o", "/dev/stdout", "--store", small_store,
                stdout=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.read(10)  # `| head -c 10`
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert "Traceback" not in text
    assert "Exception ignored" not in text
    assert proc.returncode in (0, 2)


def test_a_file_name_with_a_newline_stays_on_one_line(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad\nname.txt"
    bad.write_bytes(b"")
    code, _, err = run("extract", bad, "--kind", "documents")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "bad\\nname.txt" in lines[0]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_decoded(run: Run, tmp_path: Path, encoding: str) -> None:
    text = NOTICE.read_text(encoding="utf-8")
    (tmp_path / "notice.txt").write_bytes(text.encode(encoding))
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    code, out16, _ = run("extract", tmp_path / "notice.txt", "--kind", "documents")
    assert code == 0
    code, out8, _ = run("extract", tmp_path / "utf8.txt", "--kind", "documents")
    first16, first8 = json.loads(out16.splitlines()[0]), json.loads(out8.splitlines()[0])
    assert first16["title"] == first8["title"]
    assert first16["doc_number"] == first8["doc_number"] == "国发〔2021〕4号"
    code, out, _ = run("extract", tmp_path / "notice.txt", "--kind", "problems")
    assert f"input decoded from {encoding}" in out


def test_binary_with_nul_bytes_is_still_binary(run: Run, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(bytes(range(256)) * 8)
    code, _, err = run("extract", tmp_path / "x.txt", "--kind", "documents")
    assert code == 2
    assert "binary data, not text" in err
