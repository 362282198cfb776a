"""Load files or folders into ``Document`` records: compilation or single policy documents.

Standard library and ``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or
jieba.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from policykg.errors import EmptyInputError, Errors, InputError, NotAPolicyTextError
from policykg.loaders.compilation import Block, find_structure, is_compilation
from policykg.loaders.header import read_header
from policykg.loaders.lines import CleanedLines, FurnitureKind, join_paragraphs
from policykg.loaders.official import (
    OfficialDocument,
    classify_genre,
    document_jurisdiction,
    issuer_level,
    official_type,
    read_official,
)
from policykg.loaders.repeats import MIN_BLOCK_LINES, Repeat, find_tandem_repeats
from policykg.loaders.sections import parse_outline
from policykg.loaders.source import (
    InputFile,
    InputFiles,
    Progress,
    check_policy_text,
    collect_inputs,
    read_cleaned,
)
from policykg.records import (
    BuildSummary,
    DocKind,
    Document,
    Genre,
    Inferred,
    IssuerLevel,
    Paragraph,
    Problem,
    Section,
    SourceLine,
    Span,
    page_at,
)

__all__ = [
    "LoadedDocuments",
    "RepeatIndex",
    "check_loaded",
    "combine",
    "file_doc_id",
    "find_repeats",
    "iter_input_files",
    "load_documents",
    "official_documents",
    "read_file",
    "rename_document",
    "skipped",
    "try_read",
    "unique_id",
    "with_section_pages",
]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

_PART_KINDS = {
    1: DocKind.SPEECH,
    2: DocKind.CENTRAL_POLICY,
    3: DocKind.MINISTRY_POLICY,
    4: DocKind.LOCAL_POLICY,
    5: DocKind.ENTERPRISE_PLAN,
    6: DocKind.INTERNATIONAL_AGREEMENT,
}

# The excerpt collection of part 1. line 2741: " 1.16 国内重要讲话摘录".
EXCERPT_TITLE_RE = re.compile(r"""(?:摘录|摘编)$""", re.VERBOSE)

_SLUG_RE = re.compile(r"[^0-9a-z\u3400-\u9fff]+")

# A province-level or city jurisdiction opening an issuer's name or a title.
# line 41654: "宁夏回族自治区人民政府"; line 36288: "浙江省经济和信息化厅".
JURISDICTION_RE = re.compile(
    r"""^(?P<name>
        (?:北京|天津|上海|重庆)市
      | (?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南
         |四川|贵州|云南|陕西|甘肃|青海|台湾)省
      | 内蒙古自治区 | 广西壮族自治区 | 西藏自治区 | 宁夏回族自治区 | 新疆维吾尔自治区
      | 香港特别行政区 | 澳门特别行政区
      | [\u4e00-\u9fff]{2,4}市(?=人民政府|发展|生态|经济|工业|住房|交通|财政|科学)
    )""",
    re.VERBOSE,
)

# How a document of a compilation ends: a sentence, a bracket or quote closing it.
_DOCUMENT_END = "。！？；）)”】》"

# A 发文字号 of the State Council or the Party Centre. line 3158: "国发〔2021〕4号".
CENTRAL_NUMBER_RE = re.compile(r"""^(?:国发|国办发|国函|国办函|中发|厅字)""", re.VERBOSE)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedDocuments:
    """Documents of all inputs, the problems found and a line account per file."""

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...] = field(default=())
    summaries: tuple[BuildSummary, ...] = field(default=())
    #: For each PDF (by file name), the first line number of each of its pages.
    page_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def with_pages(self, problems: Sequence[Problem]) -> list[Problem]:
        """The problems with the page of their first line filled in for PDF files."""
        out = []
        for p in problems:
            starts = self.page_lines.get(p.span.file)
            if starts and p.span.page is None:
                page = page_at(starts, p.span.start_line)
                p = dataclasses.replace(p, span=dataclasses.replace(p.span, page=page))
            out.append(p)
        return out


def iter_input_files(paths: Sequence[Path]) -> list[Path]:
    """Expand folders into the files a build reads (.pdf, .txt; hidden files skipped).

    Raises:
        InputError: a path does not exist.
        EmptyInputError: a folder holds no file.
    """
    return [f.path for f in collect_inputs(paths).files]


def _slug(name: str) -> str:
    slug = _SLUG_RE.sub("-", Path(name).stem.lower()).strip("-")
    return slug or "doc"


def file_doc_id(name: str) -> str:
    """The id of a single-document file: its name as a slug, unique for any set of names.

    A name that is its own slug keeps it; any other name (capitals, spaces, ``_``, CJK
    punctuation) gets the first 8 hex digits of its SHA-1 after ``--``, which a slug never
    holds, so ``x y.txt``, ``x-y.txt`` and ``X_Y.txt`` get three ids that do not depend
    on which other files are loaded.

    >>> file_doc_id("x-y.txt"), file_doc_id("x y.txt"), file_doc_id("X_Y.txt")
    ('x-y', 'x-y--e3c8d72d', 'x-y--b06b1656')
    """
    slug = _slug(name)
    if slug == Path(name).stem:
        return slug
    return f"{slug}--{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


def unique_id(doc_id: str, seen: set[str]) -> str:
    """``doc_id``, or ``doc_id-2``, ``-3``… if taken; the result is added to ``seen``."""
    candidate, k = doc_id, 2
    while candidate in seen:
        candidate = f"{doc_id}-{k}"
        k += 1
    seen.add(candidate)
    return candidate


def with_section_pages(doc: Document, page_lines: Sequence[int]) -> Document:
    """``doc`` with the PDF page of each section's first line (``page_lines``: the first
    line of each page of its file)."""
    if not doc.sections:
        return doc
    return dataclasses.replace(doc, sections=tuple(
        dataclasses.replace(s, page=page_at(page_lines, s.start_line)) for s in doc.sections))


def rename_document(doc: Document, doc_id: str) -> Document:
    """``doc`` under a new id, its sections' ids (``<doc_id>/s<n>``) renamed with it."""
    if doc_id == doc.id:
        return doc
    sections = tuple(
        dataclasses.replace(
            s, id=_renamed(s.id, doc.id, doc_id), doc_id=doc_id,
            parent_id=None if s.parent_id is None else _renamed(s.parent_id, doc.id, doc_id))
        for s in doc.sections
    )
    return dataclasses.replace(doc, id=doc_id, sections=sections)


def _renamed(item_id: str, old: str, new: str) -> str:
    return new + item_id[len(old):] if item_id.startswith(old) else item_id


def _block_id(block: Block, previous_seq: str | None) -> str:
    if block.part is None:
        return f"doc-{block.ordinal}"
    if block.seq is None:
        if previous_seq is not None and block.part != 6:
            # an unnumbered document inside a chapter: named after the one it follows
            if block.chapter_number is not None:
                return f"p{block.part}-c{block.chapter_number}-{previous_seq}a"
            return f"p{block.part}-{previous_seq}a"
        return f"p{block.part}-{block.ordinal}"
    if block.chapter_number is not None:
        return f"p{block.part}-c{block.chapter_number}-{block.seq}"
    return f"p{block.part}-{block.seq}"


# Short chapter names of part 4 and the full name of their jurisdiction.
_JURISDICTIONS = {
    "内蒙古": "内蒙古自治区",
    "宁夏": "宁夏回族自治区",
    "广西": "广西壮族自治区",
    "新疆": "新疆维吾尔自治区",
    "西藏": "西藏自治区",
}


def _jurisdiction(block: Block) -> str | None:
    if block.part != 4 or not block.chapter:
        return None
    name = block.chapter.strip()
    return _JURISDICTIONS.get(name, name)


def _kind(part: int | None, title: str) -> DocKind:
    if part == 1 and EXCERPT_TITLE_RE.search(title):
        return DocKind.EXCERPT
    if part is None:
        return DocKind.CENTRAL_POLICY
    return _PART_KINDS.get(part, DocKind.CENTRAL_POLICY)


#: What blocks of lines read as, kept over the passes of one ``read_file`` (a file with
#: repeated lines is read again with some of them back in, and most blocks are unchanged):
#: keyed by what a result depends on, a block by its line numbers.
BlockMemo = dict[tuple[Any, ...], Any]


def _remembered(memo: BlockMemo | None, key: tuple[Any, ...], make: Callable[..., _T],
                *args: Any, **kwargs: Any) -> _T:
    """``make(*args, **kwargs)``, from ``memo`` under ``key`` when it was made before."""
    if memo is None:
        return make(*args, **kwargs)
    if key not in memo:
        memo[key] = make(*args, **kwargs)
    found: _T = memo[key]
    return found


def _paragraphs(lines: Sequence[SourceLine]) -> tuple[Paragraph, ...]:
    return tuple(join_paragraphs(lines))


def _compilation_documents(
    cleaned: CleanedLines, memo: BlockMemo | None = None,
) -> tuple[list[Document], list[Problem], int, list[int]]:
    structure = find_structure(cleaned)
    problems = list(structure.problems)
    documents: list[Document] = []
    doc_lines = 0
    previous_seq: str | None = None
    for block in structure.blocks:
        first = block.lines[0].text
        title_start = first
        if block.seq is not None:
            title_start = re.sub(r"^\d{1,2}[.．]\d{1,2}\s*", "", first)
        numbers = tuple(s.number for s in block.lines)
        header = _remembered(memo, ("header", numbers, title_start, block.part == 5),
                             read_header, block.lines, title_start=title_start,
                             one_line_title=block.part == 5)
        problems.extend(header.problems)
        doc_id = _block_id(block, previous_seq)
        paragraphs: tuple[Paragraph, ...] = _remembered(
            memo, ("paragraphs", numbers), _paragraphs, block.lines)
        paragraphs, sections = _remembered(
            memo, ("sections", numbers, doc_id, header.title_lines), _outline, doc_id,
            paragraphs, block.lines[header.title_lines - 1].number, block.end_line, block.lines)
        kind = _kind(block.part, header.title)
        doc = Document(
            id=doc_id,
            part=block.part,
            chapter=block.chapter,
            seq=block.seq,
            kind=kind,
            title=header.title,
            doc_number=header.doc_number,
            date=header.date,
            date_source=header.date_source,
            year=header.year,
            issuers=header.issuers,
            url=header.url,
            start_line=block.start_line,
            end_line=block.end_line,
            file=cleaned.file,
            jurisdiction=_jurisdiction(block),
            sections=sections,
            paragraphs=paragraphs,
            source_file=cleaned.source_file or cleaned.file,
            genre=_compilation_genre(kind, header.title, header.issuers),
            official_type=official_type(header.title),
            level=_compilation_level(kind, _jurisdiction(block), header.issuers),
        )
        documents.append(doc)
        doc_lines += len(block.lines)
        if block.seq is not None:
            previous_seq = block.seq
    problems.extend(_cut_short(documents))
    return documents, problems, doc_lines, list(structure.unexplained)


_KIND_GENRES = {
    DocKind.SPEECH: Genre.SPEECH,
    DocKind.EXCERPT: Genre.SPEECH,
    DocKind.ENTERPRISE_PLAN: Genre.PLAN,
    DocKind.INTERNATIONAL_AGREEMENT: Genre.AGREEMENT,
}


def _compilation_genre(kind: DocKind, title: str, issuers: Sequence[str]) -> Genre:
    """A compilation document's genre: from its part (speeches, enterprise plans,
    agreements), else from its title."""
    return _KIND_GENRES.get(kind) or classify_genre(title, issuers)


def _compilation_level(kind: DocKind, jurisdiction: str | None, issuers: Sequence[str]
                       ) -> IssuerLevel | None:
    """A compilation document's issuer level: from its part, for part 4 from its issuers or
    chapter."""
    if kind is DocKind.CENTRAL_POLICY:
        return IssuerLevel.CENTRAL
    if kind is DocKind.MINISTRY_POLICY:
        return IssuerLevel.MINISTRY
    if kind is DocKind.ENTERPRISE_PLAN:
        return IssuerLevel.ENTERPRISE
    if kind is DocKind.LOCAL_POLICY:
        return issuer_level([*issuers, *([jurisdiction] if jurisdiction else [])])
    return None


def _body(paragraphs: tuple[Paragraph, ...], title_end: int) -> tuple[Paragraph, ...]:
    """The paragraphs after the title (a heading tree never includes the title)."""
    return tuple(p for p in paragraphs if p.start_line > title_end)


def _outline(doc_id: str, paragraphs: tuple[Paragraph, ...], title_end: int, end_line: int,
             lines: Sequence[SourceLine]) -> tuple[tuple[Paragraph, ...], tuple[Section, ...]]:
    """A document's paragraphs, split where a heading was glued onto a line's end, and its
    heading tree (``sections.parse_outline``), read from the paragraphs after the title."""
    body = _body(paragraphs, title_end)
    split, sections = parse_outline(doc_id, body, end_line, lines)
    if len(split) == len(body):
        return paragraphs, sections
    return paragraphs[:len(paragraphs) - len(body)] + split, sections


def _summary(cleaned: CleanedLines, doc_lines: int, unexplained: int) -> BuildSummary:
    """Account for every line: blank, artifact, structure (preface/part/chapter), document."""
    kept = len(cleaned.lines)
    kinds = Counter(str(f.kind) for f in cleaned.furniture if not f.partial)
    return BuildSummary(
        file=cleaned.file,
        total_lines=cleaned.total_lines,
        blank_lines=cleaned.blank_lines,
        artifact_lines=len(cleaned.artifacts),
        structure_lines=kept - doc_lines - unexplained,
        document_lines=doc_lines,
        unexplained_lines=unexplained,
        pages=cleaned.pages,
        furniture=tuple(sorted(kinds.items())),
        source_file=cleaned.source_file,
    )


def load_documents(paths: Sequence[Path], progress: Progress | None = None) -> LoadedDocuments:
    """Load files or folders (compilation, single policy documents, PDFs) into documents.

    A folder build never dies on one file: a file that cannot be used is skipped, logged as
    one warning naming it and the reason, and counted in its ``BuildSummary`` (status
    "skipped"); a folder's other files (not .pdf/.txt) are "ignored".

    Args:
        paths: files and/or folders; a folder's files load in path order.
        progress: called as ``progress(done, total, source_file)`` before each file.

    Returns:
        The documents, problems and one ``BuildSummary`` per file (read, skipped, ignored).

    Raises:
        InputError: a path is missing, or no file could be read (a single named file: its
            own error, e.g. ``EncodingError``).
    """
    # the records pile up and stay alive: pause the cyclic GC, which would otherwise rescan
    # them again and again (parse time at ×100 grew 135× instead of ~100×)
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_documents(paths, progress)
    finally:
        if enabled:
            gc.enable()


def skipped(f: InputFile, status: str, reason: str, detail: str = "") -> BuildSummary:
    """The summary of a file the build did not read (``ignored`` or ``skipped``)."""
    return BuildSummary(file=f.path.name, total_lines=0, blank_lines=0, artifact_lines=0,
                        structure_lines=0, document_lines=0, unexplained_lines=0,
                        source_file=f.source_file, status=status, reason=reason, detail=detail)


def read_file(f: InputFile) -> LoadedDocuments:
    """Load one input file: its documents (ids unique within it), problems and line account.

    Depends on the file's name and bytes only (the unit of the build cache and pool); its
    problems carry their PDF page.

    Raises:
        InputError: the file cannot be used (empty, binary, not a policy, a bad PDF).
    """
    cleaned, read_problems = read_cleaned(f)
    check_policy_text("\n".join(s.text for s in cleaned.lines), f.path.name)
    if not cleaned.lines:
        raise EmptyInputError(Errors.I003.format(path=f.path),
                              Span(file=f.path.name, start_line=1, end_line=1))
    repeats = find_tandem_repeats([s.text for s in cleaned.lines])
    looked_again = False
    memo: BlockMemo = {}
    while True:
        kept = _without(cleaned, repeats)
        docs, found, doc_lines, unexplained = _file_documents(kept, memo)
        held = [r for r in repeats if _is_document_again(r, cleaned.lines, docs)]
        if len(held) == len(repeats):
            again = [] if looked_again else _printed_again(cleaned.lines, docs)
            looked_again = True
            if not again:
                break
            held = sorted([*held, *again], key=lambda r: r.start)
        repeats = held
    seen: set[str] = set()
    documents = tuple(rename_document(d, unique_id(d.id, seen)) for d in docs)
    if cleaned.page_lines:
        documents = tuple(with_section_pages(d, cleaned.page_lines) for d in documents)
    logger.info("%s: %d documents", f.source_file, len(docs))
    summary = dataclasses.replace(
        _summary(kept, doc_lines, len(unexplained)),
        total_lines=cleaned.total_lines, repeated_lines=len(cleaned.lines) - len(kept.lines))
    loaded = LoadedDocuments(
        documents=documents, summaries=(summary,),
        page_lines={cleaned.file: cleaned.page_lines} if cleaned.page_lines else {})
    return dataclasses.replace(loaded, problems=tuple(loaded.with_pages(
        [*read_problems, *_repeat_problems(cleaned, repeats), *found,
         *_same_in_file(documents)])))


def _same_in_file(docs: Sequence[Document]) -> Iterator[Problem]:
    """L005 for a document of one file with the title, 文号 and jurisdiction of an earlier one
    of the same file that is not its copy line for line (that one is an L006)."""
    known: dict[tuple[str, str | None, str | None], Document] = {}
    for doc in docs:
        key = (doc.title, doc.doc_number, doc.jurisdiction)
        first = known.setdefault(key, doc)
        if doc.title and first is not doc:
            yield Errors.L005.at(
                Span(file=doc.file, start_line=doc.start_line, end_line=doc.end_line),
                excerpt=doc.title, file=first.file, line=first.start_line)


def _is_document_again(r: Repeat, lines: Sequence[SourceLine], docs: Sequence[Document]) -> bool:
    """Whether a repeated block is a document printed again, not a title printed twice or
    two equal table rows.

    Its first copy starts a document, and ends one or holds the start of one of its sections
    (a policy printed twice and then another one that the loaders read as one document).
    """
    first, last = lines[r.first].number, lines[r.first + r.period - 1].number
    doc = next((d for d in docs if d.start_line == first), None)
    if doc is None:
        return False
    return any(d.end_line == last for d in docs) or any(
        first < s.start_line <= last for s in doc.sections)


def _printed_again(lines: Sequence[SourceLine], docs: Sequence[Document]) -> list[Repeat]:
    """Documents printed again, line for line, after other documents of the same file (A B
    A: the third is the first again), each as a ``Repeat`` of the earlier copy."""
    index = {s.number: k for k, s in enumerate(lines)}
    earlier: dict[tuple[str, ...], int] = {}
    found: list[Repeat] = []
    for doc in docs:
        a, b = index[doc.start_line], index[doc.end_line] + 1
        if b - a < MIN_BLOCK_LINES:
            continue
        texts = tuple(s.text for s in lines[a:b])
        if texts in earlier:
            found.append(Repeat(first=earlier[texts], start=a, end=b, length=b - a))
        else:
            earlier[texts] = a
    return found


def _file_documents(cleaned: CleanedLines, memo: BlockMemo | None = None
                    ) -> tuple[list[Document], list[Problem], int, list[int]]:
    """The documents of one file's kept lines: a compilation's or official documents."""
    if cleaned.pages is None and is_compilation(cleaned):
        return _compilation_documents(cleaned, memo)
    return _single_document(cleaned, cleaned.source_file)


def _without(cleaned: CleanedLines, repeats: Sequence[Repeat]) -> CleanedLines:
    """``cleaned`` with the lines of every repeated copy taken out (the first copy kept)."""
    if not repeats:
        return cleaned
    lines: list[SourceLine] = []
    at = 0
    for r in repeats:
        lines.extend(cleaned.lines[at:r.start])
        at = r.end
    lines.extend(cleaned.lines[at:])
    return dataclasses.replace(cleaned, lines=tuple(lines))


def _repeat_problems(cleaned: CleanedLines, repeats: Sequence[Repeat]) -> Iterator[Problem]:
    """One L006 per copy of a document printed again in the same file."""
    lines = cleaned.lines
    for r in repeats:
        first = lines[r.first]
        for a, b in r.copies():
            yield Errors.L006.at(
                Span(file=cleaned.file, start_line=lines[a].number,
                     end_line=lines[b - 1].number, page=lines[a].page),
                excerpt=first.text, lines=f"{lines[a].number}-{lines[b - 1].number}",
                first=f"{first.number}-{lines[r.first + b - a - 1].number}")


def check_loaded(inputs: InputFiles, results: Sequence[LoadedDocuments | InputError],
                 *, read: int | None = None) -> None:
    """Apply the folder rules to the outcome of each input file.

    A named file alone that cannot be read raises its own error; in a folder such a file
    is skipped (one warning each, unless nothing was read). Nothing read at all raises.

    Args:
        inputs: the files (``collect_inputs``).
        results: per file of ``inputs.files``, its documents or the error that stopped it.
        read: how many documents were read (default: those of ``results``).

    Raises:
        InputError: as above.
    """
    alone = len(inputs.files) == 1 and not inputs.from_folder
    errors = [r for r in results if isinstance(r, InputError)]
    if alone and errors:
        raise errors[0]
    n_docs = read if read is not None else sum(
        len(r.documents) for r in results if not isinstance(r, InputError))
    if not n_docs and len(errors) == 1:
        raise errors[0]
    for f, r in zip(inputs.files, results, strict=True):
        if isinstance(r, InputError):
            # the CLI prints these from the summaries; with nothing read, it gets the error
            (logger.warning if n_docs else logger.info)("skipped %s: %s", f.source_file,
                                                        r.message)
    if not n_docs and not errors:
        # every file was read, yet none holds a document (headings alone, say)
        read_names = [f.source_file or "input" for f in inputs.files]
        first = read_names[0] if read_names else "input"
        raise NotAPolicyTextError(
            Errors.I006_NO_DOCUMENT.format(files=", ".join(read_names[:3]) + (
                f" and {len(read_names) - 3} more files" if len(read_names) > 3 else "")),
            Span(file=Path(first).name, start_line=1, end_line=1))
    if not n_docs:
        reasons = ", ".join(f"{r}: {n}" for r, n in sorted(Counter(e.reason for e in errors)
                                                          .items()))
        raise InputError(Errors.I007.format(count=len(errors), reasons=reasons))


def try_read(f: InputFile) -> LoadedDocuments | InputError:
    """``read_file``, with the error that stops a file returned instead of raised."""
    try:
        return read_file(f)
    except InputError as e:
        return e


def _load_documents(paths: Sequence[Path], progress: Progress | None) -> LoadedDocuments:
    """Load every input file in order (the body of ``load_documents``)."""
    inputs = collect_inputs(paths)
    for f in inputs.ignored:
        logger.info("ignored %s: not a .pdf or .txt file", f.source_file)
    results: list[LoadedDocuments | InputError] = []
    total = len(inputs.files)
    for done, f in enumerate(inputs.files):
        if progress is not None:
            progress(done, total, f.source_file)
        results.append(try_read(f))
    if progress is not None:
        progress(total, total, "")
    check_loaded(inputs, results)
    return combine(inputs, results)


def combine(inputs: InputFiles,
            results: Sequence[LoadedDocuments | InputError]) -> LoadedDocuments:
    """The documents of all files in order, ids unique across files, repeats reported (L005);
    summaries: ignored files first, then each file read or skipped."""
    documents: list[Document] = []
    problems: list[Problem] = []
    summaries = [skipped(f, "ignored", "not a .pdf or .txt file") for f in inputs.ignored]
    seen: set[str] = set()
    repeats = RepeatIndex()
    page_lines: dict[str, tuple[int, ...]] = {}
    for f, r in zip(inputs.files, results, strict=True):
        if isinstance(r, InputError):
            summaries.append(skipped(f, "skipped", r.reason, r.message))
            continue
        problems.extend(r.problems)
        problems.extend(repeats.repeats(r.documents))
        repeats.add(r.documents)
        documents.extend(rename_document(d, unique_id(d.id, seen)) for d in r.documents)
        summaries.extend(r.summaries)
        page_lines.update(r.page_lines)
    loaded = LoadedDocuments(documents=tuple(documents), summaries=tuple(summaries),
                             page_lines=page_lines)
    return dataclasses.replace(loaded, problems=tuple(loaded.with_pages(problems)))


def find_repeats(docs: Sequence[Document], earlier: Sequence[Document]) -> Iterator[Problem]:
    """Yield L005 for each document whose title, 文号 and jurisdiction an earlier file gave.

    Two cities publish plans of one title (234 梧州, 353 天水: 关于加快建立健全绿色低碳循环
    发展经济体系实施方案): the jurisdiction tells them apart.  (A loop over files keeps a
    ``RepeatIndex`` instead: this indexes ``earlier`` anew at each call.)
    """
    index = RepeatIndex()
    index.add(earlier)
    return index.repeats(docs)


class RepeatIndex:
    """The documents of the files read so far by title, 文号 and jurisdiction, added file by
    file: ``repeats`` of a file's documents is ``find_repeats(docs, earlier)`` without
    indexing every earlier document again (linear in the corpus, not quadratic)."""

    def __init__(self) -> None:
        # the last earlier document of each key, as find_repeats' dict always held
        self._known: dict[tuple[str, str | None, str | None], Document] = {}

    def add(self, docs: Iterable[Document]) -> None:
        """Index ``docs`` (a file's, after those added before)."""
        for d in docs:
            if d.title:
                self._known[d.title, d.doc_number, d.jurisdiction] = d

    def repeats(self, docs: Sequence[Document]) -> Iterator[Problem]:
        """Yield L005 for each of ``docs`` whose key a document added before has (in another
        file)."""
        for doc in docs:
            first = self._known.get((doc.title, doc.doc_number, doc.jurisdiction))
            if first is not None and first.file != doc.file:
                yield Errors.L005.at(
                    Span(file=doc.file, start_line=doc.start_line, end_line=doc.end_line),
                    excerpt=doc.title, file=first.file, line=first.start_line)


def _cut_short(documents: Sequence[Document]) -> Iterator[Problem]:
    """Yield L004 when a compilation's last document stops mid-sentence with no address.

    A compilation's documents end with their source address or a sign-off sentence; one
    that ends inside a sentence means the input was cut (a copy cut at line 4300).
    """
    if not documents:
        return
    last = documents[-1]
    text = last.paragraphs[-1].text.rstrip() if last.paragraphs else ""
    if last.url is None and text and text[-1] not in _DOCUMENT_END:
        yield Errors.L004.at(
            Span(file=last.file, start_line=last.start_line, end_line=last.end_line),
            excerpt=text[-40:], doc=last.id)


def _single_kind(
    title: str, issuers: tuple[str, ...], doc_number: str | None
) -> tuple[DocKind, str | None]:
    """Guess a single document's kind and jurisdiction from its issuers, title and 文号."""
    for name in (*issuers, title):
        m = JURISDICTION_RE.match(name)
        if m is not None:
            return DocKind.LOCAL_POLICY, m.group("name")
    central = {"国务院", "中共中央", "国务院办公厅", "中共中央办公厅"}
    if central & set(issuers) or (doc_number and CENTRAL_NUMBER_RE.match(doc_number)):
        return DocKind.CENTRAL_POLICY, None
    if issuers or doc_number:
        return DocKind.MINISTRY_POLICY, None
    return DocKind.CENTRAL_POLICY, None


_LEVEL_KINDS = {
    IssuerLevel.CENTRAL: DocKind.CENTRAL_POLICY,
    IssuerLevel.MINISTRY: DocKind.MINISTRY_POLICY,
    IssuerLevel.PROVINCIAL: DocKind.LOCAL_POLICY,
    IssuerLevel.MUNICIPAL: DocKind.LOCAL_POLICY,
    IssuerLevel.COUNTY: DocKind.LOCAL_POLICY,
    IssuerLevel.ENTERPRISE: DocKind.ENTERPRISE_PLAN,
}


def _official_kind(found: OfficialDocument, jurisdiction: str | None) -> tuple[
        DocKind, IssuerLevel | None]:
    """A document's kind from its genre and issuer level (or jurisdiction when no issuer)."""
    level = found.level
    if level is None and jurisdiction is not None:
        level = issuer_level([jurisdiction])
    if found.genre is Genre.SPEECH:
        return DocKind.SPEECH, level
    if level is None:
        kind, _ = _single_kind(found.title, found.issuers, found.doc_number)
        return kind, level
    if jurisdiction is None and level in (IssuerLevel.PROVINCIAL, IssuerLevel.MUNICIPAL,
                                          IssuerLevel.COUNTY):
        return DocKind.LOCAL_POLICY, level
    return _LEVEL_KINDS.get(level, DocKind.MINISTRY_POLICY), level


def _single_document(
    cleaned: CleanedLines, source_file: str | None = None,
) -> tuple[list[Document], list[Problem], int, list[int]]:
    """Read a file holding official documents (one, or a notice and its attachments)."""
    letterheads = [(f.line, f.text) for f in cleaned.furniture
                   if f.kind is FurnitureKind.LETTERHEAD]
    documents, problems = official_documents(cleaned.lines, cleaned.file, source_file,
                                             letterheads)
    return documents, problems, len(cleaned.lines), []


def official_documents(
    lines: Sequence[SourceLine], file: str, source_file: str | None = None,
    letterheads: Sequence[tuple[int, str]] = (),
) -> tuple[list[Document], list[Problem]]:
    """Read the official documents of one file's kept lines (text or PDF, furniture gone).

    Args:
        lines: the file's kept lines in order (a PDF's carry their page).
        file: the file name used in provenance.
        source_file: the path relative to the input root (default: ``file``).
        letterheads: (line, text) of the letterheads set aside as page furniture.

    Returns:
        The documents (a covering notice and what it publishes are linked) and D001
        problems for a title or date not found.
    """
    hints = [m.group(1) for m in re.finditer(r"《([^《》]{4,80})》", Path(file).stem)]
    found = read_official(lines, hints, letterheads)
    base = file_doc_id(file)
    ids = _official_ids(base, found)
    documents: list[Document] = []
    problems: list[Problem] = []
    for k, part in enumerate(found):
        doc_lines = lines[part.start:part.end]
        doc_id = ids[k]
        title_end = doc_lines[max(part.title_lines, 1) - 1].number
        paragraphs, sections = _outline(doc_id, tuple(join_paragraphs(doc_lines)), title_end,
                                        doc_lines[-1].number, doc_lines)
        jurisdiction, _ = document_jurisdiction(part.evidence, part.doc_number)
        kind, level = _official_kind(part, jurisdiction)
        first_page, last_page = doc_lines[0].page, doc_lines[-1].page
        documents.append(Document(
            id=doc_id,
            part=None,
            chapter=None,
            seq=None,
            kind=kind,
            jurisdiction=jurisdiction,
            title=part.title,
            doc_number=part.doc_number,
            date=part.date,
            date_source=part.date_source,
            year=int(part.date[:4]) if part.date else _number_year(part.doc_number),
            issuers=part.issuers,
            url=None,
            start_line=doc_lines[0].number,
            end_line=doc_lines[-1].number,
            file=file,
            sections=sections,
            paragraphs=paragraphs,
            source_file=source_file or file,
            genre=part.genre,
            official_type=part.official_type,
            level=level,
            notice_of=tuple(ids[i] for i in part.notice_of),
            attached_to=None if part.attached_to is None else ids[part.attached_to],
            from_notice=part.from_notice,
            pages=None if first_page is None or last_page is None else (first_page, last_page),
            official=part.elements,
        ))
        span = Span(file=file, start_line=doc_lines[0].number,
                    end_line=doc_lines[-1].number, page=first_page)
        if part.title_from is not None or (not part.title and len(found) == 1):
            documents[-1], excerpt = _title_not_printed(documents[-1], part, Path(file))
            problems.append(Errors.D001_NOT_PRINTED.at(
                span, excerpt=excerpt, field="title", value=documents[-1].title,
                basis="the file's name" if part.title_from is None
                else f"line {part.title_from[0]}"))
        elif not part.title or part.title.endswith("。") or len(part.title) > 100:
            problems.append(Errors.D001.at(span, excerpt=part.title or doc_lines[0].text,
                                           field="title"))
        if part.date is None and not part.notice_of:
            problems.append(Errors.D001.at(span, excerpt=part.title or doc_lines[0].text,
                                           field="date"))
        if part.segment and (k == 0 or found[k - 1].segment != part.segment):
            problems.append(Errors.L007.at(span, excerpt=part.title, n=k + 1,
                                           line=doc_lines[0].number))
    if len(documents) == 1:
        # a lone document keeps the old reading of a web copy's source address
        header = read_header(lines)
        if header.url is not None:
            documents[0] = _with_url(documents[0], header.url)
    return documents, problems


def _title_not_printed(doc: Document, part: OfficialDocument, path: Path
                       ) -> tuple[Document, str]:
    """``doc`` with the title it does not print recorded in ``inferred`` with its basis (the
    line naming it, else the file's name), and the text it was taken from.

    A lone document with no title and nothing naming it takes the file's name, as a
    collector gives it (the 《》 it quotes, else the name without its leading number).
    """
    if part.title_from is not None:
        line, text = part.title_from
        title = doc.title
    else:
        line, text = doc.start_line, path.name
        quoted = re.findall(r"《([^《》]{4,80})》", path.stem)
        title = quoted[0] if len(quoted) == 1 else re.sub(r"^\d+\s*[、.．_\-]\s*", "", path.stem)
        title = title.strip() or path.stem
    inferred = Inferred(field="title", value=title, doc_id=doc.id, file=doc.file, line=line,
                        text=text)
    return dataclasses.replace(doc, title=title, inferred=(*doc.inferred, inferred)), text


def _with_url(doc: Document, url: str) -> Document:
    import dataclasses

    return dataclasses.replace(doc, url=url)


def _number_year(doc_number: str | None) -> int | None:
    m = None if doc_number is None else re.search(r"〔(\d{4})〕", doc_number)
    return None if m is None else int(m.group(1))


def _official_ids(base: str, found: Sequence[OfficialDocument]) -> list[str]:
    """Ids of a file's documents, unique in it.

    A published document takes the file's slug, its covering notice ``<slug>-notice``; a
    bundle's later documents ``<slug>-2``, ``<slug>-3`` …; the documents of the file's second
    unrelated document (``OfficialDocument.segment``) the same under ``<slug>-2``, and so on.
    """
    ids: list[str] = []
    seen: set[str] = set()
    for segment in sorted({f.segment for f in found}):
        part = [f for f in found if f.segment == segment]
        stem = base if segment == 0 else f"{base}-{segment + 1}"
        ids += [unique_id(i, seen) for i in _part_ids(stem, part)]
    return ids


def _part_ids(base: str, found: Sequence[OfficialDocument]) -> list[str]:
    """Ids of one part's documents: one, a covering notice and what it publishes, a bundle."""
    if len(found) == 1:
        return [base]
    if found[0].notice_of:
        ids = [f"{base}-notice"]
        ids += [base if k == 1 else f"{base}-{k}" for k in range(1, len(found))]
        return ids
    return [base if k == 0 else f"{base}-{k + 1}" for k in range(len(found))]
