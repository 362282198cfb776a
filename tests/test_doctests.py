"""The doc examples of the pure modules run as tests (the API's own: tests/cli/test_api.py)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = (
    "policykg.display",
    "policykg.errors",
    "policykg.folding",
    "policykg.graph.fulltext",
    "policykg.graph.lookup",
    "policykg.graph.sparql",
    "policykg.loaders.jurisdictions",
    "policykg.loaders.numerals",
    "policykg.viz.render",
    "policykg.viz.site",
)


@pytest.mark.parametrize("name", MODULES)
def test_doc_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no doc examples"
    assert result.failed == 0
