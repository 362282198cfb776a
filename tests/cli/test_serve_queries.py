"""Every competency query, pasted as written into the endpoint, answers as its expected file.

Issue 10: the queries of ``queries/`` failed in the endpoint's query page with "Prefix not
found" (no PREFIX lines; the server predeclares none).  Each ``.rq`` now declares what it
uses; this test runs a real ``policykg serve`` process over the compilation's store, POSTs
each file's text unchanged (as the query page does) and compares the rows with the
``.expected.tsv`` beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykg.graph.endpoint import free_port

ROOT = Path(__file__).resolve().parents[2]
RQ = sorted((ROOT / "queries").glob("*.rq"))

pytestmark = [pytest.mark.slow, pytest.mark.server]


@pytest.fixture(scope="module")
def endpoint(built_store: tuple[Path, str, str]) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "policykg", "serve", "--store", str(built_store[0]),
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "policykg serve exited"
            try:
                with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                assert time.monotonic() < deadline, "policykg serve did not come up"
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _rows(tsv: bytes) -> list[tuple[str, ...]]:
    """The rows as N-Triples terms (one spelling per term), GROUP_CONCAT parts sorted."""
    import pyoxigraph

    solutions = pyoxigraph.parse_query_results(tsv, format=pyoxigraph.QueryResultsFormat.TSV)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [v.value for v in solutions.variables]
    out = []
    for row in solutions:
        cells = []
        for n in names:
            term = row[n]
            cell = "" if term is None else str(term)
            if isinstance(term, pyoxigraph.Literal) and " | " in term.value:
                cell = " | ".join(sorted(term.value.split(" | ")))
            cells.append(cell)
        out.append(tuple(cells))
    return [tuple(f"?{n}" for n in names), *out]


@pytest.mark.parametrize("rq", RQ, ids=[p.stem for p in RQ])
def test_query_file_as_written_answers_on_the_endpoint(endpoint: str, rq: Path) -> None:
    body = urllib.parse.urlencode({"query": rq.read_text("utf-8")}).encode("utf-8")
    request = urllib.request.Request(
        endpoint, data=body, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "text/tab-separated-values"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 200
        got = answer.read()
    expected = rq.with_suffix(".expected.tsv").read_bytes()
    assert _rows(got) == _rows(expected)
    assert len(_rows(got)) > 1, "every competency question has an answer"
