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


#: ``site_corpus/`` file stem → the jurisdiction its title or sign-off prints (None: national);
#: read by hand, so tests of the tree and the site do not depend on the loaders' rules
PRINTED_JURISDICTION: dict[str, str | None] = {
    "01-zhongfa-2021-36": None,  # 中共中央 国务院
    "02-guofa-2021-23": None,  # 国务院
    "03-buildings-peak": None,  # 住房和城乡建设部 国家发展改革委 (file 296)
    "04-zhejiang-one": "浙江省",  # 浙江省委省政府
    "05-zhejiang-tech": "浙江省",  # 浙江省碳达峰碳中和科技创新行动方案
    "06-hangzhou-one": "杭州市",  # 中共杭州市委 杭州市人民政府
    "07-hangzhou-tech": "杭州市",  # 杭州市科学技术局
    "08-jiangxi-one": "江西省",  # 中共江西省委、江西省人民政府
    "09-yufubanfa-2022-79": "重庆市",  # 重庆市人民政府办公厅
    "10-ningxia-buildings": "宁夏回族自治区",  # 中共宁夏回族自治区委员会办公厅 …
}


@pytest.fixture(scope="session")
def multi_jurisdiction_corpus() -> Corpus:
    """``site_corpus/`` (five jurisdictions) through the loaders, sector-tagged, with each
    document's printed jurisdiction (local documents as ``local_policy``)."""
    import dataclasses

    from policykg.graph.sectors import tag_sectors
    from policykg.loaders.agencies import load_registry
    from policykg.loaders.corpus import load
    from policykg.loaders.tasks import find_tasks
    from policykg.records import DocKind

    corpus = load([FIXTURES / "site_corpus"])
    registry = load_registry()
    docs, tasks = [], []
    for doc in corpus.documents:
        # by file: a covering notice and the plan it publishes are two documents (issue 11)
        jurisdiction = PRINTED_JURISDICTION[Path(doc.file).stem]
        kind = doc.kind if jurisdiction is None else DocKind.LOCAL_POLICY
        doc = dataclasses.replace(doc, jurisdiction=jurisdiction, kind=kind)
        docs.append(doc)
        tasks += find_tasks(doc, registry)[0]  # names resolve in the printed jurisdiction
    named = {name for t in tasks for name in (*t.lead, *t.participants)}
    agencies = tuple(a for a in registry.agencies if a.id in named or a.name in named)
    corpus = dataclasses.replace(corpus, documents=tuple(docs), tasks=tuple(tasks),
                                 agencies=tuple(sorted({*corpus.agencies, *agencies},
                                                       key=lambda a: a.id)))
    return dataclasses.replace(corpus, sectors=tuple(tag_sectors(corpus)))


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
