"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from policykg.cli import main
from policykg.loaders.documents import LoadedDocuments, load_documents
from policykg.loaders.lines import CleanedLines, clean_lines
from policykg.records import Corpus, SourceLine

# Deterministic, deadline-free property tests on a shared 2-core machine and in CI; set
# HYPOTHESIS_PROFILE=dev for random exploration.
settings.register_profile("ci", deadline=None, derandomize=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
COMPILATION = ROOT / "data" / "compilation-2022.txt"
FIXTURES = ROOT / "tests" / "data" / "fixtures"


@pytest.fixture(scope="session")
def compilation_docs() -> LoadedDocuments:
    """The bundled compilation loaded once per session (documents, problems, summaries)."""
    return load_documents([COMPILATION])


@pytest.fixture(scope="session")
def compilation_corpus() -> Corpus:
    """The bundled compilation through ``loaders.corpus.load``, once per session.

    Records are frozen and held in tuples, so tests share this one ``Corpus``.
    """
    from policykg.loaders.corpus import load

    return load([COMPILATION])


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The folder of small excerpt fixtures."""
    return FIXTURES


@pytest.fixture(scope="session")
def compilation_cleaned() -> CleanedLines:
    """The bundled compilation's kept lines (page artifacts removed), once per session."""
    return clean_lines(COMPILATION.read_text(encoding="utf-8"), COMPILATION.name)


@pytest.fixture(scope="session")
def source_lines(compilation_cleaned: CleanedLines) -> Callable[[int, int], list[SourceLine]]:
    """Return the kept compilation lines numbered ``start``..``end`` (inclusive)."""

    def between(start: int, end: int) -> list[SourceLine]:
        return [s for s in compilation_cleaned.lines if start <= s.number <= end]

    return between


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``policykg`` with the given arguments; return (exit code, stdout, stderr).

    Fails on a traceback in stderr: a user error must be one line, never a traceback.
    """

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return invoke
