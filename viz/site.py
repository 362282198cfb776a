"""The static policy browser: a document list, a page per document and per agency, the views.

``write_site(out_dir, corpus, tree=…, graphs=…)`` writes a folder that works from ``file://``
and from any static web server: ``index.html`` (the document list with client-side filters and
search), ``docs/<id>.html``, ``agencies/<id>.html``, the graph views (``tree.html`` …) and
``assets/`` (stylesheet and script). Nothing is fetched from the network. Graph nodes link to
the pages (``href``) and pages link to their node in the views (``view.html#<id>``).

Takes records (``policykg.records``) and networkx graphs; must not import ``graph`` or
``loaders``.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.errors import Errors, StoreError
from policykg.fsio import atomic_dir
from policykg.records import Agency, Corpus, Document, Relation, Span, Task
from policykg.viz.render import (
    DEFAULT_TITLES,
    EXTERNAL_REF,
    VIEW_HINTS,
    render,
)
from policykg.viz.style import AGENCY_LEVEL_STYLES, DOC_KIND_STYLES, FONT_FAMILY

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MARKER", "SITE_VIEWS", "page_name", "write_site"]

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
#: A file in every site folder: ``write_site`` replaces only folders that hold it (or empty ones).
MARKER = ".policykg-site"
#: The views a site links, in display order.
SITE_VIEWS = ("tree", "coresponsibility", "responsibility", "citations")

_SAFE = re.compile(r"[^A-Za-z0-9._-]")

DATE_SOURCES: dict[str, str] = {
    "under_title": "标题下",
    "header": "文件头",
    "sign_off": "文末署名",
    "title": "标题",
    "body": "正文",
    "printed": "版记（印发日期）",
}
BASIS_LABELS: dict[str, str] = {
    "root": "“1”（人工认定）",
    "curated": "人工归类（graph/data/one_plus_n.toml）",
    "implements": "文中“贯彻落实《…》”",
    "local_one": "标题形式与发文辖区（本地“1”）",
    "local_plan": "标题形式与发文辖区（本地碳达峰实施方案）",
    "jurisdiction": "发文辖区",
    "sector_title": "标题点明的领域",
    "sector_body": "正文提及最多的领域",
    "date": "印发日期早于“1”",
    "kind": "文本类别",
    "group": "分组",
    "none": "无规则",
}
#: ``Document.genre`` → its name in the list's filter and on the document page
GENRE_LABELS: dict[str, str] = {
    "plan": "方案、计划",
    "development_plan": "规划、纲要",
    "opinion": "意见",
    "measures": "办法、措施",
    "notice": "通知、公告",
    "call": "申报、征集",
    "meeting": "会议、培训",
    "standard": "标准、规范",
    "white_paper": "白皮书",
    "speech": "讲话",
    "law": "法律、条例",
    "decision": "决定",
    "agreement": "国际协议",
    "other": "其他",
}
#: ``Document.level`` (the issuer's level) and ``Agency.level`` → their names
LEVEL_LABELS: dict[str, str] = {
    "central": "中央",
    "ministry": "部委",
    "national": "国家",
    "provincial": "省级",
    "municipal": "市级",
    "county": "县级",
    "district": "区县级",
    "enterprise": "企业",
    "other": "其他",
}


def page_name(ident: str) -> str:
    """Return a file name for a record id: the id itself when it is plain ASCII, else a slug.

    >>> page_name("p2-1.3")
    'p2-1.3'
    >>> page_name("浙江/1")
    '___1-a332b9d89e'
    """
    if ident and not _SAFE.search(ident) and not ident.startswith("."):
        return ident
    digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:10]
    return _SAFE.sub("_", ident)[:40].strip(".") + "-" + digest


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _kind_label(kind: str) -> str:
    style = DOC_KIND_STYLES.get(kind)
    return style.label if style else kind


def _level_label(level: str | None) -> str:
    if not level:
        return ""
    if level in AGENCY_LEVEL_STYLES:
        return AGENCY_LEVEL_STYLES[level].label
    return LEVEL_LABELS.get(level, level)


def _doc_level_label(level: str) -> str:
    """A document's level (its issuer's) in words: 省级, 部委 …"""
    return LEVEL_LABELS.get(level, level)


def _opt(doc: Document, name: str) -> str | None:
    """An optional field of a document (genre, level … are added by the loaders over time)."""
    value = getattr(doc, name, None)
    if value is None or value == "":
        return None
    return str(value)


def _span(file: str, start: int, end: int | None = None, page: int | None = None) -> str:
    """A source location as ``Span`` prints it: ``file:pN:start-end`` (no page for a text file).

    >>> _span("dir/a.pdf", 12, 14, 3)
    'a.pdf:p3:12-14'
    >>> _span("a.txt", 7)
    'a.txt:7'
    """
    return str(Span(file=Path(file).name, start_line=start, end_line=start if end is None else end,
                    page=page))


def _page_index(doc: Document) -> tuple[list[int], list[int | None]]:
    """A document's paragraph first lines and their PDF pages, for ``bisect``."""
    paragraphs = sorted(doc.paragraphs, key=lambda p: p.start_line)
    return [p.start_line for p in paragraphs], [p.page for p in paragraphs]


def _page_at(index: tuple[list[int], list[int | None]], line: int) -> int | None:
    """The PDF page of a document's ``line``: the page of the paragraph it starts or sits in."""
    starts, pages = index
    i = bisect.bisect_right(starts, line) - 1
    return pages[i] if i >= 0 else (pages[0] if pages else None)


def _src(text: str) -> str:
    return f'<span class="src">{_e(text)}</span>'


@dataclass(slots=True)
class _Index:
    """Look-ups shared by every page."""

    corpus: Corpus
    docs: dict[str, Document]
    agencies: dict[str, Agency]
    sector_labels: Mapping[str, str]
    tree: dict[str, dict[str, Any]]  # doc id → its tree node (JSON) with "parent" added
    roles: dict[str, dict[str, str]] = field(default_factory=dict)  # task id → agency → role
    tasks_by_doc: dict[str, list[Task]] = field(default_factory=lambda: defaultdict(list))
    sectors: dict[str, list[tuple[str, tuple[str, ...]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    views: tuple[str, ...] = ()
    pages: dict[str, tuple[list[int], list[int | None]]] = field(default_factory=dict)

    def where(self, doc: Document, start: int, end: int | None = None,
              page: int | None = None) -> str:
        """``file:pN:start-end`` of lines of ``doc``: the record's own ``page``, else the page of
        the paragraph holding ``start`` (header lines, records of a store older than pages)."""
        if page is None and doc.paragraphs:
            if doc.id not in self.pages:
                self.pages[doc.id] = _page_index(doc)
            page = _page_at(self.pages[doc.id], start)
        return _span(doc.file, start, end, page)

    def doc_href(self, doc_id: str, up: str = "") -> str:
        return f"{up}docs/{page_name(doc_id)}.html"

    def agency_href(self, agency_id: str, up: str = "") -> str:
        return f"{up}agencies/{page_name(agency_id)}.html"

    def doc_link(self, doc_id: str, up: str = "", text: str | None = None) -> str:
        doc = self.docs.get(doc_id)
        if doc is None:
            return _e(text or doc_id)
        return f'<a href="{_e(self.doc_href(doc_id, up))}">{_e(text or doc.title)}</a>'

    def agency_link(self, agency_id: str, up: str = "") -> str:
        agency = self.agencies.get(agency_id)
        name = agency.name if agency else agency_id
        if agency_id not in self.agencies:
            return _e(name)
        return f'<a href="{_e(self.agency_href(agency_id, up))}">{_e(name)}</a>'


def _task_roles(tasks: Iterable[Task], agencies: Mapping[str, Agency]) -> dict[str, dict[str, str]]:
    """Task id → {agency id: lead | participant} (ids or canonical names, as ``graph.views``)."""
    ids = {a.id: a.id for a in agencies.values()}
    for agency in agencies.values():
        ids.setdefault(agency.name, agency.id)
    out: dict[str, dict[str, str]] = {}
    for task in tasks:
        mine: dict[str, str] = {}
        for role, names in (("participant", task.participants), ("lead", task.lead)):
            for name in names:
                if name in ids:
                    mine[ids[name]] = role
        out[task.id] = mine
    return out


def _tree_index(tree: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Doc id → its tree node with ``parent`` (the parent node) and ``path`` (labels above)."""
    out: dict[str, dict[str, Any]] = {}
    if not tree:
        return out
    stack: list[tuple[Mapping[str, Any], Mapping[str, Any] | None, tuple[str, ...]]] = [
        (tree, None, ())
    ]
    while stack:
        node, parent, path = stack.pop()
        if node.get("doc_id"):
            out[str(node["doc_id"])] = {**node, "parent": parent, "path": path}
        for child in node.get("children", []):
            stack.append((child, node, (*path, str(node.get("label", "")))))
    return out


# --- page frame --------------------------------------------------------------------------


def _frame(title: str, body: str, *, up: str, views: Sequence[str], script: bool = False) -> str:
    nav = [f'<a href="{up}index.html">文件列表</a>']
    nav += [f'<a href="{up}{v}.html">{_e(DEFAULT_TITLES[v])}</a>' for v in views]
    js = f'<script src="{up}assets/site.js"></script>' if script else ""
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} · 双碳政策知识图谱</title>
<link rel="stylesheet" href="{up}assets/site.css">
</head>
<body{"" if script else ' data-ready="1"'}>
<header class="site-bar"><b>双碳政策知识图谱</b>{" ".join(nav)}</header>
<main class="site-main">
{body}
</main>
{js}
</body>
</html>
"""
    found = EXTERNAL_REF.search(page)
    if found is not None:
        raise ValueError(f"{title}: the page would fetch {found.group('url')!r} from the network")
    return page


# --- the document list -------------------------------------------------------------------


def _doc_row(ix: _Index, doc: Document) -> str:
    genre, level = _opt(doc, "genre"), _opt(doc, "level")
    sectors = sorted({s for s, _ in ix.sectors.get(doc.id, [])})
    year = str(doc.year) if doc.year else (doc.date or "")[:4]
    data = {
        "kind": str(doc.kind),
        "genre": genre or "",
        "level": level or "",
        "jurisdiction": doc.jurisdiction or "全国",
        "issuer": "|".join(doc.issuers),
        "year": year,
        "sector": "|".join(sectors),
        "text": f"{doc.title} {doc.doc_number or ''}",
    }
    attrs = " ".join(f'data-{k}="{_e(v)}"' for k, v in data.items())
    sector_tags = "".join(
        f'<span class="tag">{_e(ix.sector_labels.get(s, s))}</span>' for s in sectors
    )
    return (
        f"<tr {attrs}><td>{ix.doc_link(doc.id)}</td><td>{_e(doc.doc_number)}</td>"
        f"<td>{_e(doc.date)}</td><td>{_e(_kind_label(str(doc.kind)))}</td>"
        f"<td>{_e(GENRE_LABELS.get(genre or '', genre))}</td>"
        f"<td>{_e(_doc_level_label(level or ''))}</td><td>{_e(doc.jurisdiction or '全国')}</td>"
        f"<td>{_e('、'.join(doc.issuers))}</td><td>{sector_tags}</td></tr>"
    )


def _select(key: str, label: str, values: Counter[str], names: Mapping[str, str]) -> str:
    options = "".join(
        f'<option value="{_e(v)}">{_e(names.get(v, v))}（{n}）</option>'
        for v, n in sorted(values.items(), key=lambda item: (-item[1], item[0]))
        if v
    )
    return (
        f'<label>{_e(label)} <select id="f-{key}"><option value="">全部</option>'
        f"{options}</select></label>"
    )


def _index_page(ix: _Index, figures: Mapping[str, int]) -> str:
    docs = ix.corpus.documents
    counts: dict[str, Counter[str]] = {k: Counter() for k in
                                       ("kind", "genre", "level", "jurisdiction", "issuer",
                                        "year", "sector")}
    for doc in docs:
        counts["kind"][str(doc.kind)] += 1
        counts["genre"][_opt(doc, "genre") or ""] += 1
        counts["level"][_opt(doc, "level") or ""] += 1
        counts["jurisdiction"][doc.jurisdiction or "全国"] += 1
        counts["issuer"].update(set(doc.issuers))
        counts["year"][str(doc.year) if doc.year else (doc.date or "")[:4]] += 1
        counts["sector"].update({s for s, _ in ix.sectors.get(doc.id, [])})
    kind_names = {k: _kind_label(k) for k in counts["kind"]}
    level_names = {k: _doc_level_label(k) for k in counts["level"]}
    filters = [
        _select("kind", "类别", counts["kind"], kind_names),
        _select("genre", "文种", counts["genre"], GENRE_LABELS),
        _select("level", "层级", counts["level"], level_names),
        _select("jurisdiction", "辖区", counts["jurisdiction"], {}),
        _select("issuer", "发文机关", counts["issuer"], {}),
        _select("year", "年份", counts["year"], {}),
        _select("sector", "领域", counts["sector"], ix.sector_labels),
    ]
    figure_items = "".join(f"<li><b>{n:,}</b>{_e(label)}</li>" for label, n in figures.items())
    views = "".join(
        f'<li><a href="{v}.html">{_e(DEFAULT_TITLES[v])}</a>：{_e(VIEW_HINTS[v])}</li>'
        for v in ix.views
    )
    rows = "\n".join(_doc_row(ix, d) for d in sorted(docs, key=_doc_order))
    body = f"""<h1>双碳政策文件</h1>
<ul class="figures" id="figures">{figure_items}</ul>
<form id="filters" onsubmit="return false">
<label>检索 <input id="f-text" type="search" placeholder="标题或文号" size="18"></label>
{"".join(f for f in filters if f)}
<button type="button" id="f-reset">清除</button> <span id="doc-count" aria-live="polite"></span>
</form>
<table id="doc-table"><thead><tr><th>标题</th><th>文号</th><th>日期</th><th>类别</th><th>文种</th>
<th>层级</th><th>辖区</th><th>发文机关</th><th>领域</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<h2>图谱视图</h2>
<ul class="views-list">{views}</ul>
"""
    return _frame("文件列表", body, up="", views=ix.views, script=True)


def _doc_order(doc: Document) -> tuple[str, str, int]:
    return (doc.file, f"{doc.part or 0:02d}", doc.start_line)


# --- a document's page -------------------------------------------------------------------


def _printed_line(doc: Document, *names: str) -> int | None:
    """The line on which the document prints the first of ``names`` (``official.lines``)."""
    lines = dict(doc.official.lines) if doc.official else {}
    return next((lines[n] for n in names if n in lines), None)


def _inferred_how(ix: _Index, doc: Document, name: str) -> str | None:
    """How an inferred 文号 or date was taken: from which citing document, where, what it prints."""
    for got in doc.inferred:
        if got.field != name:
            continue
        citing = ix.docs.get(got.doc_id)
        where = ix.where(citing, got.line) if citing else _span(got.file, got.line)
        title = f"《{citing.title}》" if citing else got.doc_id
        return f"推断：原文未印，取自引用它的{title}（{where}）：{got.text}"
    return None


def _meta_rows(ix: _Index, doc: Document) -> list[tuple[str, str, str]]:
    """(field, value HTML, how it is known: printed with its file:page:line, or inferred)."""
    span = ix.where(doc, doc.start_line, doc.end_line)

    def printed(*names: str, where: str = "原文") -> str:
        line = _printed_line(doc, *names)
        return f"印于{where}（{ix.where(doc, line) if line else span}）"

    title_line = _printed_line(doc, "title") or doc.start_line
    rows = [("标题", _e(doc.title), f"印于原文（{ix.where(doc, title_line)}）")]
    if doc.doc_number:
        rows.append(("文号", _e(doc.doc_number),
                     _inferred_how(ix, doc, "doc_number") or printed("doc_number")))
    if doc.date:
        source = str(doc.date_source or "")
        how = _inferred_how(ix, doc, "date")
        if how is None and source == "covering_notice" and doc.attached_to in ix.docs:
            notice = ix.docs[doc.attached_to]
            line = _printed_line(notice, "date", "sign_off") or notice.start_line
            how = f"推断：取自印发它的通知《{notice.title}》的日期（{ix.where(notice, line)}）"
        if how is None:
            how = printed("date", "sign_off", where=DATE_SOURCES.get(source, "原文"))
        rows.append(("日期", _e(doc.date), how))
    if doc.issuers:
        links = "、".join(
            ix.agency_link(a) if a in ix.agencies else _e(name)
            for a, name in zip(
                doc.issuer_ids or doc.issuers, doc.issuers, strict=False
            )
        )
        rows.append(("发文机关", links,
                     printed("sign_off", "letterhead") + "，名称按部门名录归一"))
    rows.append(("类别", _e(_kind_label(str(doc.kind))),
                 "推断：据汇编的部分" if doc.part else "推断：据发文机关层级与文本"))
    if doc.official_type:
        rows.append(("公文种类", _e(doc.official_type),
                     f"印于标题末（{ix.where(doc, title_line)}）"))
    genre = _opt(doc, "genre")
    if genre:
        rows.append(("文种", _e(GENRE_LABELS.get(genre, genre)),
                     f"推断：据标题（{ix.where(doc, title_line)}）与发文机关"))
    level = _opt(doc, "level")
    if level:
        rows.append(("层级", _e(_doc_level_label(level)), "推断：据发文机关"))
    rows.append(("辖区", _e(doc.jurisdiction or "全国"), "推断：据发文机关、标题或文号"))
    tags = ix.sectors.get(doc.id, [])
    if tags:
        value = "".join(
            f'<span class="tag">{_e(ix.sector_labels.get(s, s))}</span>' for s, _ in tags
        )
        words = sorted({t for _, ts in tags for t in ts})
        terms = "、".join(words[:12]) + (f" 等 {len(words)} 个" if len(words) > 12 else "")
        rows.append(("领域", value, f"推断：据文中词语（{terms}）"))
    if doc.url:
        rows.append(("来源网址", _e(doc.url), "印于原文"))
    if doc.official and doc.official.addressees:
        rows.append(("主送机关", _e(doc.official.addressees), printed("addressees")))
    if doc.pages:
        first, last = doc.pages
        rows.append(("页码", _e(f"第 {first}–{last} 页" if last != first else f"第 {first} 页"),
                     "载入时记录（PDF 页码）"))
    rows.append(("原文位置", _e(span), "载入时记录"))
    return rows


def _relations(ix: _Index, doc: Document) -> dict[str, list[tuple[str, str]]]:
    """Cites / cited by / implements / implemented by: (link HTML, source) per relation."""
    out: dict[str, list[tuple[str, str]]] = {k: [] for k in
                                              ("implements", "cites", "implemented", "cited")}
    seen: set[tuple[str, str, int]] = set()
    for c in ix.corpus.citations:
        if c.doc_id == doc.id:
            key = "implements" if c.relation is Relation.IMPLEMENTS else "cites"
            if c.cited_doc_id and c.cited_doc_id != doc.id:
                link = ix.doc_link(c.cited_doc_id)
            else:
                link = _e("《" + (c.external_title or c.cited_title).strip("《》") + "》（未收录）")
            where = ix.where(doc, c.line, page=c.page)
        elif c.cited_doc_id == doc.id and c.doc_id != doc.id and c.doc_id in ix.docs:
            key = "implemented" if c.relation is Relation.IMPLEMENTS else "cited"
            link = ix.doc_link(c.doc_id)
            where = ix.where(ix.docs[c.doc_id], c.line, page=c.page)
        else:
            continue
        ident = (key, link, c.line)
        if ident not in seen:
            seen.add(ident)
            out[key].append((link, where))
    return out


def _related_html(ix: _Index, doc: Document) -> str:
    labels = {
        "implements": "贯彻落实",
        "cites": "引用",
        "implemented": "被以下文件贯彻落实",
        "cited": "被以下文件引用",
    }
    rel = _relations(ix, doc)
    parts = []
    for key, label in labels.items():
        items = "".join(f"<li>{link} {_src(where)}</li>" for link, where in rel[key])
        parts.append(f"<h3>{_e(label)}（{len(rel[key])}）</h3><ul>{items or '<li>无</li>'}</ul>")
    for name, label in (("notice_of", "所印发的文件"), ("attached_to", "印发通知")):
        target = _opt(doc, name)
        if target:
            parts.append(f"<h3>{label}</h3><ul><li>{ix.doc_link(target, '../')}</li></ul>")
    return "".join(parts).replace('href="docs/', 'href="../docs/')


def _tree_html(ix: _Index, doc: Document) -> str:
    node = ix.tree.get(doc.id)
    if node is None:
        return "<p>不在“1+N”树中。</p>"
    parent = node.get("parent") or {}
    if parent.get("doc_id"):
        up = ix.doc_link(str(parent["doc_id"]), "../")
    else:
        up = _e(parent.get("label", "—"))
    path = " &gt; ".join(_e(p) for p in node.get("path", ()))
    kids = "".join(
        f"<li>{ix.doc_link(str(c['doc_id']), '../') if c.get('doc_id') else _e(c['label'])}</li>"
        for c in node.get("children", [])
    )
    status = "属于“1+N”政策体系" if node.get("in_system", True) else "不属于“1+N”政策体系"
    basis = BASIS_LABELS.get(str(node.get("basis", "")), str(node.get("basis", "")))
    return f"""<table class="meta">
<tr><th>上级</th><td>{up}</td></tr>
<tr><th>路径</th><td>{path}</td></tr>
<tr><th>归入理由</th><td>{_e(node.get("reason"))}</td></tr>
<tr><th>依据</th><td>{_e(basis)}</td></tr>
<tr><th>体系</th><td class="{'' if node.get('in_system', True) else 'out'}">{status}</td></tr>
</table>
{f"<h3>下级（{len(node.get('children', []))}）</h3><ul>{kids}</ul>" if kids else ""}"""


def _outline_html(ix: _Index, doc: Document) -> str:
    if not doc.sections:
        return "<p>无章节标题。</p>"
    items = "".join(
        f'<li class="lv{min(s.level, 6)}">{_e(s.marker)}{_e(s.heading)} '
        f"{_src(ix.where(doc, s.start_line, page=s.page))}</li>"
        for s in doc.sections
    )
    return f'<ul class="outline">{items}</ul>'


def _tasks_html(ix: _Index, doc: Document) -> str:
    tasks = ix.tasks_by_doc.get(doc.id, [])
    if not tasks:
        return "<p>文中没有标注责任单位的任务。</p>"
    rows = []
    for task in tasks:
        roles = ix.roles.get(task.id, {})
        lead = "、".join(ix.agency_link(a, "../") for a, r in sorted(roles.items()) if r == "lead")
        lead = lead or "、".join(_e(x) for x in task.lead) or "—"
        part = "、".join(
            ix.agency_link(a, "../") for a, r in sorted(roles.items()) if r == "participant"
        ) or "、".join(_e(x) for x in task.participants) or "—"
        if task.collective:
            part += "（另有：" + "、".join(_e(x) for x in task.collective) + "）"
        text = task.text if len(task.text) <= 160 else task.text[:159] + "…"
        rows.append(
            f'<tr id="{_e(page_name(task.id))}"><td>{_e(" > ".join(task.section))}</td>'
            f'<td>{_e(text)}</td><td class="lead">{lead}</td><td>{part}</td>'
            f"<td>{_src(_task_where(ix, doc, task))}<br>"
            f'<span class="muted">{_e(task.raw)}</span></td></tr>'
        )
    return (
        "<table><thead><tr><th>章节</th><th>任务</th><th>牵头</th><th>参与</th><th>出处</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _task_where(ix: _Index, doc: Document | None, task: Task) -> str:
    """``file:pN:lines`` of a task (its own page; a store written before tasks had one: none)."""
    page = task.page
    if doc is None:
        return _span(task.doc_id, task.start_line, task.end_line, page)
    return ix.where(doc, task.start_line, task.end_line, page)


def _targets_html(ix: _Index, doc: Document) -> str:
    targets = [t for t in ix.corpus.targets if t.doc_id == doc.id]
    if not targets:
        return "<p>无量化目标。</p>"
    rows = []
    for t in targets:
        value = "" if t.value is None else f"{t.value:g}"
        if t.value_max is not None:
            value += f"–{t.value_max:g}"
        value += (t.unit or "") + ("左右" if t.approx else "")
        base = f"（比{t.base_year}年）" if t.base_year else ""
        rows.append(
            f"<tr><td>{_e(t.year)}</td><td>{_e(t.indicator)}</td><td>{_e(t.direction)}{base}</td>"
            f"<td>{_e(value)}</td>"
            f"<td>{_src(ix.where(doc, t.line, page=t.page))}</td></tr>"
        )
    return (
        "<table><thead><tr><th>年份</th><th>指标</th><th>方向</th><th>数值</th><th>出处</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _doc_page(ix: _Index, doc: Document) -> str:
    meta = "".join(
        f"<tr><th>{_e(k)}</th><td>{v}</td><td class='muted'>{_e(how)}</td></tr>"
        for k, v, how in _meta_rows(ix, doc)
    )
    views = [f'<a href="../tree.html#{_e(doc.id)}">在“1+N”树中查看</a>']
    if "citations" in ix.views:
        views.append(f'<a href="../citations.html#{_e(doc.id)}">在引用网络中查看</a>')
    n_tasks = len(ix.tasks_by_doc.get(doc.id, []))
    body = f"""<h1>{_e(doc.title)}</h1>
<p class="views">{"".join(views)}</p>
<h2>元数据</h2>
<table class="meta"><thead><tr><th>项目</th><th>值</th><th>来源（印于原文或推断）</th></tr></thead>
<tbody>{meta}</tbody></table>
<h2>在“1+N”政策体系中的位置</h2>
{_tree_html(ix, doc)}
<h2>引用与贯彻落实</h2>
{_related_html(ix, doc)}
<h2>任务与责任单位（{n_tasks}）</h2>
{_tasks_html(ix, doc)}
<h2>量化目标</h2>
{_targets_html(ix, doc)}
<h2>章节目录</h2>
{_outline_html(ix, doc)}
"""
    body = body.replace('href="docs/', 'href="../docs/').replace('href="agencies/',
                                                                 'href="../agencies/')
    return _frame(doc.title, body, up="../", views=ix.views)


# --- an agency's page --------------------------------------------------------------------


def _agency_page(ix: _Index, agency: Agency) -> str:
    mine = [(t, ix.roles[t.id][agency.id]) for t in ix.corpus.tasks
            if agency.id in ix.roles.get(t.id, {})]
    by_doc: dict[str, list[tuple[Task, str]]] = defaultdict(list)
    shared: Counter[str] = Counter()
    for task, role in mine:
        by_doc[task.doc_id].append((task, role))
        shared.update(a for a in ix.roles[task.id] if a != agency.id)
    leads = sum(1 for _, r in mine if r == "lead")
    parent = ix.agency_link(agency.parent, "../") if agency.parent else "—"
    children = [a for a in ix.agencies.values() if a.parent == agency.id]
    meta = f"""<table class="meta">
<tr><th>名称</th><td>{_e(agency.name)}</td></tr>
<tr><th>别名</th><td>{_e("、".join(agency.aliases)) or "—"}</td></tr>
<tr><th>层级</th><td>{_e(_level_label(str(agency.level)))}</td></tr>
<tr><th>辖区</th><td>{_e(agency.jurisdiction or "全国")}</td></tr>
<tr><th>上级</th><td>{parent}</td></tr>
<tr><th>下属</th><td>{"、".join(ix.agency_link(a.id, "../") for a in children) or "—"}</td></tr>
<tr><th>任务</th><td>{len(mine)}（牵头 {leads}）</td></tr>
</table>"""
    groups = []
    for doc_id in sorted(by_doc, key=lambda d: (-len(by_doc[d]), d)):
        doc = ix.docs.get(doc_id)
        items = "".join(
            f'<li><span class="{"lead" if r == "lead" else ""}">'
            f'[{"牵头" if r == "lead" else "参与"}]</span> '
            f'<a href="../docs/{_e(page_name(doc_id))}.html#{_e(page_name(t.id))}">'
            f"{_e(t.text[:90] + ('…' if len(t.text) > 90 else ''))}</a> "
            f"{_src(_task_where(ix, doc, t))}</li>"
            for t, r in by_doc[doc_id]
        )
        groups.append(f"<h3>{ix.doc_link(doc_id, '../')}（{len(by_doc[doc_id])}）</h3>"
                      f"<ul>{items}</ul>")
    co = "".join(
        f"<li>{ix.agency_link(a, '../')}（共同任务 {n}）</li>"
        for a, n in sorted(shared.items(), key=lambda item: (-item[1], item[0]))
    )
    views = (f'<a href="../coresponsibility.html#{_e(agency.id)}">在部门协同图中查看</a>'
             f'<a href="../responsibility.html#{_e(agency.id)}">在责任网络中查看</a>')
    body = f"""<h1>{_e(agency.name)}</h1>
<p class="views">{views}</p>
{meta}
<h2>按文件列出的任务（{len(mine)}）</h2>
{"".join(groups) or "<p>没有任务。</p>"}
<h2>共同负责的部门（{len(shared)}）</h2>
<ul>{co or "<li>无</li>"}</ul>
"""
    body = body.replace('href="docs/', 'href="../docs/')
    return _frame(agency.name, body, up="../", views=ix.views)


# --- writing -----------------------------------------------------------------------------


def _link_graph(graph: nx.Graph[Any], ix: _Index) -> nx.Graph[Any]:
    """A copy of a view's graph whose nodes carry ``href`` (their page) and ``ref`` (their id)."""
    g = graph.copy()
    for _, attrs in g.nodes(data=True):
        doc_id = attrs.get("doc_id")
        if attrs.get("kind") == "policy" and doc_id in ix.docs:
            attrs["href"] = ix.doc_href(str(doc_id))
            attrs["ref"] = str(doc_id)
    agency_by_name = {a.name: a.id for a in ix.agencies.values()}
    for node, attrs in g.nodes(data=True):
        if attrs.get("kind") == "agency":
            agency_id = str(node).rsplit("/", 1)[-1]
            agency_id = agency_id if agency_id in ix.agencies else agency_by_name.get(
                str(attrs.get("label")), "")
            if agency_id:
                attrs["href"] = ix.agency_href(agency_id)
                attrs["ref"] = agency_id
    return g


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise StoreError(Errors.S002.format(path=out_dir))
    if out_dir.is_dir() and not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
        raise StoreError(Errors.H003.format(path=out_dir))


def write_site(
    out_dir: Path,
    corpus: Corpus,
    *,
    tree: Mapping[str, Any] | None = None,
    graphs: Mapping[str, nx.Graph[Any]] | None = None,
    sector_labels: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the static site into ``out_dir`` (built beside it, then swapped in whole).

    Args:
        out_dir: the site folder; created, or replaced if it holds an earlier site.
        corpus: the records (documents with sections, tasks, agencies, targets, citations,
            sector tags).
        tree: the "1+N" tree as nested JSON (``graph.tree.tree_to_json``).
        graphs: view name (``SITE_VIEWS``) → its networkx graph (``graph.views``).
        sector_labels: sector id → Chinese label.

    Returns:
        The written files, relative to ``out_dir``, sorted.

    Raises:
        StoreError: ``out_dir`` is a file or another folder, or cannot be written.
    """
    out_dir = Path(out_dir)
    _check_target(out_dir)
    graphs = dict(graphs or {})
    views = tuple(v for v in SITE_VIEWS if v in graphs)
    agencies = {a.id: a for a in corpus.agencies}
    ix = _Index(
        corpus=corpus,
        docs={d.id: d for d in corpus.documents},
        agencies=agencies,
        sector_labels=sector_labels or {},
        tree=_tree_index(tree),
        roles=_task_roles(corpus.tasks, agencies),
        views=views,
    )
    for task in corpus.tasks:
        ix.tasks_by_doc[task.doc_id].append(task)
    for tag in corpus.sectors:
        ix.sectors[tag.subject_id].append((tag.sector, tag.terms))
    # agencies with a page: those with a task, issuers, and their parents
    with_page = {a for roles in ix.roles.values() for a in roles}
    with_page |= {i for d in corpus.documents for i in d.issuer_ids if i in agencies}
    for agency_id in list(with_page):
        parent = agencies[agency_id].parent
        while parent and parent in agencies and parent not in with_page:
            with_page.add(parent)
            parent = agencies[parent].parent
    ix.agencies = {a: agencies[a] for a in sorted(with_page)}

    figures = {
        "份文件": len(corpus.documents),
        "项任务": len(corpus.tasks),
        "个责任部门": len(with_page),
        "个量化目标": len(corpus.targets),
    }
    written: list[str] = []
    # built in a temporary sibling and swapped in whole (atomic_dir): a failure or Ctrl-C
    # part way leaves the previous site as it was, and no temporary folder behind
    with atomic_dir(out_dir) as tmp:
        def put(rel: str, text: str) -> None:
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(rel)

        put(MARKER, "policykg site\n")
        put("assets/site.css", (ASSETS / "site.css").read_text(encoding="utf-8")
            .replace("@@PKG_FONT@@", FONT_FAMILY))
        put("assets/site.js", (ASSETS / "site.js").read_text(encoding="utf-8"))
        put("index.html", _index_page(ix, figures))
        for doc in corpus.documents:
            put(f"docs/{page_name(doc.id)}.html", _doc_page(ix, doc))
        for agency in ix.agencies.values():
            put(f"agencies/{page_name(agency.id)}.html", _agency_page(ix, agency))
        for view in views:
            graph = _link_graph(graphs[view], ix)
            put(f"{view}.html", render(graph, view, title=DEFAULT_TITLES[view],
                                       index_href="index.html"))
    logger.info("site: %d files in %s", len(written), out_dir)
    return [Path(p) for p in sorted(written)]
