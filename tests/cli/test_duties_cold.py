"""``policykg duties`` answers alike in a fresh process and in one that has built a store
(the registry's template bodies made in another order: ``tests/loaders/test_registry_state.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from policykg.loaders import answers
from policykg.loaders.words import CACHE_ENV
from tests.cli.conftest import Run

#: The repository: the subprocesses import its policykg.
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("agency", ["江西省发改委", "宁波市发改委", "交通部", "能源局"])
def test_duties_cold_as_warm(built_store: tuple[Path, str, str], run: Run, agency: str) -> None:
    """``policykg duties`` in a fresh process prints what it prints in this one, where the
    session's build has made many template bodies already."""
    store = built_store[0]
    code, warm_out, _ = run("duties", agency, "--store", str(store))
    cold = subprocess.run([sys.executable, "-m", "policykg", "duties", agency, "--store",
                           str(store)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (cold.returncode, cold.stdout) == (code, warm_out)
    assert code == 0


def _cold_duties(agency: str, store: Path, cache: Path, *more: str
                 ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "policykg", "duties", agency,
                           "--store", str(store), *more], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), CACHE_ENV: str(cache)})


@pytest.mark.parametrize(("agency", "place"), [
    ("国家能源局", None), ("交通部", None), ("江西省发改委", None), ("发展改革委", "江西"),
    ("生态环境厅", "江苏")])
def test_duties_from_remembered_answers_as_from_the_registry(
    built_store: tuple[Path, str, str], run: Run, agency: str, place: str | None,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first cold ``duties`` of a name asks the registry and remembers its answer; the
    next one prints the same without loading the registry."""
    store = built_store[0]
    more = ("--jurisdiction", place) if place else ()
    code, warm_out, _ = run("duties", agency, "--store", str(store), *more)
    assert code == 0
    first = _cold_duties(agency, store, tmp_path, *more)
    second = _cold_duties(agency, store, tmp_path, *more)
    assert (first.returncode, first.stdout) == (second.returncode, second.stdout) == (0, warm_out)
    assert "policykg.loaders.agencies" in first.stderr  # -X importtime lists every import
    assert "policykg.loaders.agencies" not in second.stderr
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    key = answers.answers_key()
    assert key is not None
    asked = agency if place is None else f"{agency}{answers.IN}{place}"
    assert asked in answers.read_answers(key)


def test_remembered_answers_are_read_and_keyed_by_the_registry_files(
    built_store: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A remembered answer is what a cold ``duties`` prints (so a stale one would be wrong):
    the key changes with any file the registry reads."""
    store = built_store[0]
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    key = answers.answers_key()
    assert key is not None
    answers.write_answers(key, {"交通部": ("mee", "生态环境部", ())})
    assert _cold_duties("交通部", store, tmp_path).stdout.startswith("生态环境部: ")
    lexicon = tmp_path / "agencies.toml"
    lexicon.write_text("a = 1\n", encoding="utf-8")
    monkeypatch.setattr(answers, "_registry_files", lambda: [str(lexicon)])
    before = answers.answers_key()
    lexicon.write_text("a = 2\n", encoding="utf-8")
    os.utime(lexicon, ns=(1, 1))  # a new state of the file, whatever the clock's resolution
    assert before is not None
    assert answers.answers_key() not in (None, before, key)


def test_a_build_answers_every_listed_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    """After ``prepare_search`` (run by every build) the registry's names are answered."""
    from policykg.loaders.agencies import default_registry
    from policykg.pipeline import prepare_search

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    prepare_search()
    key = answers.answers_key()
    assert key is not None
    known = answers.read_answers(key)
    registry = default_registry()
    assert answers.LISTED in known
    assert known["交通部"] == answers.registry_answer(registry, "交通部")
    assert known["交通部"][1] == "交通运输部"
    assert "交通部" in known["交通部"][2]
    assert len(known) > 1000


@pytest.mark.parametrize(("agency", "name"), [
    ("北京市发改委", "北京市发展和改革委员会"),  # a listed body asked as users write it
    ("内蒙古自治区证监局", "中国证券监督管理委员会内蒙古监管局"),  # a template body
])
def test_a_build_answers_the_names_of_its_agencies(
    built_store: tuple[Path, str, str], run: Run, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, agency: str, name: str,
) -> None:
    """After ``prepare_search`` with a store's agencies (as its build runs it), the first
    cold ``duties`` of a name they go by prints what the registry's answer prints, without
    loading the registry."""
    from policykg.pipeline import prepare_search, read_index

    store = built_store[0]
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    prepare_search(read_index(store).agencies)
    code, warm_out, _ = run("duties", agency, "--store", str(store))
    assert (code, warm_out.split(":")[0]) == (0, name)
    first = _cold_duties(agency, store, tmp_path)
    assert (first.returncode, first.stdout) == (0, warm_out)
    assert "policykg.loaders.agencies" not in first.stderr  # -X importtime lists every import


def test_the_names_a_store_agency_goes_by_are_the_registrys_answers(
    built_store: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each remembered answer is the registry's (a name it does not know as ``UNKNOWN``);
    with every name answered, a second ``prepare_search`` does not load the registry."""
    import policykg.loaders.agencies
    from policykg.loaders.agencies import default_registry
    from policykg.pipeline import prepare_search, read_index

    agencies = read_index(built_store[0]).agencies
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    prepare_search(agencies)
    key = answers.answers_key()
    assert key is not None
    known = answers.read_answers(key)
    names = answers.store_names(agencies)
    assert {"北京市发改委", "北京市市发改委", "内蒙古自治区证监局"} <= set(names)
    registry = default_registry()
    for name in names:
        assert known[name] == (answers.registry_answer(registry, name) or answers.UNKNOWN)
    assert known["北京市市发改委"] == answers.UNKNOWN
    assert known["内蒙古自治区证监局"][0] == "inner-mongolia-csrc"

    def no_registry() -> None:
        raise AssertionError("the registry was loaded")

    monkeypatch.setattr(policykg.loaders.agencies, "default_registry", no_registry)
    prepare_search(agencies)


def test_a_name_remembered_as_unknown_goes_to_the_full_path(
    built_store: tuple[Path, str, str], run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold ``duties`` of a name remembered as unknown says what the full command says."""
    store = built_store[0]
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    key = answers.answers_key()
    assert key is not None
    answers.write_answers(key, {"北京市市发改委": answers.UNKNOWN})
    code, out, err = run("duties", "北京市市发改委", "--store", str(store))
    cold = _cold_duties("北京市市发改委", store, tmp_path)
    assert code != 0
    assert (cold.returncode, cold.stdout) == (code, out)
    assert err.strip() in cold.stderr


def test_finding_one_answer_reads_what_reading_them_all_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    key = answers.answers_key()
    assert key is not None
    made = {"交通部": ("mot", "交通运输部", ("交通部",)), "能源局": ("nea", "国家能源局", ()),
            "北京市市发改委": answers.UNKNOWN, f"发改委{answers.IN}宁波": ("x", "y", ("a", "b"))}
    answers.write_answers(key, made)
    every = answers.read_answers(key)
    for asked in [*made, "交通", "部", "发改委", "国家能源局", ""]:
        assert answers.find_answer(key, asked) == every.get(asked), asked
