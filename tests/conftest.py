"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.documents import LoadedDocuments, load_documents

ROOT = Path(__file__).resolve().parent.parent
COMPILATION = ROOT / "data" / "compilation-2022.txt"
FIXTURES = ROOT / "tests" / "data" / "fixtures"


@pytest.fixture(scope="session")
def compilation_docs() -> LoadedDocuments:
    """The bundled compilation loaded once per session (documents, problems, summaries)."""
    return load_documents([COMPILATION])


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The folder of small excerpt fixtures."""
    return FIXTURES
