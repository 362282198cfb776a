"""Calls for projects, meeting notices, standards and covering notices load and are labelled,
but are kept out of the policy counts (build summary, ``analyze``) and out of the "1+N"
tree (issue 11).

Fixtures (tests/data/README.md): page 1 of a call (河北省科学技术厅关于征集碳达峰碳中和领域专家
的通知), of a training-meeting notice (吉林省住房和城乡建设厅关于召开…培训会议的通知) and the cover
and first pages of a standard (海洋碳汇经济价值核算方法), with the "1" and a covering notice
with the plan it publishes from ``site_corpus/``.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from policykg import api
from policykg.cli import main

Run = Callable[..., tuple[int, str, str]]

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
INPUTS = (
    FIXTURES / "genre_meeting_jilin_training.txt",
    FIXTURES / "genre_call_hebei_experts.txt",
    FIXTURES / "genre_standard_ocean_carbon_sink.txt",
    FIXTURES / "site_corpus" / "01-zhongfa-2021-36.txt",
    FIXTURES / "site_corpus" / "07-hangzhou-tech.txt",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("genres") / "store"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build", *map(str, INPUTS), "--store", str(path)])
    assert code == 0, err.getvalue()
    return path, out.getvalue()


def test_each_genre_is_read(built: tuple[Path, str]) -> None:
    genres = {d.title: (str(d.genre), d.is_policy) for d in api.docs(store=built[0])}
    assert genres == {
        "吉林省住房和城乡建设厅关于召开“碳达峰碳中和目标背景下的超低能耗建筑发展”培训会议的通知":
            ("meeting", False),
        "河北省科学技术厅关于征集碳达峰碳中和领域专家的通知": ("call", False),
        "海洋碳汇经济价值核算方法": ("standard", False),
        "中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见":
            ("opinion", True),
        "杭州市科学技术局关于印发《杭州市科创领域碳达峰行动方案》的通知": ("notice", False),
        "杭州市科创领域碳达峰行动方案": ("plan", True),
    }


def test_summary_counts_policies_apart(built: tuple[Path, str]) -> None:
    out = built[1]
    assert "documents: 6\n" in out
    assert "  policies: 2 (central_policy: 1, local_policy: 1)\n" in out
    assert ("  not policies: 4 (calls for projects: 1, covering notices: 1, "
            "meeting or training notices: 1, standards: 1)\n") in out


def _walk(node: dict[str, Any], in_system: bool = True) -> Iterator[tuple[str, bool]]:
    inside = in_system and node.get("in_system", True)
    if node.get("doc_id"):
        yield node["doc_id"], inside
    for child in node.get("children", ()):
        yield from _walk(child, inside)


def test_tree_keeps_non_policies_outside(built: tuple[Path, str]) -> None:
    placed = dict(_walk(api.tree(store=built[0])))
    docs = api.docs(store=built[0])
    assert set(placed) == {d.id for d in docs}  # every document placed, once
    for d in docs:
        assert placed[d.id] == d.is_policy, d.title


def test_analyze_counts_policies_only(built: tuple[Path, str]) -> None:
    report = api.analyze(store=built[0])
    assert report.policies == 2
    policies = {d.id for d in api.docs(store=built[0]) if d.is_policy}
    assert {o.doc_id for o in report.orphans} <= policies
