"""Who is responsible, and for what: ranked task search and per-agency duties.

Pure functions over records (tasks, documents, agencies): user text never reaches SPARQL.
The query arrives already segmented (``loaders.nlp.segment`` in the CLI); task texts are not
segmented here — a query word counts where it occurs as a substring of the task's text and
section headings, which suits unsegmented Chinese and needs no jieba in ``graph``.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policykg.errors import Errors, QueryError
from policykg.lookupindex import TaskIndex, who_order
from policykg.records import Agency, Document, Role, Task

__all__ = [
    "Duties",
    "DutyGroup",
    "DutyRow",
    "Hit",
    "duties",
    "resolve_agency",
    "who",
]

logger = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """A task matching a query, with its score and the title of its document."""

    task: Task
    score: float
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DutyRow:
    """One task of an agency, with the agency's role in it."""

    task: Task
    document: Document
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DutyGroup:
    """The tasks of an agency in one document."""

    document: Document
    rows: tuple[DutyRow, ...]

    @property
    def lead(self) -> int:
        """How many of these tasks the agency leads."""
        return sum(r.role == Role.LEAD for r in self.rows)


@dataclass(frozen=True, slots=True, kw_only=True)
class Duties:
    """Every task an agency leads or joins, grouped by document in corpus order."""

    agency: Agency
    groups: tuple[DutyGroup, ...]

    @property
    def rows(self) -> tuple[DutyRow, ...]:
        """All rows, document by document."""
        return tuple(r for g in self.groups for r in g.rows)

    @property
    def total(self) -> int:
        """How many tasks the agency takes part in (as lead or participant)."""
        return sum(len(g.rows) for g in self.groups)

    @property
    def lead(self) -> int:
        """How many tasks the agency leads."""
        return sum(g.lead for g in self.groups)


def who(
    query_tokens: Sequence[str],
    tasks: Sequence[Task],
    documents: Sequence[Document],
    limit: int = 10,
    query: str | None = None,
    index: TaskIndex | None = None,
) -> list[Hit]:
    """Rank tasks by ``graph.fulltext.rank``: phrase first, then more words, then BM25.

    Args:
        query_tokens: the segmented query (``loaders.nlp.segment``).
        tasks: the tasks to search.
        documents: the documents, for titles and order.
        limit: how many hits to return (0 or less: all).
        query: the query as typed, for the phrase test (default: the tokens joined).
        index: the store's task index (``lookupindex.TaskIndex`` in ``who`` order of the
            corpus's documents, of which ``documents`` keep the order); ``tasks`` are ranked
            as a subset of it.  None: an index of ``tasks`` is made for this query.

    Returns:
        The hits, best first; ties keep corpus order (document, line, id).  A query of
        several words needs most of them in a task (``fulltext.min_match``).
    """
    titles = {d.id: d.title for d in documents}
    phrase = query if query is not None else "".join(query_tokens)
    found = _subset(index, tasks, titles) if index is not None else None
    if index is None or found is None:
        index = TaskIndex.of_tasks(tasks, [d.id for d in documents])
        at = dict(enumerate(who_order(tasks, [d.id for d in documents])))
        subset = None
    else:
        subset, at = found
    ranked = index.rank(phrase, query_tokens, subset, limit=limit)
    return [Hit(task=at[i], score=score, title=titles.get(at[i].doc_id, ""))
            for i, _, _, score in ranked]


def _subset(index: TaskIndex, tasks: Sequence[Task],
            titles: dict[str, str]) -> tuple[list[int] | None, dict[int, Task]] | None:
    """The places of ``tasks`` in ``index`` (ascending; None: all of it) and the task at each;
    None if the index does not hold them all once each (or a task's document is not among
    the documents: it would rank last)."""
    known = index.checked
    if known is not None and known[0] is tasks and known[1] == titles:
        return known[2], known[3]  # the same tuple of tasks as last time: checked then
    where = index.position
    try:
        places = [where[t.id] for t in tasks]
    except KeyError:
        return None
    at = dict(zip(places, tasks, strict=True))
    if len(at) < len(places) or not titles.keys() >= {t.doc_id for t in tasks}:
        return None
    subset = None if len(at) == len(index) else sorted(at)
    if isinstance(tasks, tuple):  # immutable: the next query over it needs no check
        index.checked = (tasks, titles, subset, at)
    return subset, at


def resolve_agency(text: str, agencies: Sequence[Agency]) -> Agency:
    """Return the agency named by ``text``: its id, canonical name or any alias.

    An alias shared by several agencies (生态环境厅 in every province) picks the national one
    if there is one.

    Raises:
        QueryError: no agency, or several local ones, go by that name.
    """
    key = re.sub(r"\s+", "", text)
    for a in agencies:
        if key in (a.id, a.name):
            return a
    found = [a for a in agencies if key in a.aliases]
    national = [a for a in found if a.jurisdiction is None]
    if len(found) == 1:
        return found[0]
    if len(national) == 1:
        return national[0]
    if not found:
        # a unique fragment of a name or alias (能源局 → 国家能源局) is taken too
        found = [a for a in agencies if key and (key in a.name or any(key in x for x in a.aliases))]
        if len(found) == 1:
            return found[0]
    if not found:
        raise QueryError(Errors.Q022.format(text=text))
    names = "、".join(sorted(a.name for a in found)[:6])
    raise QueryError(Errors.Q023.format(text=text, names=names))


def duties(
    agency: Agency | str,
    tasks: Sequence[Task],
    documents: Sequence[Document],
    agencies: Sequence[Agency] = (),
    *,
    lead_only: bool = False,
    also: Sequence[str] = (),
) -> Duties:
    """Group every task ``agency`` leads or joins by document, in corpus order.

    Args:
        agency: an Agency, or an id, canonical name or alias resolved among ``agencies``.
        tasks: the tasks (lead and participants hold canonical names).
        documents: the documents, for grouping and order.
        agencies: the registry agencies, needed when ``agency`` is a string.
        lead_only: keep only the tasks the agency leads.
        also: other names of the same body (its former names: 交通部 for 交通运输部).

    Raises:
        QueryError: ``agency`` is a string that names no agency.
    """
    target = agency if isinstance(agency, Agency) else resolve_agency(agency, agencies)
    keys = {target.name, target.id, *also}
    by_doc: dict[str, list[DutyRow]] = {}
    docs = {d.id: d for d in documents}
    for task in tasks:
        document = docs.get(task.doc_id)
        if document is None:
            continue
        if keys & set(task.lead):
            role = Role.LEAD
        elif not lead_only and keys & set(task.participants):
            role = Role.PARTICIPANT
        else:
            continue
        by_doc.setdefault(task.doc_id, []).append(
            DutyRow(task=task, document=document, role=str(role)))
    groups = tuple(
        DutyGroup(document=d, rows=tuple(sorted(by_doc[d.id],
                                                key=lambda r: (r.task.start_line, r.task.id))))
        for d in documents if d.id in by_doc
    )
    return Duties(agency=target, groups=groups)
