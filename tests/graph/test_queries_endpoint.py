"""Every competency query, posted as written in ``queries/`` to a running ``policykg serve``
over the compilation, answers its ``.expected.tsv``: the endpoint predeclares the
project's prefixes, so a query pasted into its page needs no PREFIX lines.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykg.graph.endpoint import start_server
from policykg.graph.store import write_store

pytestmark = [pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
RQ = sorted((ROOT / "queries").glob("*.rq"))


# SPARQL TSV may write an integer, decimal or boolean in full or as its bare lexical form
_NUMBER = re.compile(
    r'^"([^"]*)"\^\^<http://www\.w3\.org/2001/XMLSchema#(?:integer|decimal|boolean)>$')

# a literal cell: "text", "text"@zh or "text"^^<datatype> (GROUP_CONCAT keeps a language its
# parts share)
_QUOTED = re.compile(r"""^"(?P<text>.*)"(?P<tag>@[A-Za-z0-9-]+|\^\^<[^<>]*>)?$""")


def _normalise(tsv: str) -> list[str]:
    """TSV lines with GROUP_CONCAT cells (" | "-separated) sorted: their order is not defined."""
    out = []
    for line in tsv.replace("\r\n", "\n").splitlines():
        cells = []
        for raw in line.split("\t"):
            cell = _NUMBER.sub(r"\1", raw)
            m = _QUOTED.match(cell)
            if m and " | " in m["text"]:
                cell = '"' + " | ".join(sorted(m["text"].split(" | "))) + '"' + (m["tag"] or "")
            cells.append(cell)
        out.append("\t".join(cells))
    return out


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from policykg.pipeline import build, bundled_input

    result = build([bundled_input()], validate=False)
    store = write_store(tmp_path_factory.mktemp("served") / "store", result.corpus,
                        result.graph)
    with start_server(store) as base:
        yield base


@pytest.mark.parametrize("rq", RQ, ids=[p.stem for p in RQ])
def test_query_as_written_answers_on_the_endpoint(url: str, rq: Path) -> None:
    text = rq.read_text(encoding="utf-8")
    assert "PREFIX" not in text.upper().split("SELECT")[0]  # as a user pastes it
    request = urllib.request.Request(
        url + "/query", data=text.encode(), method="POST",
        headers={"Content-Type": "application/sparql-query",
                 "Accept": "text/tab-separated-values"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 200
        got = answer.read().decode("utf-8")
    expected = rq.with_suffix(".expected.tsv").read_text(encoding="utf-8")
    assert _normalise(got) == _normalise(expected)
