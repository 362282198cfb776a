"""Push the compilation into a second, independent engine (Virtuoso, from Debian) and ask it
every competency question: the rows must be those our own store gives.

``.ci/run`` installs ``virtuoso-opensource``; the test starts a private server on free
loopback ports in a temporary folder and stops it.  Where Virtuoso is not installed (a
developer's machine) the test is skipped, except in CI, where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import XSD, Literal

from policykg.graph.endpoint import free_port
from policykg.graph.push import push
from policykg.graph.sparql import run_query, with_prefixes
from policykg.graph.store import OpenStore, open_store, write_store

pytestmark = [pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
GRAPH = "https://w3id.org/policykg/graph/compilation-2022"

_INI = """[Database]
DatabaseFile = {d}/v.db
ErrorLogFile = {d}/v.log
LockFile = {d}/v.lck
TransactionFile = {d}/v.trx
xa_persistent_file = {d}/v.pxa
[TempDatabase]
DatabaseFile = {d}/v-temp.db
TransactionFile = {d}/v-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
CaseMode = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
"""


def _binaries() -> tuple[str, str] | None:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    return (server, isql) if server and isql else None


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private Virtuoso on loopback; yields its SPARQL URL (``…/sparql``)."""
    found = _binaries()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("virtuoso-opensource is not installed (.ci/run installs it)")
        pytest.skip("virtuoso-opensource is not installed")
    server, isql = found
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(_INI.format(d=folder, sql=sql, http=http))
    log = (folder / "out.log").open("wb")
    proc = subprocess.Popen([server, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                            cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http}/sparql"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (folder / "out.log").read_text(errors="replace")[-500:]
            try:
                with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5):
                    break
            except (urllib.error.URLError, OSError):
                assert time.monotonic() < deadline, "Virtuoso did not come up in 120 s"
                time.sleep(0.5)
        # a new database lets the anonymous SPARQL user read only; the test's user may write
        subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba",
                        'exec=grant SPARQL_UPDATE to "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> OpenStore:
    from policykg.pipeline import build, bundled_input

    result = build([bundled_input()], validate=False)
    path = tmp_path_factory.mktemp("compilation") / "store"
    return open_store(write_store(path, result.corpus, result.graph))


@pytest.fixture(scope="module")
def pushed(virtuoso: str, ours: OpenStore) -> str:
    count = push(ours.path / "graph.nt", virtuoso, graph_iri=GRAPH,
                 store_url=virtuoso + "-graph-crud", update_url=virtuoso, timeout=300)
    assert count == len(ours.store)
    return virtuoso


def _cell(binding: dict[str, str] | None) -> str:
    return "" if binding is None else binding["value"]


def _sorted_concat(cell: str) -> str:
    """GROUP_CONCAT's order is not defined: compare its parts sorted."""
    return " | ".join(sorted(cell.split(" | "))) if " | " in cell else cell


def _rows(rows: Iterator[tuple[str, ...]]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(_sorted_concat(c) for c in row) for row in rows)


def test_everything_arrives(pushed: str, ours: OpenStore) -> None:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    assert _ask(pushed, query) == Counter({(str(len(ours.store)),): 1})


@pytest.mark.parametrize("rq", QUERIES, ids=[p.stem for p in QUERIES])
def test_competency_answers_agree(pushed: str, ours: OpenStore, rq: Path) -> None:
    text = rq.read_text(encoding="utf-8")
    result = run_query(ours, text)
    mine = _rows(tuple("" if t is None else str(t) for t in row) for row in result.rows)
    # Virtuoso 7.2 gives EXISTS as the integer 1 or 0, not a boolean: read it back as one
    flags = {i for i, row in enumerate(zip(*result.rows, strict=False))
             if row and all(isinstance(t, Literal) and t.datatype == XSD.boolean for t in row)}
    theirs = Counter({
        tuple({"1": "true", "0": "false"}.get(c, c) if i in flags else c
              for i, c in enumerate(row)): n
        for row, n in _ask(pushed, with_prefixes(text)).items()})
    assert theirs == mine, (
        f"only ours: {list((mine - theirs).items())[:3]}; "
        f"only Virtuoso: {list((theirs - mine).items())[:3]}")


def _ask(url: str, query: str) -> Counter[tuple[str, ...]]:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        data = json.load(answer)
    names = data["head"]["vars"]
    return _rows(tuple(_cell(b.get(v)) for v in names) for b in data["results"]["bindings"])
