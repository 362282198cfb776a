"""Shared pytest fixtures."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from policykg.cli import main
from policykg.loaders.documents import LoadedDocuments, load_documents
from policykg.loaders.lines import CleanedLines, clean_lines
from policykg.records import Corpus, SourceLine

# Two profiles.  "fixed" (a developer's ``make test``): the same derandomised examples every
# run, fast.  "explore" (CI, where CI=true): fresh random examples each run, 1,000 per
# property, the seed printed in the header so a failure reproduces with
# ``pytest --hypothesis-seed=SEED``; time-bounded per property.  HYPOTHESIS_PROFILE overrides.
settings.register_profile(
    "fixed", deadline=None, derandomize=True, max_examples=40, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", deadline=None, max_examples=1000, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("fixed"))  # the older name
settings.register_profile("dev", deadline=None)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
    "explore" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "fixed")
settings.load_profile(PROFILE)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Under "explore", draw the run's seed here so the header can print it."""
    if PROFILE == "explore" and config.getoption("hypothesis_seed", None) is None:
        config.option.hypothesis_seed = random.SystemRandom().randrange(2**32)


def pytest_report_header(config: pytest.Config) -> str:
    """The hypothesis profile and seed of this run."""
    seed = config.getoption("hypothesis_seed", None)
    return f"hypothesis profile: {PROFILE}" + (f", seed: {seed}" if seed is not None else "")

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
