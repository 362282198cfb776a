"""What a user names, resolved: documents by id, 文号 or title; sectors by label; filters.

Pure functions over records, shared by ``policykg.api`` (every command that names a document,
``docs``, ``who`` and ``search`` filters) and ``graph.search``.  A name that fits several
records is never guessed: ``resolve_document`` raises ``AmbiguousError`` with the candidates.
Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from policykg.errors import AmbiguousError, Errors, QueryError
from policykg.folding import normalize
from policykg.graph.sectors import Sector
from policykg.records import Document

__all__ = [
    "DocumentFilter",
    "find_documents",
    "normalize",
    "resolve_document",
    "resolve_sectors",
]

def find_documents(ref: str, documents: Sequence[Document]) -> list[Document]:
    """Return the documents ``ref`` names, best kind of match only.

    In order, the first that matches anything wins: the id; the 文号; the whole title; a
    fragment of the title (or of the 文号).  Several documents may come back.

    >>> from policykg.records import DocKind
    >>> def doc(i, t, n=None):
    ...     return Document(id=i, part=None, chapter=None, seq=None, kind=DocKind.CENTRAL_POLICY,
    ...         title=t, doc_number=n, date=None, date_source=None, year=None, issuers=(),
    ...         url=None, start_line=1, end_line=2, file="x.txt")
    >>> docs = [doc("a", "2030年前碳达峰行动方案", "国发〔2021〕23号"),
    ...         doc("b", "上海市碳达峰实施方案"), doc("c", "江苏省碳达峰实施方案")]
    >>> [d.id for d in find_documents("国发[2021]23号", docs)]
    ['a']
    >>> [d.id for d in find_documents("碳达峰实施方案", docs)]
    ['b', 'c']
    """
    key = normalize(ref)
    if not key:
        return []
    for exact in (
        lambda d: d.id == ref.strip(),
        lambda d: d.doc_number is not None and normalize(d.doc_number) == key,
        lambda d: normalize(d.title) == key,
        lambda d: key in normalize(d.title)
        or (d.doc_number is not None and key in normalize(d.doc_number)),
    ):
        found = [d for d in documents if exact(d)]
        if found:
            return found
    return []


def resolve_document(ref: str, documents: Sequence[Document]) -> Document:
    """Return the one document ``ref`` names (id, 文号, title or a title fragment).

    Raises:
        QueryError: no document matches.
        AmbiguousError: several match; ``candidates`` holds them (never guessed).
    """
    found = find_documents(ref, documents)
    if not found:
        raise QueryError(Errors.Q001.format(ref=ref))
    if len(found) > 1:
        raise AmbiguousError(Errors.Q002.format(ref=ref, n=len(found)),
                             candidates=tuple((d.id, d.title) for d in found))
    return found[0]


def resolve_sectors(text: str, sectors: Iterable[Sector]) -> set[str]:
    """Return the slugs a sector name stands for, with the sectors narrower than it.

    ``text`` may be the slug, the Chinese label, the English label or a unique fragment of
    one of them (交通 → transport).

    Raises:
        QueryError: no sector, or several unrelated ones, match.
    """
    scheme = list(sectors)
    key = normalize(text).casefold()

    def names(s: Sector) -> tuple[str, ...]:
        return tuple(str(getattr(s, f)).casefold() for f in ("slug", "label_zh", "label_en"))

    found = [s for s in scheme if key in names(s)]
    if not found:
        found = [s for s in scheme if key and any(key in n for n in names(s))]
        # a fragment of a broad sector and of its narrower ones means the broad one
        slugs = {s.slug for s in found}
        found = [s for s in found if s.broader not in slugs]
    if not found:
        raise QueryError(Errors.Q003.format(text=text))
    if len(found) > 1:
        labels = "、".join(f"{s.label_zh} ({s.slug})" for s in found)
        raise AmbiguousError(Errors.Q004.format(text=text, labels=labels),
                             candidates=tuple((s.slug, s.label_zh)
                                              for s in found))
    chosen = {found[0].slug}
    grew = True
    while grew:
        more = {s.slug for s in scheme if s.broader in chosen}
        grew = not more <= chosen
        chosen |= more
    return chosen


def _date_key(value: str) -> str:
    """``2021-10-24`` / ``2021年10月`` / ``2021`` → ``2021-10-24`` / ``2021-10`` / ``2021``."""
    m = re.fullmatch(r"\s*(\d{4})(?:[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?)?\s*", value)
    if m is None:
        raise QueryError(Errors.Q005.format(value=value))
    return "-".join(f"{int(p):02d}" if i else p for i, p in enumerate(m.groups()) if p)


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFilter:
    """Which documents a command keeps: every field set must hold (None: any).

    ``since``/``until`` compare as far as both dates go (``2021`` holds for ``2021-10-24``);
    a document without a date fails a date bound.  Fields a document does not have (an
    older store without ``genre`` or ``level``) fail a filter on them.
    """

    doc: str | None = None
    kind: str | None = None
    genre: str | None = None
    level: str | None = None
    jurisdiction: str | None = None
    issuer: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        for bound in (self.since, self.until):
            if bound is not None:
                _date_key(bound)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def matches(self, doc: Document) -> bool:
        """Whether ``doc`` passes every filter that is set."""
        if self.kind is not None and str(doc.kind) != self.kind:
            return False
        for name in ("genre", "level"):
            wanted = getattr(self, name)
            if wanted is not None and str(getattr(doc, name, None) or "") != wanted:
                return False
        if self.jurisdiction is not None:
            have = getattr(doc, "jurisdiction", None) or ""
            if normalize(self.jurisdiction) not in have:
                return False
        if self.issuer is not None:
            key = normalize(self.issuer)
            if not any(key in normalize(i) for i in doc.issuers):
                return False
        if self.since is not None or self.until is not None:
            if not doc.date:
                return False
            if self.since is not None and not _not_before(doc.date, _date_key(self.since)):
                return False
            if self.until is not None and not _not_before(_date_key(self.until), doc.date):
                return False
        if self.text is not None:
            key = normalize(self.text)
            if key not in normalize(doc.title) and key not in normalize(doc.doc_number or ""):
                return False
        return True

    def apply(self, documents: Iterable[Document]) -> list[Document]:
        """The documents that pass, in their order; ``doc`` narrows to the one it names."""
        docs = list(documents)
        kept = [d for d in docs if self.matches(d)]
        if self.doc is not None:
            one = resolve_document(self.doc, docs)
            kept = [d for d in kept if d.id == one.id]
        return kept


def _not_before(later: str, earlier: str) -> bool:
    n = min(len(later), len(earlier))
    return later[:n] >= earlier[:n]
