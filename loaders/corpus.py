"""Run every extractor over loaded documents and gather one ``Corpus``.

Must not import rdflib, networkx, pyvis or anything from ``graph``/``viz``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policykg.loaders.source import Progress
from policykg.records import Agency, Corpus, Document, LeadBasis, Problem, Target, Task

if TYPE_CHECKING:
    from policykg.loaders.agencies import Registry

__all__ = ["load"]

logger = logging.getLogger(__name__)


def _open_world(tasks: list[Task], doc: Document, registry: Registry) -> list[Task]:
    """Keep the names no template knows as agencies of the document's jurisdiction.

    A name left in ``Task.unresolved`` that looks like a body's (市城市管理监督局,
    深圳排放权交易所) becomes an agency flagged ``unresolved`` in the document's jurisdiction,
    never dropped and never mapped elsewhere; it leads only where the annotation marks it
    (X牵头), else it takes part.  The printed name stays in ``Task.unresolved``.
    """
    from policykg.loaders.agencies import document_jurisdiction

    j = document_jurisdiction(doc, registry)
    jid = j.id if j else None
    home = registry.division(jid)
    # a joint document of two jurisdictions (重庆市 and 四川省 offices): 省… means the other's
    others = [d.jurisdiction for d in (registry.get(i) for i in doc.issuer_ids) if d]
    others += [i for i in doc.issuers if registry.division(i.split("人民政府")[0])]
    others = [o for o in dict.fromkeys(others) if o and o != (j.name if j else None)]
    body: Agency | None = None
    out = []
    for task in tasks:
        lead, participants = list(task.lead), list(task.participants)
        collective = list(task.collective)
        seen: dict[str, int] = {}
        for printed in task.unresolved:
            nth = seen[printed] = seen.get(printed, -1) + 1
            # a name left glued to a connective (省海洋局等参与, 生态环境厅牵头): the name, with
            # the role the connective gives (牵头 leads; 参与, 配合 and 负责 take part)
            glued = _CONNECTIVE.match(printed)
            name = glued.group("name") if glued else printed
            if glued:
                agency = registry.resolve(name, jid, doc.date)
                if agency is not None:
                    target = lead if "牵头" in glued.group("tail") else participants
                    if agency.name not in lead and agency.name not in participants:
                        target.append(agency.name)
                    continue
            agency = _shared_suffix(name, task.raw, registry, jid, nth)
            if agency is not None:
                # 市、区机管局: the 区 body's role is the 市 body's, else it takes part
                nxt = _next_item(name, task.raw, nth)
                peer = registry.resolve(nxt, jid) if nxt else None
                target = lead if peer is not None and peer.name in lead else participants
                if agency.name not in lead and agency.name not in participants:
                    target.append(agency.name)
                continue
            for other in others:
                agency = registry.resolve(name, other, doc.date)
                if agency is not None:
                    break
            if agency is None and _UNIT.search(name):
                body = body or _issuing_body(doc, registry, jid)
                if body is not None:
                    agency = registry.unit(body, name)
            if agency is None and home is not None and home.rank != "county" and (
                _LOWER.match(name)
            ):
                # 区机管局 in a city's plan: each district's bureau, a group
                collective.append(name)
                continue
            if agency is None:
                agency = registry.resolve(name, jid, doc.date, open_world=True)
            if agency is None or agency.name in lead or agency.name in participants:
                continue
            # lead where the text marks it or the document's stated convention makes it
            marked = printed in task.unresolved_lead or re.search(
                re.escape(name) + r"[^、，,；;：:）)]{0,12}?牵头", task.raw)
            (lead if marked else participants).append(agency.name)
        if (lead, participants, collective) != (
                list(task.lead), list(task.participants), list(task.collective)):
            task = dataclasses.replace(task, lead=tuple(lead), participants=tuple(participants),
                                       collective=tuple(collective),
                                       lead_basis=(task.lead_basis or LeadBasis.MARKED)
                                       if lead else None)
        out.append(task)
    return out


# An internal unit of the issuing department (气候处, 宣教中心 in a 生态环境厅 plan).
_UNIT = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:处|室|中心)$")
# A relative name of the level below the document's (区财政局 in a city plan): every one of them.
_LOWER = re.compile(r"^(?:区|县|县区|区县|县市区)(?!域)[\u4e00-\u9fff]{2,}")


# A listed name with the connective the grammar left on it (省乡村振兴局等按职责分工负责).
_CONNECTIVE = re.compile(
    r"^(?P<name>[\u4e00-\u9fff（）()〔〕]{2,30}?)(?P<tail>等?(?:按(?:照)?职(?:责|能)分工负责|按分工负责|"
    r"牵头负责|牵头|参与|配合|负责))$")

# Where a listed name ends in an annotation.
_ITEM_END = re.compile(r"[、，,；;）)]|等|按|牵头|负责|配合")


def _next_item(name: str, raw: str, nth: int = 0) -> str | None:
    """The name printed right after the ``nth`` ``name、`` in an annotation, or None."""
    at = -1
    for _ in range(nth + 1):
        at = raw.find(name + "、", at + 1)
        if at < 0:
            return None
    rest = raw[at + len(name) + 1:]
    end = _ITEM_END.search(rest)
    return rest[: end.start()] if end else rest


def _shared_suffix(name: str, raw: str, registry: Registry, jid: str | None,
                   nth: int = 0) -> Agency | None:
    """``甲、乙市人民政府`` / ``市、区机管局``: a bare place takes the next name's suffix.

    ``name`` is a relative prefix (市, 区) or a division's name printed alone before ``、``;
    the next name is a place and a body (区机管局): the body with ``name``'s place is meant.
    """
    places = ("省", "市", "区", "县", "州", "盟", "旗", "自治区")
    if name not in places and registry.division(name) is None:
        return None
    nxt = _next_item(name, raw, nth)
    if not nxt:
        return None
    cut = next((len(p) for p in sorted(places, key=len, reverse=True) if nxt.startswith(p)), 0)
    if not cut:
        d = registry.division(nxt)
        if d is not None:
            return None  # two places, no body
        for k in range(len(nxt) - 2, 1, -1):
            if registry.division(nxt[:k]) is not None:
                cut = k
                break
    suffix = nxt[cut:]
    if not cut or len(suffix) < 2:
        return None
    return registry.resolve(name + suffix, jid)


def _issuing_body(doc: Document, registry: Registry, jid: str | None) -> Agency | None:
    """The one department that issues the document (not a people's government), or None."""
    if len(doc.issuer_ids) == 1:
        a = registry.get(doc.issuer_ids[0])
        if a is not None and not a.id.endswith("-gov"):
            return a
    head = re.sub(r"\s+", " ", doc.title).split(" ")[0]
    for k in range(min(len(head), 20), 2, -1):
        a = registry.resolve(head[:k], jid)
        if a is not None:
            return a if not a.id.endswith("-gov") else None
    return None


def load(paths: Sequence[Path], progress: Progress | None = None) -> Corpus:
    """Load files or folders and extract documents, tasks, targets and citations.

    ``progress(done, total, file)`` is called as input files are read.
    """
    from policykg.loaders.agencies import load_registry, select_agencies
    from policykg.loaders.citations import find_citations
    from policykg.loaders.documents import iter_input_files, load_documents
    from policykg.loaders.inference import infer_metadata
    from policykg.loaders.issuers import resolve_issuers
    from policykg.loaders.tables import TableRow, pdf_tables
    from policykg.loaders.targets import find_targets
    from policykg.loaders.tasks import find_tasks, label_roles

    loaded = load_documents(paths, progress)
    registry = load_registry()
    problems: list[Problem] = list(loaded.problems)
    documents: list[Document] = []
    tasks: list[Task] = []
    targets: list[Target] = []
    # responsibility tables are read from a PDF's cells, once per file
    pdfs = {p.name: p for p in iter_input_files(paths) if p.suffix.lower() == ".pdf"}
    tables: dict[str, tuple[list[TableRow], dict[int, tuple[int, int]]]] = {}
    for doc in loaded.documents:
        issuer_ids, issuer_problems = resolve_issuers(doc, registry)
        doc = dataclasses.replace(doc, issuer_ids=tuple(issuer_ids))
        problems += issuer_problems
        rows: list[TableRow] = []
        page_lines: dict[int, tuple[int, int]] = {}
        pdf = pdfs.get(Path(doc.file).name)
        if pdf is not None:
            if pdf.name not in tables:
                tables[pdf.name] = pdf_tables(pdf, label_roles())
            all_rows, page_lines = tables[pdf.name]
            rows = [r for r in all_rows
                    if doc.start_line <= page_lines[r.page][1]
                    and page_lines[r.page][0] <= doc.end_line]
        found_tasks, task_problems = find_tasks(doc, registry, table_rows=rows,
                                                page_lines=page_lines)
        found_tasks = _open_world(found_tasks, doc, registry)
        found_targets, target_problems = find_targets(doc)
        documents.append(doc)
        tasks += found_tasks
        targets += found_targets
        problems += task_problems + target_problems
    citations, citation_problems = find_citations(documents)
    problems += citation_problems
    # a 文号 or date the document does not print, as the documents citing it print it
    documents = infer_metadata(documents, citations)
    problems = loaded.with_pages(problems)
    # only the agencies the corpus names (as issuer or responsible), with their parents
    named = [n for t in tasks for n in (*t.lead, *t.participants)]
    named += [i for d in documents for i in d.issuer_ids]
    agencies: tuple[Agency, ...] = tuple(select_agencies(registry, named))
    logger.info("loaded %d documents, %d tasks, %d targets, %d citations",
                len(documents), len(tasks), len(targets), len(citations))
    return Corpus(
        documents=tuple(documents),
        agencies=agencies,
        tasks=tuple(tasks),
        targets=tuple(targets),
        citations=tuple(citations),
        problems=tuple(problems),
        summary=tuple(loaded.summaries),
    )
