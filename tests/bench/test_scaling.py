"""``bench.scaling``: a file's cached records, renamed as a copy, are what reading the copy
gives (the copy of ``bench.run.real_corpus``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scaling import copy_text
from policykg.loaders.corpus import load_file
from policykg.loaders.source import InputFile
from policykg.pipeline import _part_text


@pytest.mark.parametrize("name", ["loader_single_notice.txt", "gansu_energy_saving_p1_p5.pdf"])
def test_a_copy_of_a_cache_entry_is_the_records_of_the_copy(
        fixtures_dir: Path, tmp_path: Path, name: str) -> None:
    source = next(fixtures_dir.rglob(name))
    entry = _part_text(load_file(InputFile(path=source, source_file=name)))
    for copy in (0, 2):
        new = name if copy == 0 else f"{copy}-{name}"
        folder = tmp_path / f"copy-{copy:02d}"
        folder.mkdir()
        (folder / new).symlink_to(source)
        read = load_file(InputFile(path=folder / new, source_file=f"{folder.name}/{new}"))
        assert copy_text(entry, name, copy, 3) == _part_text(read)
    assert copy_text(entry, name, 0, 1) == entry
