"""The static site: every link resolves, filters change the rows, views are legible at first sight.

Built from the multi-jurisdiction fixture (``site_corpus/``, five jurisdictions) and from the
whole compilation; opened in headless Chromium at 1400×900 over ``file://``.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from policykg.graph.tree import build_tree, tree_to_json
from policykg.graph.views import to_networkx
from policykg.records import Corpus
from policykg.viz.site import MARKER, SITE_VIEWS, page_name, write_site

SIZE = (1400, 900)
#: the smallest label on screen at a view's first paint (px): the issue's floor
MIN_PX = 11


def _site(corpus: Corpus, out: Path) -> Path:
    tree = build_tree(corpus, corpus.sectors)
    graphs = {v: to_networkx(corpus, v, sector_tags=corpus.sectors, tree=tree) for v in SITE_VIEWS}
    labels = graphs["tree"].graph["sector_labels"]
    write_site(out, corpus, tree=tree_to_json(tree), graphs=graphs, sector_labels=labels)
    return out


@pytest.fixture(scope="module")
def fixture_site(multi_jurisdiction_corpus: Corpus) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="policykg-site-") as name:
        yield _site(multi_jurisdiction_corpus, Path(name) / "site")


@pytest.fixture(scope="module")
def compilation_site(compilation_corpus: Corpus) -> Iterator[Path]:
    import dataclasses

    from policykg.graph.sectors import tag_sectors

    corpus = dataclasses.replace(compilation_corpus, sectors=tuple(tag_sectors(compilation_corpus)))
    with tempfile.TemporaryDirectory(prefix="policykg-site-") as name:
        yield _site(corpus, Path(name) / "site")


# --- links (no browser) ------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.refs.append(value)
            if key == "id" and value:
                self.ids.add(value)


def _check_links(site: Path) -> int:
    """Assert every href/src of every page (and every node's page in the views) exists."""
    pages = sorted(site.rglob("*.html"))
    parsed: dict[Path, _Links] = {}
    for page in pages:
        parser = _Links()
        text = page.read_text(encoding="utf-8")
        parser.feed(text)
        found = re.search(r'<script id="pkg-data" type="application/json">(.*?)</script>', text,
                          re.S)
        if found:  # a view: every node's page
            nodes = json.loads(found.group(1))["nodes"]
            parser.refs += [n["href"] for n in nodes if n.get("href")]
        parsed[page] = parser
    checked = 0
    for page, parser in parsed.items():
        for ref in parser.refs:
            parts = urlsplit(ref)
            assert not parts.scheme, f"{page.name}: {ref} leaves the site"
            assert not parts.netloc, f"{page.name}: {ref} leaves the site"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)}: {ref} does not exist"
            assert site.resolve() in target.parents, f"{page.name}: {ref} leaves the site"
            if parts.fragment and target.suffix == ".html" and target.parent != site.resolve():
                assert unquote(parts.fragment) in parsed[target].ids, f"{ref}: no such anchor"
            checked += 1
    return checked


def test_fixture_site_links_resolve(fixture_site: Path, multi_jurisdiction_corpus: Corpus) -> None:
    assert (fixture_site / MARKER).is_file()
    for doc in multi_jurisdiction_corpus.documents:
        assert (fixture_site / "docs" / f"{page_name(doc.id)}.html").is_file()
    assert _check_links(fixture_site) > 100


@pytest.mark.slow
def test_compilation_site_links_resolve(compilation_site: Path) -> None:
    assert len(list((compilation_site / "docs").glob("*.html"))) == 133
    assert _check_links(compilation_site) > 5000


def test_document_page_says_printed_and_inferred(fixture_site: Path) -> None:
    text = (fixture_site / "docs" / "04-zhejiang-one.html").read_text(encoding="utf-8")
    assert "印于原文（04-zhejiang-one.txt:1）" in text  # the title
    assert "推断：据发文机关、标题或文号" in text  # the jurisdiction
    # line 2: 为贯彻落实《中共中央国务院关于…意见》: implements, with its line, and the reverse
    assert 'href="../docs/01-zhongfa-2021-36.html"' in text
    assert "04-zhejiang-one.txt:2" in text
    one = (fixture_site / "docs" / "01-zhongfa-2021-36.html").read_text(encoding="utf-8")
    assert "被以下文件贯彻落实（3）" in one  # 03 (line 2), 04 (line 2), 08 (line 3)
    assert "浙江省的“1”" in text  # the tree placement and its reason


PDF = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "pdf"


def test_document_pages_give_the_pdf_page_of_every_fact(tmp_path: Path) -> None:
    # pages 1 and 5 of 311、甘肃省“十四五”节能减排综合工作方案.pdf (tests/data/README.md): the
    # covering notice on page 1, the plan from page 1; its annotated tasks and the targets of
    # 2025 on page 2 (page 5 of the original)
    from policykg.loaders.corpus import load

    corpus = load([PDF / "gansu_energy_saving_p1_p5.pdf"])
    site = tmp_path / "site"
    write_site(site, corpus, tree=tree_to_json(build_tree(corpus, corpus.sectors)))
    name = "gansu_energy_saving_p1_p5.pdf"
    notice = next(d for d in corpus.documents if d.notice_of)
    text = (site / "docs" / f"{page_name(notice.id)}.html").read_text(encoding="utf-8")
    assert f"<td>甘政发〔2022〕41号</td><td class='muted'>印于原文（{name}:p1:3）" in text
    assert f"印于原文（{name}:p1:1）" in text  # the title's line
    assert f"印于文末署名（{name}:p1:9）" in text  # the date, printed at the sign-off
    plan = next(d for d in corpus.documents if d.attached_to)
    text = (site / "docs" / f"{page_name(plan.id)}.html").read_text(encoding="utf-8")
    # each task's lines and the page of its first line: 15–22 starts on page 1 (line 19 is the
    # first of page 2), 23–33 on page 2
    tasks = {t.start_line: t.end_line for t in corpus.tasks if t.doc_id == plan.id}
    assert tasks == {15: 22, 23: 33}
    assert f'<span class="src">{name}:p1:15-22</span>' in text
    assert f'<span class="src">{name}:p2:23-33</span>' in text
    targets = [t for t in corpus.targets if t.doc_id == plan.id]
    assert targets
    for target in targets:
        assert f'<span class="src">{name}:p2:{target.line}</span>' in text
    # the date the plan takes from the notice that publishes it, and where that prints it
    assert f"推断：取自印发它的通知《{notice.title}》的日期（{name}:p1:9）" in text
    # a citation's line: 《“十四五”节能减排综合工作方案》 cited on line 12 of page 1
    assert f'<span class="src">{name}:p1:12</span>' in text
    outline = text.split("章节目录", 1)[1]
    assert f'<span class="src">{name}:p1:14</span>' in outline  # 一、总体要求


def test_a_record_s_own_page_wins_over_its_paragraph_s(tmp_path: Path) -> None:
    import dataclasses

    from policykg.loaders.corpus import load

    corpus = load([PDF / "gansu_energy_saving_p1_p5.pdf"])
    assert [t.page for t in corpus.tasks] == [1, 2]  # the loaders' own, as the paragraphs say
    # a record that says otherwise (a task starting on the next page within a paragraph) is
    # shown with its own page, not the page of the paragraph holding its first line
    moved = dataclasses.replace(corpus.tasks[0], page=2)
    corpus = dataclasses.replace(corpus, tasks=(moved, *corpus.tasks[1:]))
    write_site(tmp_path / "site", corpus)
    plan = next(d for d in corpus.documents if d.attached_to)
    text = (tmp_path / "site" / "docs" / f"{page_name(plan.id)}.html").read_text(encoding="utf-8")
    assert '<span class="src">gansu_energy_saving_p1_p5.pdf:p2:15-22</span>' in text


def test_a_site_never_replaces_another_folder(tmp_path: Path, multi_jurisdiction_corpus: Corpus
                                              ) -> None:
    from policykg.errors import StoreError

    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match="not a policykg site"):
        write_site(other, multi_jurisdiction_corpus)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    site = tmp_path / "site"
    write_site(site, multi_jurisdiction_corpus)
    write_site(site, multi_jurisdiction_corpus)  # an earlier site is replaced whole
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt(),
                                     RuntimeError("a bug while rendering")])
def test_a_failed_site_write_leaves_the_previous_site(
    tmp_path: Path, multi_jurisdiction_corpus: Corpus, monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
) -> None:
    import policykg.viz.site as site_module
    from policykg.errors import StoreError

    site = tmp_path / "site"
    write_site(site, multi_jurisdiction_corpus)
    before = _snapshot(site)
    assert "index.html" in before
    assert any(k.startswith("docs/") for k in before)
    calls = []

    def dies_part_way(ix: Any, agency: Any) -> str:  # after the index and every document page
        calls.append(agency.id)
        raise failure

    monkeypatch.setattr(site_module, "_agency_page", dies_part_way)
    expected: type[BaseException] = StoreError if isinstance(failure, OSError) else type(failure)
    with pytest.raises(expected):
        write_site(site, multi_jurisdiction_corpus)
    assert calls  # it failed part way through, not before it began
    assert _snapshot(site) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left


# --- in the browser ----------------------------------------------------------------------


def _outside(page: Any, site: Path) -> list[str]:
    """Requests that leave the site folder (the network, or other files)."""
    root = site.resolve().as_uri() + "/"
    return [u for u in page.requests() if not u.startswith(root)]


#: JS: on-screen size (px) of every drawn label, and any two drawn labels that overlap
LEGIBILITY = """(function () {
  var net = window.PKG_NETWORK, scale = net.getScale(), boxes = [], sizes = [];
  net.body.data.nodes.getIds().forEach(function (id) {
    var n = net.body.nodes[id], lab = n.labelModule;
    if (!n.options.label || !String(n.options.label).trim() || !lab.visible()) { return; }
    sizes.push(lab.fontOptions.size * scale);
    var s = lab.size;
    boxes.push([id, s.left, s.top, s.left + s.width, s.top + s.height]);
  });
  var overlaps = [];
  for (var i = 0; i < boxes.length; i++) {
    for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i], b = boxes[j];
      if (a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5 && a[2] < b[4] - 0.5 && b[2] < a[4] - 0.5) {
        overlaps.push([a[0], b[0]]);
      }
    }
  }
  return {drawn: sizes.length, smallest: Math.min.apply(null, sizes), overlaps: overlaps,
          tree: !!net.layoutEngine.options.hierarchical.enabled};
})()"""


def _legible(page: Any, view: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(LEGIBILITY)
    assert result["drawn"] >= 3, (view, result)
    assert result["smallest"] >= MIN_PX, (view, result)
    if not result["tree"]:  # the tree's boxes sit on separate rows by construction
        assert result["overlaps"] == [], (view, result["overlaps"][:5])
    return result


@pytest.mark.browser
@pytest.mark.parametrize("view", SITE_VIEWS)
def test_fixture_views_legible_offline(
    view: str, fixture_site: Path, open_page: Callable[..., Any]
) -> None:
    page = open_page(fixture_site / f"{view}.html", size=SIZE)
    assert page.wait_until("window.PKG_READY === true"), "layout never finished"
    _legible(page, view)
    assert _outside(page, fixture_site) == []
    assert page.errors() == []


@pytest.mark.browser
def test_fixture_index_filters_rows(fixture_site: Path, open_page: Callable[..., Any]) -> None:
    page = open_page(fixture_site / "index.html", size=SIZE)
    assert page.wait_until("document.body.getAttribute('data-ready') === '1'")
    rows = "document.querySelectorAll('#doc-table tbody tr:not([hidden])').length"
    # ten files, eleven documents: 07 is a covering notice and the plan it publishes
    assert page.evaluate(rows) == 11

    def choose(select: str, value: str) -> int:
        page.evaluate(
            f"(function(){{var s=document.getElementById({json.dumps(select)});"
            f"s.value={json.dumps(value)};s.dispatchEvent(new Event('change'));}})()"
        )
        return int(page.evaluate(rows))

    assert choose("f-jurisdiction", "浙江省") == 2
    assert choose("f-jurisdiction", "") == 11
    # 江西 (2022-04-06), 重庆 (2022-07-09) and 宁夏 (2022-05-26), when the loaders read its date
    assert choose("f-year", "2022") in (2, 3)
    page.evaluate("document.getElementById('f-reset').click()")
    page.evaluate(
        "(function(){var s=document.getElementById('f-text');s.value='渝府办发〔2022〕79号';"
        "s.dispatchEvent(new Event('input'));})()"
    )
    assert page.evaluate(rows) == 1
    assert "显示 1 / 11 份文件" in page.evaluate("document.getElementById('doc-count').textContent")
    assert _outside(page, fixture_site) == []
    assert page.errors() == []


#: the list's filters (issue 14) and their labels
FILTERS = {"kind": "类别", "genre": "文种", "level": "层级", "jurisdiction": "辖区",
           "issuer": "发文机关", "year": "年份", "sector": "领域"}


@pytest.mark.browser
@pytest.mark.parametrize("key", FILTERS)
def test_fixture_index_each_filter_changes_the_rows(
    key: str, fixture_site: Path, open_page: Callable[..., Any]
) -> None:
    page = open_page(fixture_site / "index.html", size=SIZE)
    assert page.wait_until("document.body.getAttribute('data-ready') === '1'")
    select = f"document.getElementById('f-{key}')"
    assert page.evaluate(f"{select}.parentElement.textContent.trim().split(' ')[0]") \
        == FILTERS[key]
    options = page.evaluate(
        f"Array.from({select}.options).filter(o => o.value).map(o => [o.value, o.text])"
    )
    assert len(options) >= 2, options  # the fixture holds several of each
    for _, text in options:  # Chinese names with a count: 方案、计划（3）, 省级（4）
        assert re.fullmatch(r"[^a-z_]+（\d+）", text), text
    rows = "Array.from(document.querySelectorAll('#doc-table tbody tr:not([hidden])'))"
    total = page.evaluate(f"{rows}.length")
    assert total == 11
    for value, text in options:
        page.evaluate(f"(function(){{var s={select};s.value={json.dumps(value)};"
                      "s.dispatchEvent(new Event('change'));})()")
        shown = page.evaluate(f"{rows}.map(r => r.getAttribute('data-{key}').split('|'))")
        expected = int(re.search(r"（(\d+)）$", text).group(1))  # type: ignore[union-attr]
        assert len(shown) == expected, (value, text, shown)
        assert 0 < len(shown) < total, (value, text)
        assert all(value in have for have in shown), (value, shown)
    assert page.errors() == []


@pytest.mark.browser
def test_fixture_tree_expands_and_collapses_on_click(
    fixture_site: Path, open_page: Callable[..., Any]
) -> None:
    page = open_page(fixture_site / "tree.html", size=SIZE)
    assert page.wait_until("window.PKG_READY === true")
    shown = "window.PKG_NETWORK.body.data.nodes.length"
    before = page.evaluate(shown)

    def click(node: str) -> None:
        x, y = page.evaluate(
            "(function(){var n=window.PKG_NETWORK, p=n.getPositions(["
            f"{json.dumps(node)}])[{json.dumps(node)}];"
            "var d=n.canvasToDOM(p), r=document.querySelector('#pkg-network canvas')"
            ".getBoundingClientRect(); return [r.left + d.x, r.top + d.y];})()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            page.call("Input.dispatchMouseEvent",
                      {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    group = page.evaluate(
        "window.PKG_NODES.filter(n => n.label.indexOf('地方') === 0)[0].id"
    )
    # the fixture is small: every level is open; a click folds the local systems away
    click(group)
    assert page.wait_until(f"{shown} < {before}", timeout=10)
    assert "（+" in page.evaluate(f"window.PKG_NETWORK.body.data.nodes.get({json.dumps(group)})"
                                 ".label")
    folded = page.evaluate(shown)
    click(group)  # and opens its first level again
    assert page.wait_until(f"{shown} > {folded}", timeout=10)
    assert page.errors() == []


@pytest.mark.browser
def test_a_document_page_opens_its_node_in_the_tree(
    fixture_site: Path, open_page: Callable[..., Any]
) -> None:
    page = open_page(fixture_site / "docs" / "07-hangzhou-tech.html", size=SIZE)
    href = page.evaluate("document.querySelector('p.views a').getAttribute('href')")
    assert href == "../tree.html#07-hangzhou-tech"
    tree = open_page(fixture_site / "tree.html", "07-hangzhou-tech", size=SIZE)
    assert tree.wait_until("window.PKG_READY === true")
    selected = tree.evaluate("window.PKG_NETWORK.getSelectedNodes()")
    assert tree.evaluate(f"window.PKG_NODES.find(n => n.id === {json.dumps(selected[0])}).ref") \
        == "07-hangzhou-tech"
    # the side panel links the node back to its page
    assert tree.evaluate("document.getElementById('pkg-open').getAttribute('href')") \
        == "docs/07-hangzhou-tech.html"
    assert tree.errors() == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("view", SITE_VIEWS)
def test_compilation_views_legible_at_first_paint(
    view: str, compilation_site: Path, open_page: Callable[..., Any]
) -> None:
    page = open_page(compilation_site / f"{view}.html", size=SIZE)
    assert page.wait_until("window.PKG_READY === true"), "layout never finished"
    result = _legible(page, view)
    if view == "tree":  # it opens on the "1" and its first level, all labelled
        shown = page.evaluate("window.PKG_NETWORK.body.data.nodes.length")
        assert result["drawn"] == shown
        assert 10 < shown < 60
    assert _outside(page, compilation_site) == []
    assert page.errors() == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("rel", ["index.html", "docs/p2-1.4.html", "agencies/ndrc.html"])
def test_compilation_pages_open_offline(
    rel: str, compilation_site: Path, open_page: Callable[..., Any]
) -> None:
    page = open_page(compilation_site / rel, size=SIZE)
    assert page.wait_until("document.readyState === 'complete'")
    assert _outside(page, compilation_site) == []
    assert page.errors() == []
    if rel == "index.html":
        assert page.wait_until("document.body.getAttribute('data-ready') === '1'")
        rows = "document.querySelectorAll('#doc-table tbody tr:not([hidden])').length"
        assert page.evaluate(rows) == 133
        page.evaluate(
            "(function(){var s=document.getElementById('f-jurisdiction');s.value='江苏省';"
            "s.dispatchEvent(new Event('change'));})()"
        )
        assert page.evaluate(rows) == 4  # part 4 chapter 3: 江苏 3.1–3.4
