"""Query segmentation without jieba: the word table and jieba's own cutting algorithm over it.

``policykg who`` segments its query as the pipeline's jieba does (``cut``, accurate mode, HMM
on), taught the registry and the domain words.  Loading jieba and its 350,000-word dictionary
costs a cold process more than the whole lookup, so ``loaders.nlp`` writes the taught
dictionary's frequencies (with the prefixes jieba keeps beside them, the total, and the HMM's
start, transition and emission probabilities) once to a word table in a cache folder, and this
module cuts with only the entries for the substrings of the query: jieba only ever looks up
substrings of the text it cuts, so the words are the same (``tests/loaders/test_nlp.py``
compares them on every task of the compilation).

The table (``jieba-<key>.words``) is a hash table on disk: a header line, the offsets of its
buckets, and the buckets, lines ``word<TAB>value`` grouped by the CRC-32 of the word; a lookup
reads only the buckets of the strings it asks for.  The key hashes what the words depend on:
jieba's dictionary and model files, the registry's and domain words' lexicons, and the code
that teaches them; it is remembered per file state, so a cold process only stats the files.

Standard library only: must not import jieba, spaCy or the record classes.
"""

from __future__ import annotations

import math
import os
import sys
import zlib

# typing's import costs a cold `who` ~6 ms; mypy reads any constant named TYPE_CHECKING
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

__all__ = [
    "CACHE_ENV",
    "TABLE_VERSION",
    "WordTable",
    "cache_dirs",
    "cut",
    "files_key",
    "find_table",
    "jieba_dir",
    "table_key",
    "table_name",
    "write_table",
]

#: Environment variable naming the folder of the word table (default: the user cache).
CACHE_ENV = "POLICYKG_CACHE"
#: Bumped when the table's layout or the way jieba is taught changes.
TABLE_VERSION = 2
_MAGIC = "policykg-words"

# jieba's patterns (jieba/__init__.py and jieba/finalseg/__init__.py, 0.42.1) as scans of
# the characters, without ``re`` (8 ms of a cold ``who`` to import; tests/loaders/test_words.py
# checks each scan against its pattern): re_han_default ([\u4e00-\u9fd5a-zA-Z0-9+#&\._%\-]+),
# re_skip_default (\r\n|\s), finalseg's re_han ([\u4e00-\u9fd5]+) and re_skip
# ([a-zA-Z0-9]+(?:\.\d+)?%?).
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_HAN_ASCII = _ALNUM | frozenset("+#&._%-")
_MIN_FLOAT = -3.14e100
_STATES = "BMES"
_PREV = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}


# keys of the HMM's probabilities among the words (no word starts with a control character)
_START, _TRANS, _EMIT = "\x02", "\x03", "\x01"


def cache_dirs() -> Iterator[str]:
    """The folders the word table may live in, in order of preference.

    A generator: the temp folder (``tempfile``, costly to import) is only looked up when the
    folders before it did not do.
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        yield env
        return
    xdg = os.environ.get("XDG_CACHE_HOME")
    home = os.path.expanduser("~")
    if xdg or home != "~":  # no home folder (a service account): the temp folder only
        yield os.path.join(xdg or os.path.join(home, ".cache"), "policykg")
    import tempfile

    yield os.path.join(tempfile.gettempdir(), "policykg")


def jieba_dir() -> str | None:
    """The folder of the jieba package the interpreter would import, without importing it."""
    module = sys.modules.get("jieba")
    if module is not None and getattr(module, "__file__", None):
        return os.path.dirname(str(module.__file__))
    for entry in sys.path:
        folder = os.path.join(entry or ".", "jieba")
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            return folder
    return None


def _key_files() -> list[str] | None:
    """Every file the taught words depend on (None: jieba is not installed)."""
    jieba = jieba_dir()
    if jieba is None:
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    lexicons = os.path.join(here, "lexicons")
    j = os.path.join
    return [j(jieba, "__init__.py"), j(jieba, "dict.txt"), j(jieba, "finalseg", "__init__.py"),
            *(j(jieba, "finalseg", f"prob_{p}.py") for p in ("start", "trans", "emit")),
            *sorted(j(lexicons, n) for n in os.listdir(lexicons) if n.endswith(".toml")),
            j(here, "agencies.py"), j(here, "nlp.py"), j(here, "words.py")]


def table_key() -> str | None:
    """The word table's key: a hash of the content of every file the words depend on.

    Remembered in the cache folder per state of those files (size, time, inode), so that a
    cold process hashes nothing.  None if jieba is not installed.
    """
    files = _key_files()
    if files is None:
        return None
    return files_key(files, f"{_MAGIC} {TABLE_VERSION}", "words")


def files_key(files: Iterable[str], tag: str, memo: str) -> str | None:
    """A 20-hex-digit hash of ``tag`` and the content of ``files``, remembered per state of
    the files (size, time, inode) in ``<memo>-key-<crc>.txt`` of the cache folder, so that a
    cold process only stats them.  None if a file cannot be read.
    """
    files = list(files)
    try:
        stats = [os.stat(f) for f in files]
    except OSError:
        return None
    state = f"{tag}|" + "|".join(
        f"{f}:{s.st_size}:{s.st_mtime_ns}:{s.st_ino}" for f, s in zip(files, stats, strict=True))
    name = f"{memo}-key-{zlib.crc32(state.encode('utf-8')):08x}.txt"
    for folder in cache_dirs():
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                saved_state, _, key = f.read().rpartition("\n")
        except (OSError, UnicodeDecodeError):
            continue
        if saved_state == state and len(key) == 20:
            return key
    try:
        key = _content_key(files, tag)
    except OSError:
        return None
    for folder in cache_dirs():
        target = os.path.join(folder, name)
        tmp = f"{target}.{os.getpid()}.tmp"
        try:
            os.makedirs(folder, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(f"{state}\n{key}")
            os.replace(tmp, target)
            break
        except OSError:
            import contextlib  # only when a key is written, never in a cold ``who``

            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return key


def find_table() -> str | None:
    """The path of the current word table if one is written (None: none yet, or no jieba)."""
    key = table_key()
    if key is None:
        return None
    for folder in cache_dirs():
        path = os.path.join(folder, table_name(key))
        if os.path.isfile(path):
            return path
    return None


def _content_key(files: Iterable[str], tag: str) -> str:
    import hashlib

    digest = hashlib.sha256(tag.encode())
    for f in files:
        with open(f, "rb") as data:
            content = hashlib.sha256(data.read()).digest()
        digest.update(os.path.basename(f).encode("utf-8") + b"\0" + content)
    return digest.hexdigest()[:20]


def table_name(key: str) -> str:
    """The file name of the word table of ``key``."""
    return f"jieba-{key}.words"


def write_table(path: str | os.PathLike[str], freq: Mapping[str, int], total: int,
                start: Mapping[str, float], trans: Mapping[str, Mapping[str, float]],
                emit: Mapping[str, Mapping[str, float]]) -> None:
    """Write the word table: jieba's taught frequencies and its HMM's probabilities.

    Written to a temporary sibling and renamed: readers never see half a table.
    """
    entries: dict[str, str] = {w: str(n) for w, n in freq.items()}
    entries.update({_START + s: repr(p) for s, p in start.items()})
    entries.update({_TRANS + a + b: repr(p) for a, row in trans.items() for b, p in row.items()})
    entries.update({_EMIT + s + ch: repr(p) for s, row in emit.items() for ch, p in row.items()})
    nbuckets = max(1, len(entries) // 8)
    buckets: list[list[str]] = [[] for _ in range(nbuckets)]
    for word in sorted(entries):
        if "\t" in word or "\n" in word:
            continue  # never a substring of a han block: jieba cannot look it up
        buckets[_bucket(word, nbuckets)].append(f"{word}\t{entries[word]}\n")
    data = [("".join(b)).encode("utf-8") for b in buckets]
    offsets, pos = [], 0
    for chunk in data:
        offsets.append(pos)
        pos += len(chunk)
    offsets.append(pos)
    longest = max((len(w) for w in freq), default=1)
    head = f"{_MAGIC} {TABLE_VERSION} {total} {longest} {nbuckets}\n".encode("ascii")
    tmp = f"{os.fspath(path)}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(head)
        f.write(b"".join(o.to_bytes(8, "little") for o in offsets))
        f.writelines(data)
    os.replace(tmp, path)


def _bucket(word: str, nbuckets: int) -> int:
    return zlib.crc32(word.encode("utf-8")) % nbuckets


class WordTable:
    """An open word table: lookups read only the buckets of the strings asked for."""

    __slots__ = ("_base", "_data", "_fd", "_probs", "longest", "nbuckets", "total")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        try:
            first = os.pread(self._fd, 200, 0)
            line, newline, _ = first.partition(b"\n")
            head = line.decode("ascii").split()
            if not newline or len(head) != 5 or head[0] != _MAGIC or head[1] != str(TABLE_VERSION):
                raise ValueError(f"{os.fspath(path)}: not a word table of version {TABLE_VERSION}")
            self.total, self.longest, self.nbuckets = (int(x) for x in head[2:])
        except (UnicodeDecodeError, ValueError):
            os.close(self._fd)
            raise
        self._base = len(line) + 1
        self._data = self._base + 8 * (self.nbuckets + 1)
        self._probs: dict[str, float] | None = None

    def close(self) -> None:
        """Close the file."""
        os.close(self._fd)

    def lookup(self, strings: Iterable[str]) -> dict[str, str]:
        """The values of those of ``strings`` that are in the table.

        Raises:
            ValueError: a damaged table.
        """
        wanted: dict[int, set[str]] = {}
        for s in strings:
            wanted.setdefault(_bucket(s, self.nbuckets), set()).add(s)
        found: dict[str, str] = {}
        fd = self._fd
        for b in sorted(wanted):
            raw = os.pread(fd, 16, self._base + 8 * b)
            if len(raw) != 16:
                raise ValueError("a damaged word table (offsets)")
            start, end = int.from_bytes(raw[:8], "little"), int.from_bytes(raw[8:], "little")
            chunk = os.pread(fd, end - start, self._data + start)
            if len(chunk) != end - start or (chunk and not chunk.endswith(b"\n")):
                raise ValueError("a damaged word table (bucket)")
            names = wanted[b]
            for line in chunk.decode("utf-8").split("\n")[:-1]:
                word, tab, value = line.partition("\t")
                if not tab:
                    raise ValueError("a damaged word table (entry)")
                if word in names:
                    found[word] = value
        return found

    def probs(self) -> dict[str, float]:
        """The HMM's start and transition probabilities (read once)."""
        if self._probs is None:
            keys = [_START + s for s in _STATES] + [_TRANS + a + b for a in _STATES
                                                    for b in _STATES]
            self._probs = {k: float(v) for k, v in self.lookup(keys).items()}
        return self._probs


def cut(text: str, table: WordTable) -> list[str]:
    """Cut ``text`` as ``jieba.Tokenizer.cut(text, cut_all=False, HMM=True)`` does with the
    dictionary the table was written from.

    Raises:
        ValueError: a damaged table.
    """
    blocks = _runs(text, _is_han)
    strings: set[str] = set()
    for han, block in blocks:
        if han:
            for i in range(len(block)):
                strings.update(block[i:j]
                               for j in range(i + 1, min(len(block), i + table.longest) + 1))
    freq = {w: int(n) for w, n in table.lookup(strings).items()}
    model = _Model(table)
    words: list[str] = []
    for han, block in blocks:
        if han:
            words += _cut_dag(block, freq, table.total, model)
        else:
            words += _apart(block)
    return words


def _is_han(ch: str) -> bool:
    """A character of jieba's ``re_han_default``: an ideograph, ASCII letter or digit, +#&._%-."""
    return "\u4e00" <= ch <= "\u9fd5" or ch in _HAN_ASCII


def _is_ideograph(ch: str) -> bool:
    """A character of finalseg's ``re_han``."""
    return "\u4e00" <= ch <= "\u9fd5"


def _runs(text: str, inside: Callable[[str], bool]) -> list[tuple[bool, str]]:
    """The maximal runs of ``text`` whose characters are all ``inside`` or all not, in order
    (what ``re.split`` with the class as its one group gives, without the empty strings).

    >>> _runs("碳达峰2030年，", _is_ideograph)
    [(True, '碳达峰'), (False, '2030'), (True, '年'), (False, '，')]
    """
    out: list[tuple[bool, str]] = []
    start, state = 0, False
    for k, ch in enumerate(text):
        now = inside(ch)
        if k == 0:
            state = now
        elif now != state:
            out.append((state, text[start:k]))
            start, state = k, now
    if text:
        out.append((state, text[start:]))
    return out


def _apart(block: str) -> list[str]:
    """jieba's cut of a block outside ``re_han_default``: split by ``re_skip_default``, each
    separator (``\\r\\n`` or one whitespace character) whole, every other character alone."""
    out: list[str] = []
    k, n = 0, len(block)
    while k < n:
        step = 2 if block.startswith("\r\n", k) else 1
        out.append(block[k:k + step])
        k += step
    return out


def _numbers_apart(block: str) -> list[str]:
    """finalseg's split of a block outside its ``re_han`` by ``re_skip``
    (``[a-zA-Z0-9]+(?:\\.\\d+)?%?``: 2030, 12.5%, CO2), the text between kept whole.

    >>> _numbers_apart("CO2排放下降18.5%以上")
    ['CO2', '排放下降', '18.5%', '以上']
    """
    out: list[str] = []
    k = plain = 0
    n = len(block)
    while k < n:
        if block[k] not in _ALNUM:
            k += 1
            continue
        j = k + 1
        while j < n and block[j] in _ALNUM:
            j += 1
        if j + 1 < n and block[j] == "." and block[j + 1].isdecimal():  # \d: Unicode digits
            j += 2
            while j < n and block[j].isdecimal():
                j += 1
        if j < n and block[j] == "%":
            j += 1
        if plain < k:
            out.append(block[plain:k])
        out.append(block[k:j])
        k = plain = j
    if plain < n:
        out.append(block[plain:])
    return out


def _cut_dag(sentence: str, freq: Mapping[str, int], total: int, model: _Model) -> Iterator[str]:
    """jieba's ``Tokenizer.__cut_DAG``: the most probable route, unknown runs to the HMM."""
    n = len(sentence)
    dag: dict[int, list[int]] = {}
    for k in range(n):
        ends = []
        i, frag = k, sentence[k]
        while i < n and frag in freq:
            if freq[frag]:
                ends.append(i)
            i += 1
            frag = sentence[k:i + 1]
        dag[k] = ends or [k]
    route: dict[int, tuple[float, int]] = {n: (0.0, 0)}
    logtotal = math.log(total)
    for idx in range(n - 1, -1, -1):
        route[idx] = max((math.log(freq.get(sentence[idx:x + 1]) or 1) - logtotal
                          + route[x + 1][0], x) for x in dag[idx])
    x, buf = 0, ""
    while x < n:
        y = route[x][1] + 1
        word = sentence[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                yield from _flush(buf, freq, model)
                buf = ""
            yield word
        x = y
    if buf:
        yield from _flush(buf, freq, model)


def _flush(buf: str, freq: Mapping[str, int], model: _Model) -> Iterator[str]:
    if len(buf) == 1:
        yield buf
    elif not freq.get(buf):
        yield from model.cut(buf)
    else:
        yield from buf


class _Model:
    """jieba's ``finalseg``: the BMES hidden Markov model, emissions read from the table."""

    __slots__ = ("_emit", "_table")

    def __init__(self, table: WordTable) -> None:
        self._table = table
        self._emit: dict[str, float] = {}

    def cut(self, sentence: str) -> Iterator[str]:
        """``finalseg.cut`` (no words forced apart: the pipeline adds none)."""
        for han, block in _runs(sentence, _is_ideograph):
            if han:
                yield from self._viterbi_cut(block)
            else:
                yield from _numbers_apart(block)

    def _emission(self, state: str, ch: str) -> float:
        return self._emit.get(_EMIT + state + ch, _MIN_FLOAT)

    def _viterbi_cut(self, sentence: str) -> Iterator[str]:
        keys = {_EMIT + s + ch for s in _STATES for ch in sentence} - self._emit.keys()
        if keys:
            self._emit.update({k: float(v) for k, v in self._table.lookup(keys).items()})
        probs = self._table.probs()
        start = {s: probs.get(_START + s, _MIN_FLOAT) for s in _STATES}
        v: list[dict[str, float]] = [{}]
        path: dict[str, list[str]] = {}
        for y in _STATES:
            v[0][y] = start[y] + self._emission(y, sentence[0])
            path[y] = [y]
        for t in range(1, len(sentence)):
            v.append({})
            newpath = {}
            for y in _STATES:
                em = self._emission(y, sentence[t])
                prob, state = max((v[t - 1][y0] + probs.get(_TRANS + y0 + y, _MIN_FLOAT)
                                   + em, y0) for y0 in _PREV[y])
                v[t][y] = prob
                newpath[y] = path[state] + [y]
            path = newpath
        _, last = max((v[len(sentence) - 1][y], y) for y in "ES")
        tags = path[last]
        begin = nexti = 0
        for i, ch in enumerate(sentence):
            tag = tags[i]
            if tag == "B":
                begin = i
            elif tag == "E":
                yield sentence[begin:i + 1]
                nexti = i + 1
            elif tag == "S":
                yield ch
                nexti = i + 1
        if nexti < len(sentence):
            yield sentence[nexti:]
