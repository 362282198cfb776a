"""CLI fixtures: one store of the bundled compilation built per session, and a runner."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from policykg.cli import main

Run = Callable[..., tuple[int, str, str]]

#: The folder under pytest's session base temp that holds the shared built store.
STORE_NAME = "bundled-store"


def build_bundled_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Build the bundled compilation once into ``<basetemp>/bundled-store``.

    Returns the store and what ``policykg build`` printed on stdout and stderr (kept beside
    the store, in ``bundled-store.stdout`` / ``.stderr``). ``tests/test_determinism.py``
    looks for the same folder, so the session builds the shared store once.
    """
    base = tmp_path_factory.getbasetemp()
    store = base / STORE_NAME
    out_file, err_file = base / f"{STORE_NAME}.stdout", base / f"{STORE_NAME}.stderr"
    if not (store / "manifest.json").is_file():
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["build", "--store", str(store)])
        assert code == 0, err.getvalue()
        out_file.write_text(out.getvalue(), encoding="utf-8")
        err_file.write_text(err.getvalue(), encoding="utf-8")
    out_text = out_file.read_text(encoding="utf-8") if out_file.is_file() else ""
    err_text = err_file.read_text(encoding="utf-8") if err_file.is_file() else ""
    return store, out_text, err_text


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The bundled compilation's store, built once per session by ``policykg build``, with
    the build's stdout and stderr."""
    return build_bundled_store(tmp_path_factory)

