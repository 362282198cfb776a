"""Read input files as text: UTF-8 (with or without BOM), UTF-16, GB18030/GBK; refuse binary.

Standard library and ``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or
jieba.
"""

from __future__ import annotations

import codecs
import dataclasses
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policykg.errors import (
    EmptyInputError,
    EncodingError,
    Errors,
    InputError,
    NotAPolicyTextError,
)
from policykg.loaders.contents import set_aside_contents
from policykg.loaders.lines import CleanedLines, clean_lines
from policykg.records import Problem, Span

__all__ = [
    "READ_SUFFIXES",
    "DecodedText",
    "InputFile",
    "InputFiles",
    "LineView",
    "Progress",
    "check_policy_text",
    "collect_inputs",
    "decode_bytes",
    "list_lines",
    "read_cleaned",
    "read_text",
]

#: The files a folder build reads; a folder's other files are listed as ignored.
READ_SUFFIXES = (".pdf", ".txt")

#: ``progress(done, total, source_file)``: called before each input file and once at the end.
Progress = Callable[[int, int, str], None]

logger = logging.getLogger(__name__)

# Words that every Chinese policy text or compilation uses; a text with none is refused.
# line 3158: "国发〔2021〕4号"; line 6503: "第一章 国家发展和改革委员会".
POLICY_MARKER_RE = re.compile(
    r"""(?:通知|意见|方案|办法|规划|决定|条例|规定|细则|指南|纲要|计划|公约|协定|讲话
        |国务院|人民政府|委员会|\u3014\d{4}\u3015|发展|实施|推进|加强|工作)""",
    re.VERBOSE,
)

_CJK_RE = re.compile(r"[\u3400-\u9fff]")

# Control characters that never occur in text (NUL aside, which is tested separately).
_BINARY_RE = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass(frozen=True, slots=True, kw_only=True)
class DecodedText:
    """A decoded input file and the encoding it was read with."""

    text: str
    encoding: str
    path: Path
    problems: tuple[Problem, ...] = field(default=())


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Decode UTF-16 saved without a byte-order mark, or None if ``data`` is not that.

    ASCII characters (digits, newlines) put a NUL in every other byte: nearly all NULs on
    odd offsets is little-endian, on even offsets big-endian.  The decoded text must then be
    printable and Chinese, so binary data with NULs is not mistaken for it.
    """
    if len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= 2 * even:
        encoding = "utf-16-le"
    elif even >= 2 * odd:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    shown = sum(c.isprintable() or c in "\r\n\t\u3000" for c in text)
    if shown < 0.98 * len(text) or not _CJK_RE.search(text):
        return None
    return text, encoding


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode file bytes, trying UTF-8 (BOM), UTF-16 (BOM, then without), UTF-8, GB18030.

    Args:
        data: the raw bytes.
        name: the file name for error messages.

    Returns:
        The text and the name of the encoding used.

    Raises:
        EncodingError: the bytes are binary or not text in a known encoding.

    >>> decode_bytes("碳达峰".encode("gb18030"), "x.txt")
    ('碳达峰', 'gb18030')
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            off = e.start + len(codecs.BOM_UTF8)
            line = _line_of(data, off)
            raise EncodingError(
                Errors.I005_BOM.format(offset=off),
                Span(file=name, start_line=line, end_line=line),
            ) from e
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise EncodingError(
                Errors.I005_UTF16.format(offset=e.start), Span(file=name, start_line=1, end_line=1)
            ) from e
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    binary = _BINARY_RE.search(data)
    if binary is not None:
        off = binary.start()
        line = _line_of(data, off)
        raise EncodingError(
            Errors.I005.format(byte=data[off], offset=off),
            Span(file=name, start_line=line, end_line=line),
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as e:
            off = utf8_error.start
            line = _line_of(data, off)
            raise EncodingError(
                Errors.I005_UNDECODABLE.format(byte=data[off], offset=off),
                Span(file=name, start_line=line, end_line=line),
            ) from e
        if not _CJK_RE.search(text):
            off = utf8_error.start
            line = _line_of(data, off)
            raise EncodingError(
                Errors.I005_NO_CHINESE.format(offset=off),
                Span(file=name, start_line=line, end_line=line),
            ) from utf8_error
        return text, "gb18030"


def read_text(path: Path) -> DecodedText:
    """Read a text file, detecting UTF-8, UTF-8 with BOM and GB18030/GBK.

    A legacy encoding is reported as a Problem E001 (and logged), and the run goes on.

    Args:
        path: the file to read.

    Returns:
        The decoded text, the encoding and any problem.

    Raises:
        EncodingError: binary or undecodable bytes (the message names byte offset and line).
        EmptyInputError: the file holds no text.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise EncodingError(Errors.I004.format(path=path, reason=e.strerror),
                            Span(file=name, start_line=1, end_line=1)) from e
    if not data.strip():
        raise EmptyInputError(Errors.I003.format(path=path),
                              Span(file=name, start_line=1, end_line=1))
    text, encoding = decode_bytes(data, name)
    if "\r" in text:
        # old Mac line ends (a lone CR) are line ends too: else the file is one long line
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems: tuple[Problem, ...] = ()
    if encoding not in ("utf-8", "utf-8-sig"):
        logger.warning("%s: decoded from %s", name, encoding)
        problems = (
            Errors.E001.at(
                Span(file=name, start_line=1,
                     end_line=max(1, len(text.rstrip("\n").split("\n")))),
                encoding=encoding,
            ),
        )
    elif encoding == "utf-8-sig":
        logger.info("%s: UTF-8 with byte-order mark", name)
    if not text.strip():
        raise EmptyInputError(Errors.I003.format(path=path),
                              Span(file=name, start_line=1, end_line=1))
    return DecodedText(text=text, encoding=encoding, path=path, problems=problems)


def check_policy_text(text: str, name: str) -> None:
    """Refuse a text that is not a Chinese policy document or compilation.

    Raises:
        NotAPolicyTextError: fewer than 20 CJK characters or no policy vocabulary.

    >>> check_policy_text("关于加快建立健全绿色低碳循环发展经济体系的指导意见" * 2, "x.txt")
    """
    sample = text[:200_000]

    def at_least(pattern: re.Pattern[str], n: int) -> bool:
        # counting stops at n: all matches of the sample cost 1 % of the compilation's build
        return sum(1 for _ in itertools.islice(pattern.finditer(sample), n)) == n

    if not (at_least(_CJK_RE, 20) and at_least(POLICY_MARKER_RE, 2)):
        cjk = len(_CJK_RE.findall(sample))
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        raise NotAPolicyTextError(
            Errors.I006.format(cjk=cjk),
            Span(file=name, start_line=1, end_line=1),
            excerpt=first,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFile:
    """One input file and its path relative to the input root (``Document.source_file``)."""

    path: Path
    source_file: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFiles:
    """The files a build reads, the files it ignores, and whether a folder was given."""

    files: tuple[InputFile, ...]
    ignored: tuple[InputFile, ...] = ()
    from_folder: bool = False


def collect_inputs(paths: Sequence[Path]) -> InputFiles:
    """Expand files and folders into input files, in order.

    A named file is read whatever its extension; a folder's .pdf and .txt files (in its
    subfolders too, by relative path; hidden ones skipped) are read and its other files
    ignored.

    Raises:
        InputError: a path does not exist.
        EmptyInputError: a folder holds no file, or no .pdf or .txt file.
    """
    files: list[InputFile] = []
    ignored: list[InputFile] = []
    from_folder = False
    for path in paths:
        if path.is_dir():
            from_folder = True
            found = sorted(
                (p for p in path.rglob("*") if p.is_file()
                 and not any(part.startswith(".") for part in p.relative_to(path).parts)),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            if not found:
                raise EmptyInputError(Errors.I002.format(path=path))
            read = [p for p in found if p.suffix.lower() in READ_SUFFIXES]
            if not read:
                raise EmptyInputError(Errors.I002_KINDS.format(path=path, count=len(found)))
            for p in found:
                item = InputFile(path=p, source_file=p.relative_to(path).as_posix())
                (files if p.suffix.lower() in READ_SUFFIXES else ignored).append(item)
        elif path.is_file():
            files.append(InputFile(path=path, source_file=path.name))
        else:
            raise InputError(Errors.I001.format(path=path))
    return InputFiles(files=tuple(files), ignored=tuple(ignored), from_folder=from_folder)


def _looks_like_pdf(path: Path) -> bool:
    from policykg.loaders.pdf import is_pdf

    if path.suffix.lower() == ".pdf":
        return True
    try:
        with path.open("rb") as fh:
            return is_pdf(fh.read(1024))
    except OSError:
        return False


def read_cleaned(f: InputFile) -> tuple[CleanedLines, tuple[Problem, ...]]:
    """Read a text or PDF file into cleaned lines (page furniture of a PDF and a table of
    contents set aside).

    Returns:
        The cleaned lines (``source_file`` set) and the problems of reading (E001 legacy
        encoding, P001 unmapped glyphs, P002 a page without text, P003 and P004 full-width
        punctuation restored).

    Raises:
        InputError: the file cannot be used (``EncodingError``, ``EmptyInputError``,
            ``EncryptedPdfError``, ``ScannedPdfError``, ``DamagedPdfError``).
    """
    if _looks_like_pdf(f.path):
        from policykg.loaders.furniture import clean_pdf
        from policykg.loaders.pdf import read_pdf

        pdf = read_pdf(f.path)
        cleaned = set_aside_contents(clean_pdf(pdf, f.source_file))
        problems = pdf.problems
        whole = Span(file=pdf.file, start_line=1, end_line=cleaned.total_lines, page=1)
        if cleaned.yi_punctuation:
            problems += (Errors.P004.at(whole, count=cleaned.yi_punctuation),)
        if cleaned.restored_punctuation:
            problems += (Errors.P003.at(whole),)
        return cleaned, problems
    decoded = read_text(f.path)
    cleaned = set_aside_contents(clean_lines(decoded.text, f.path.name))
    return dataclasses.replace(cleaned, source_file=f.source_file), decoded.problems


@dataclass(frozen=True, slots=True, kw_only=True)
class LineView:
    """One source line as the loaders see it (``policykg text``).

    ``status`` is "" for a kept line, "blank", or the furniture kind of a removed line
    (``contents`` for a table of contents; ``page_artifact`` for a text file's page footer;
    ``api.text`` adds "repeated" for a line
    of a document printed again, L006); ``cut`` is a page number cut off a
    kept line; ``text`` is what the loaders keep (the printed line for a removed one).
    """

    number: int
    page: int | None
    text: str
    status: str = ""
    cut: str = ""


def list_lines(path: Path) -> list[LineView]:
    """Every line of a text or PDF file, numbered as spans number them, with its fate.

    Raises:
        InputError: as ``read_cleaned``.
    """
    f = InputFile(path=path, source_file=path.name)
    if _looks_like_pdf(path):
        from policykg.loaders.furniture import clean_pdf
        from policykg.loaders.pdf import read_pdf

        pdf = read_pdf(path)
        raw = [(s.number, s.page, s.text) for s in pdf.source_lines()]
        cleaned = set_aside_contents(clean_pdf(pdf, f.source_file))
    else:
        decoded = read_text(path)
        cleaned = set_aside_contents(clean_lines(decoded.text, path.name))
        raw = [(n, None, t.rstrip("\r")) for n, t in enumerate(
            decoded.text.split("\n")[: cleaned.total_lines], start=1)]
    kept = {s.number: s.text for s in cleaned.lines}
    removed = {x.line: str(x.kind) for x in cleaned.furniture if not x.partial}
    removed.update({n: "page_artifact" for n in cleaned.artifacts if n not in removed})
    cuts = {x.line: x.text for x in cleaned.furniture if x.partial}
    out: list[LineView] = []
    for number, page, text in raw:
        if number in kept:
            out.append(LineView(number=number, page=page, text=kept[number],
                                cut=cuts.get(number, "")))
        elif number in removed:
            out.append(LineView(number=number, page=page, text=text.strip(),
                                status=removed[number]))
        else:
            out.append(LineView(number=number, page=page, text=text.strip(), status="blank"))
    return out
