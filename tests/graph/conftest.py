"""Fixtures shared by the graph tests: the small hand-made corpus ``graph_mini`` and its graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from policykg.graph.build import build_graph
from policykg.recordio import read_corpus
from policykg.records import Corpus

MINI = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "graph_mini"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The records of ``tests/data/fixtures/graph_mini`` (a module may override it)."""
    return read_corpus(MINI)


@pytest.fixture(scope="module")
def g(corpus: Corpus) -> rdflib.Graph:
    """The graph of ``corpus``, fresh per module (some tests add triples to it)."""
    return build_graph(corpus)
