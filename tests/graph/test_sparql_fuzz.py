"""Fuzz the SPARQL entry points: random nesting, random Unicode, huge literals, keyword soup.

Against a running endpoint every answer is a 200 or a clear 4xx/503, the endpoint stays up,
and nothing is called out; in process ``run_query`` gives a result or a ``QueryError``.
The number of examples follows the hypothesis profile (tests/conftest.py): 40 fixed ones
for developers, 1,000 fresh ones in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.errors import QueryError
from policykg.graph.endpoint import Limits, start_server
from policykg.graph.sparql import run_query
from tests.graph.test_endpoint import COUNT, FIXTURE_TRIPLES, _count, _post, make_store

pytestmark = pytest.mark.server

_WORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION",
          "GRAPH", "SERVICE", "VALUES", "BIND", "MINUS", "GROUP BY", "ORDER BY", "LIMIT 3",
          "?s", "?p", "?o", "pkg:Task", "a", ".", ";", ",", "*", "(", ")", "{", "}", "[", "]",
          "<https://w3id.org/policykg/doc/p2-06>", '"碳达峰"', "'x'@zh", "1e9", "COUNT(*)",
          "#", "\n", "PREFIX x: <http://x/>", "REGEX(?o, \"^碳\")", "STRLEN(?o)")


def _nested(body: str, depth: int, brackets: str) -> str:
    opening = "".join(brackets[i % len(brackets)] for i in range(depth))
    closing = "".join({"{": "}", "(": ")", "[": "]"}[c] for c in reversed(opening))
    return opening + body + closing


@dataclass(frozen=True)
class Query:
    """A generated query, kept short in reports: huge parts are built on demand."""

    head: str
    repeat: str = ""
    times: int = 0
    tail: str = ""

    def text(self) -> str:
        return self.head + self.repeat * self.times + self.tail

    def __repr__(self) -> str:
        return f"Query({self.head[:80]!r} + {self.repeat!r} * {self.times} + {self.tail[:80]!r})"


@st.composite
def queries(draw: st.DrawFn) -> Query:
    """A query that is valid, nearly valid, or hostile."""
    kind = draw(st.sampled_from(("soup", "nested", "literal", "unicode", "valid")))
    if kind == "soup":
        return Query(" ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=40))))
    if kind == "nested":
        depth = draw(st.integers(min_value=1, max_value=4000))
        brackets = draw(st.sampled_from(("{", "(", "[", "{(", "({[")))
        return Query("SELECT * WHERE " + _nested("?s ?p ?o", depth, brackets))
    if kind == "literal":
        size = draw(st.sampled_from((10, 10_000, 200_000, 1_200_000)))
        char = draw(st.characters(codec="utf-8", exclude_characters='"\\\n\r'))
        return Query('ASK { ?s ?p "', char, size, '" }')
    if kind == "unicode":
        return Query(draw(st.text(max_size=300)))
    limit = draw(st.integers(min_value=0, max_value=50))
    return Query(f"SELECT ?s ?o WHERE {{ ?s ?p ?o }} LIMIT {limit}")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def url(store_dir: Path) -> Iterator[str]:
    with start_server(store_dir, limits=Limits(timeout_s=5, queue_wait_s=10)) as base:
        yield base


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(query=queries())
def test_endpoint_answers_every_query_clearly(url: str, query: Query) -> None:
    status, body = _post(url, query.text())
    assert status in (200, 400, 413, 503), (status, body[:200])
    if status != 200:
        assert body.strip(), "an error answer says why"


def test_endpoint_is_up_after_the_fuzz(url: str) -> None:
    assert _count(url) == FIXTURE_TRIPLES
    assert _post(url, COUNT)[0] == 200


@pytest.fixture(scope="module")
def ox_store(store_dir: Path) -> object:
    import pyoxigraph as ox

    return ox.Store.read_only(str(store_dir / "oxigraph"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(query=queries())
def test_run_query_gives_a_result_or_a_query_error(ox_store: object, query: Query) -> None:
    try:
        result = run_query(ox_store, query.text())
    except QueryError:
        return
    assert result.kind in ("select", "ask", "graph")
