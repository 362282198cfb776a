"""``graph.incremental``: the merge of a sorted graph with the lines that come and go, and
the look-up of a node's lines, against plain set arithmetic."""

from __future__ import annotations

import random
from pathlib import Path

from policykg.graph.incremental import SortedLines, about, merge_graph


def _line(rng: random.Random) -> str:
    subject = rng.choice(["a", "b", "bb", "c", "碳", "碳达峰", "z"])
    return f"<{subject}> <p{rng.randint(0, 30)}> \"{rng.choice(['x', 'é', '中', ''])}\" .\n"


def test_merge_gives_the_sorted_set_and_its_delta(tmp_path: Path) -> None:
    rng = random.Random(7)
    for case in range(200):
        old = sorted({_line(rng) for _ in range(rng.randint(0, 60))},
                     key=lambda s: s.encode("utf-8"))
        gone = set(rng.sample(old, rng.randint(0, len(old)))) | {_line(rng) for _ in range(3)}
        new = {_line(rng) for _ in range(rng.randint(0, 20))}
        src, out = tmp_path / "old.nt", tmp_path / f"new-{case}.nt"
        src.write_text("".join(old), encoding="utf-8")
        delta, merged = merge_graph(src, gone, new, out)
        want = sorted((set(old) - (gone - new)) | new, key=lambda s: s.encode("utf-8"))
        assert out.read_text(encoding="utf-8") == "".join(want)
        assert delta.removed == sorted(set(old) & (gone - new))
        assert delta.added == sorted(new - set(old), key=lambda s: s.encode("utf-8"))
        assert delta.total == len(want)
        for subject in ["<a>", "<b>", "<碳>", "<y>"]:
            assert about(merged, [subject]) == [x for x in want if x.startswith(subject + " ")]
        for line in old[:5]:
            assert SortedLines(src.read_bytes()).has(line.rstrip("\n").encode("utf-8")) >= 0
        assert SortedLines(src.read_bytes()).has(b"<zz> <p> \"\" .") == -1


def test_merge_of_an_empty_graph_and_counts_given(tmp_path: Path) -> None:
    src, out = tmp_path / "old.nt", tmp_path / "new.nt"
    src.write_bytes(b"")
    delta, merged = merge_graph(src, [], ["<a> <p> <b> .\n"], out)
    assert out.read_bytes() == b"<a> <p> <b> .\n"
    assert delta.total == 1
    assert about(merged, ["<a>"]) == ["<a> <p> <b> .\n"]
    src.write_bytes(b"<a> <p> <b> .\n<c> <p> <d> .\n")
    delta, merged = merge_graph(src, ["<c> <p> <d> .\n"], [], out, total=2)
    assert out.read_bytes() == b"<a> <p> <b> .\n"
    assert delta.total == 1
    assert about(merged, ["<c>"]) == []


def test_lookups_in_a_large_graph(tmp_path: Path) -> None:
    """Long jumps (the search doubles its steps from the line before) find what a list
    finds."""
    rng = random.Random(3)
    subjects = sorted({f"<s{rng.randint(0, 10**6)}>" for _ in range(3000)})
    old = sorted({f"{s} <p{rng.randint(0, 3)}> \"{'x' * rng.randint(0, 300)}\" .\n"
                  for s in subjects}, key=lambda s: s.encode("utf-8"))
    src, out = tmp_path / "old.nt", tmp_path / "new.nt"
    src.write_text("".join(old), encoding="utf-8")
    gone = set(rng.sample(old, 400))
    new = {f"{rng.choice(subjects)} <q> \"n\" .\n" for _ in range(300)} | set(old[100:900])
    delta, merged = merge_graph(src, gone, new, out)
    want = sorted((set(old) - (gone - new)) | new, key=lambda s: s.encode("utf-8"))
    assert out.read_text(encoding="utf-8") == "".join(want)
    assert delta.total == len(want)
    asked = [*rng.sample(subjects, 500), "<a>", "<zz>"]
    assert about(merged, asked) == [x for x in want if x.split(" ", 1)[0] in set(asked)]
    for s in rng.sample(subjects, 50):
        assert about(merged, [s]) == [x for x in want if x.startswith(s + " ")]
