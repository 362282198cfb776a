"""``pip install .`` puts one top-level name into site-packages: ``policykg`` (issue 10).

Builds the wheel offline into a temporary folder (``pip wheel --no-deps
--no-build-isolation``: setuptools>=68 comes with the dev dependencies) and reads its file
list, which is exactly what ``pip install`` unpacks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # a copy of the checkout (links kept as links): an in-tree build writes build/ and
    # *.egg-info, which must not land in the repository
    source = tmp_path_factory.mktemp("wheel-source") / "policykg"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", ".policykg", "__pycache__", ".*_cache",
        ".hypothesis", "tests", "bench", "docs"))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=600, cwd=source,
        env={"PATH": "/usr/bin:/bin", "HOME": str(source.parent), "PIP_NO_CACHE_DIR": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    (path,) = out.glob("policykg-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_installs_only_policykg(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"policykg"}
    (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")] or [None]
    if top_level is not None:
        assert wheel.read(top_level).decode().split() == ["policykg"]


def test_the_wheel_holds_every_layer_and_its_data(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for module in ("policykg/api.py", "policykg/cli.py", "policykg/loaders/agencies.py",
                   "policykg/graph/store.py", "policykg/viz/render.py",
                   "policykg/ontology/__init__.py", "policykg/ontology/shapes.ttl",
                   "policykg/loaders/lexicons/agencies.toml",
                   "policykg/graph/data/one_plus_n.toml",
                   "policykg/data/compilation-2022.txt", "policykg/py.typed"):
        assert module in names, module
    assert not [n for n in names if n.startswith(("policykg/tests/", "tests/", "bench/"))]
