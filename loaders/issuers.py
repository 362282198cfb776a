"""Issuers: a document's printed issuers resolved to agency ids.

Sits above both :mod:`policykg.loaders.agencies` (the registry) and
:mod:`policykg.loaders.nlp` (agency mentions in running text), so neither imports the other
in a circle.  Must not import rdflib, networkx or pyvis.
"""

from __future__ import annotations

import re

from policykg.errors import Errors
from policykg.loaders.agencies import Registry, document_jurisdiction
from policykg.loaders.nlp import find_agency_mentions
from policykg.records import Document, Problem, Span

__all__ = ["resolve_issuers"]

# Issuer strings printed as one line for a joint notice: "中共中央 国务院" (line 4013),
# "浙江省经济和信息化厅 浙江省发展和改革委员会" (line 36284), "国家发展改革委等五部门".
ISSUER_SPLIT = re.compile(
    r"""
    \s+ | [、，,;；]          # spaces and list punctuation between names
    """,
    re.VERBOSE,
)
# "国家发展改革委等五部门" (line 33757): a count of co-issuers after the first one
ISSUER_TAIL = re.compile(r"等[一二三四五六七八九十\d]+(?:个)?(?:部门|部委|单位)$")
# The office that signs for its agency: 国家发展改革委办公厅 (line 10655), 国家能源局综合司
ISSUER_OFFICE = re.compile(r"(?:办公厅|综合司|办公室)$")


def resolve_issuers(doc: Document, registry: Registry) -> tuple[list[str], list[Problem]]:
    """Resolve a document's printed issuers to agency ids (a joint notice gives several).

    A printed issuer that is not one known name is split on spaces and list punctuation
    (中共中央 国务院), and failing that searched for agency mentions; what is left is
    reported as Problem A002.
    """
    j = document_jurisdiction(doc, registry)
    jid = j.id if j else None
    ids: list[str] = []
    problems: list[Problem] = []
    span = Span(file=doc.file, start_line=doc.start_line, end_line=doc.start_line)
    for printed in doc.issuers:
        name = ISSUER_TAIL.sub("", printed.strip())
        found = registry.resolve(name, jid)
        office = ISSUER_OFFICE.search(name)
        if found is None and office is not None:
            # 国家发展改革委办公厅 (line 10655) signs for its commission
            found = registry.resolve(name[:office.start()], jid)
        if found is not None:
            ids.append(found.id)
            continue
        parts = [p for p in ISSUER_SPLIT.split(name) if p]
        resolved = [registry.resolve(p, jid) for p in parts]
        if len(parts) > 1 and all(resolved):
            ids.extend(a.id for a in resolved if a is not None)
            continue
        mentions = find_agency_mentions(name, registry, jid)
        if mentions:
            ids.extend(m.agency_id for m in mentions)
            continue
        problems.append(Errors.A002.at(span, excerpt=printed, name=printed))
    return list(dict.fromkeys(ids)), problems
