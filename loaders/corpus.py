"""Run every extractor over loaded documents and gather one ``Corpus``.

Must not import rdflib, networkx, pyvis or anything from ``graph``/``viz``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path

from policykg.loaders.source import Progress
from policykg.records import Agency, Corpus, Document, Problem, Target, Task

__all__ = ["load"]

logger = logging.getLogger(__name__)


def load(paths: Sequence[Path], progress: Progress | None = None) -> Corpus:
    """Load files or folders and extract documents, tasks, targets and citations.

    ``progress(done, total, file)`` is called as input files are read.
    """
    from policykg.loaders.agencies import load_registry, select_agencies
    from policykg.loaders.citations import find_citations
    from policykg.loaders.documents import load_documents
    from policykg.loaders.issuers import resolve_issuers
    from policykg.loaders.targets import find_targets
    from policykg.loaders.tasks import find_tasks

    loaded = load_documents(paths, progress)
    registry = load_registry()
    problems: list[Problem] = list(loaded.problems)
    documents: list[Document] = []
    tasks: list[Task] = []
    targets: list[Target] = []
    for doc in loaded.documents:
        issuer_ids, issuer_problems = resolve_issuers(doc, registry)
        doc = dataclasses.replace(doc, issuer_ids=tuple(issuer_ids))
        problems += issuer_problems
        found_tasks, task_problems = find_tasks(doc, registry)
        found_targets, target_problems = find_targets(doc)
        documents.append(doc)
        tasks += found_tasks
        targets += found_targets
        problems += task_problems + target_problems
    citations, citation_problems = find_citations(documents)
    problems += citation_problems
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
