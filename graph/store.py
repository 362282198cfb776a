"""The store directory: its whole layout, the writer lock, the atomic swap and its recovery.

Layout (ARCHITECTURE.md); no other module spells these names::

    manifest.json   records/ (policykg.recordio)   graph.nt   oxigraph/   tree.json
    cache/<key>.jsonl                 per-input-file records, reused by the next build
    cache/<key>.nt                    one document's N-Triples lines (graph.incremental)
    graph-state.json                  which batch each document has, counted shared lines
    validation.json                   the graph's SHACL results (kept for unchanged nodes)

Beside the store ``S`` in its parent folder: ``.S.lock`` (the writer lock, kept),
``.S.new-<pid>`` (a build in progress), ``.S.nt-<pid>`` (its sorted N-Triples before they
move in) and ``.S.old-<pid>`` (the previous store during a swap).

``write_store`` builds everything into ``.S.new-<pid>``, writing ``manifest.json`` last (so a
folder with a manifest is complete), then swaps: ``S`` → ``.S.old-<pid>``, the new folder →
``S``, the old one removed.  A process killed between the two renames leaves no ``S``: the
next command (reader or writer) finishes the swap (or, with no complete new folder, puts the
old store back), says so on stderr through the log, and removes stale folders
(``recover``).  Writers hold an exclusive ``flock`` on ``.S.lock`` for the whole build; a
second writer fails at once with a clear message.  Readers take no lock: a swap is two
renames of complete folders, and a reader that finds no store while a writer holds the lock
waits for the swap to end.
Must not import ``loaders`` or ``viz``; rdflib, pyoxigraph and oxrdflib load inside functions,
so that ``who`` can check a store without them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from policykg import __version__
from policykg.errors import Errors, StoreError
from policykg.fsio import fsync_dir, write_text
from policykg.recordio import RECORDS, read_corpus, read_records, write_records
from policykg.records import BuildSummary, Corpus, SectorTag

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "CACHE",
    "GRAPH_STATE",
    "MANIFEST",
    "NTRIPLES",
    "OXIGRAPH",
    "STORE_FORMAT",
    "SWAP_STEPS",
    "TREE",
    "VALIDATION",
    "OpenStore",
    "batch_lines",
    "cache_get",
    "cache_path",
    "check_store",
    "check_target",
    "forget_locks",
    "has_store",
    "load_oxigraph",
    "lock_store",
    "ntriples_path",
    "open_store",
    "oxigraph_location",
    "read_json",
    "read_manifest",
    "read_tree",
    "records_dir",
    "recover",
    "store_path",
    "write_store",
]

logger = logging.getLogger(__name__)

#: Bumped when the store layout changes incompatibly.
STORE_FORMAT: Final = 1
MANIFEST: Final = "manifest.json"
NTRIPLES: Final = "graph.nt"
OXIGRAPH: Final = "oxigraph"
TREE: Final = "tree.json"
CACHE: Final = "cache"
GRAPH_STATE: Final = "graph-state.json"
VALIDATION: Final = "validation.json"

#: The points of ``write_store`` where ``$POLICYKG_TEST_PAUSE_AT`` can stop a process (the
#: crash-consistency test kills it there): each write into the new folder, then each step
#: of the swap.
SWAP_STEPS: Final = (
    "records", "ntriples", "oxigraph", "tree", "cache", "manifest",
    "old-aside", "new-in", "old-removed",
)
_PAUSE_AT: Final = "POLICYKG_TEST_PAUSE_AT"
_PAUSE_FILE: Final = "POLICYKG_TEST_PAUSE_FILE"
#: How long a reader waits for a running swap to put a store in place.
_SWAP_WAIT_S: Final = 30.0


def _step(name: str) -> None:
    """Test hook: stop here (signal the test through a file) if ``$POLICYKG_TEST_PAUSE_AT``."""
    if os.environ.get(_PAUSE_AT) != name:
        return
    marker = os.environ.get(_PAUSE_FILE)
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    time.sleep(600)


def store_path(store_dir: Path | str) -> Path:
    """The store's absolute path (``.`` and ``..`` resolved, so the folder has a name).

    Raises:
        StoreError: the path names the file-system root.
    """
    path = Path(os.path.abspath(Path(store_dir).expanduser()))
    if not path.name:
        raise StoreError(Errors.S006.format(path=store_dir))
    return path


def _sibling(store_dir: Path, tag: str) -> Path:
    return store_dir.with_name(f".{store_dir.name}.{tag}")


def _siblings(store_dir: Path, tag: str) -> list[Path]:
    """The ``.S.<tag>-<pid>`` folders beside the store, newest first."""
    prefix = f".{store_dir.name}.{tag}-"
    try:
        found = [p for p in store_dir.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    return sorted(found, key=_mtime, reverse=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def ntriples_path(store_dir: Path) -> Path:
    """The sorted N-Triples file of a store (what ``push`` and bulk loaders read)."""
    return Path(store_dir) / NTRIPLES


def has_store(store_dir: Path) -> bool:
    """Whether ``store_dir`` holds a complete store (its manifest is written last)."""
    return (Path(store_dir) / MANIFEST).is_file()


# --- the writer lock ---------------------------------------------------------------------


_HELD: dict[Path, int] = {}  # store → how many nested lock_store of this process hold it
_FDS: dict[Path, int] = {}  # store → the descriptor holding its flock


def forget_locks() -> None:
    """In a forked worker: close the inherited lock descriptors.

    A ``flock`` lasts while any descriptor of it is open; a worker left behind by a killed
    parent must not keep the store locked.
    """
    for fd in _FDS.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _FDS.clear()
    _HELD.clear()


@contextlib.contextmanager
def lock_store(store_dir: Path, *, wait: float = 0.0) -> Iterator[Path]:
    """Hold the writer lock of ``store_dir`` (re-entrant within a process); recover first.

    Args:
        store_dir: the store.
        wait: seconds to wait for another writer (0: fail at once).

    Yields:
        The store's absolute path.

    Raises:
        StoreError: another process is writing the store, or the lock cannot be taken.
    """
    path = store_path(store_dir)
    if path in _HELD:
        _HELD[path] += 1
        try:
            yield path
        finally:
            _HELD[path] -= 1
        return
    fd = _acquire(path, wait)
    _HELD[path] = 1
    _FDS[path] = fd
    try:
        recover(path, locked=True)
        yield path
    finally:
        _HELD.pop(path, None)
        _FDS.pop(path, None)
        os.close(fd)  # closing the file releases the flock


def _acquire(path: Path, wait: float) -> int:
    import fcntl

    lock = _sibling(path, "lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as e:
        raise StoreError(Errors.S007.format(path=path, lock=lock.name, reason=e.strerror)) from e
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                os.close(fd)
                raise StoreError(Errors.S008.format(path=path, holder=holder)) from None
            time.sleep(0.05)
        except OSError as e:
            os.close(fd)
            raise StoreError(Errors.S007_FLOCK.format(path=path, reason=e.strerror)) from e
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def _try_lock(path: Path) -> int | None:
    """The writer lock's descriptor if no writer holds it now; None if one does (or no lock)."""
    import fcntl

    try:
        fd = os.open(_sibling(path, "lock"), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


# --- recovery ----------------------------------------------------------------------------


def recover(store_dir: Path, *, locked: bool = False) -> list[str]:
    """Finish or undo a swap a killed process left half done; remove stale temporary folders.

    Without ``locked`` the writer lock is tried first, and nothing is touched while another
    process holds it.  Each action is logged as a warning (stderr in the CLI) and returned.
    """
    path = store_path(store_dir)
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix)]
    except OSError:
        return []
    if not any(n[len(prefix):].startswith(("new-", "old-", "nt-")) for n in names):
        return []  # the common case: one listing of the parent, nothing to repair
    news, olds = _siblings(path, "new"), _siblings(path, "old")
    fd = None
    if not locked and path not in _HELD:
        fd = _try_lock(path)
        if fd is None:
            return []  # a writer is at work: its folders are not stale
        news, olds = _siblings(path, "new"), _siblings(path, "old")
    try:
        for stale in _siblings(path, "nt"):  # a build's N-Triples before they moved in
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        return _recover(path, news, olds)
    finally:
        if fd is not None:
            os.close(fd)


def _recover(path: Path, news: list[Path], olds: list[Path]) -> list[str]:
    done: list[str] = []
    if not path.exists():
        complete = [n for n in news if has_store(n)]
        if complete:
            os.replace(complete[0], path)
            news.remove(complete[0])
            done.append(f"{path}: finished an interrupted store swap (the new build is in place)")
        elif olds:
            os.replace(olds[0], path)
            olds.remove(olds[0])
            done.append(f"{path}: restored the previous store after an interrupted swap")
        fsync_dir(path.parent)
    for stale in (*news, *olds):
        shutil.rmtree(stale, ignore_errors=True)
        done.append(f"{path}: removed the stale temporary folder {stale.name}")
    for message in done:
        logger.warning("%s", message)
    return done


def check_store(store_dir: Path) -> Path:
    """The store a reader may use: recovered if a swap was interrupted; its absolute path.

    A store being swapped in by a live writer is waited for (a few milliseconds).

    Raises:
        StoreError: no store there.
    """
    path = store_path(store_dir)
    recover(path)
    if has_store(path):
        return path
    deadline = time.monotonic() + _SWAP_WAIT_S
    while _siblings(path, "old") and time.monotonic() < deadline:
        time.sleep(0.05)  # a writer is between the two renames of its swap
        recover(path)
        if has_store(path):
            return path
    if path.exists() and not path.is_dir():
        raise StoreError(Errors.S009.format(path=path))
    if (path / OXIGRAPH).exists() or (path / RECORDS).exists():
        raise StoreError(Errors.S010_DAMAGED.format(path=path, manifest=MANIFEST))
    if path.is_dir() and any(path.iterdir()):
        raise StoreError(Errors.S011.format(path=path, manifest=MANIFEST))
    raise StoreError(Errors.S010.format(path=path))


# --- reading -----------------------------------------------------------------------------


def read_manifest(store_dir: Path) -> dict[str, Any]:
    """The store's manifest.

    Raises:
        StoreError: no store, a damaged manifest or a store of another format.
    """
    path = Path(store_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise StoreError(Errors.S010.format(path=store_dir)) from e
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise StoreError(Errors.S012.format(path=path, reason=e)) from e
    if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT:
        raise StoreError(Errors.S013.format(path=path, format=STORE_FORMAT))
    return manifest


def read_tree(store_dir: Path) -> Any:
    """The "1+N" tree of a store as JSON data.

    Raises:
        StoreError: the tree is missing or damaged.
    """
    path = Path(store_dir) / TREE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise StoreError(Errors.S003.format(path=path, reason=e)) from e


def cache_path(store_dir: Path, key: str) -> Path:
    """The file of one per-file cache entry."""
    return Path(store_dir) / CACHE / f"{key}.jsonl"


def cache_get(store_dir: Path, key: str) -> bytes | None:
    """One per-file cache entry of the store (its UTF-8 text, not decoded: most of it is
    copied into the records as it is); None if absent or unreadable."""
    path = cache_path(store_dir, key)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        logger.warning("%s: damaged cache entry, reading the input again (%s)", path, e)
        return None


def batch_lines(store_dir: Path, key: str) -> list[str] | None:
    """One document's cached N-Triples lines; None if absent or unreadable."""
    path = Path(store_dir) / CACHE / f"{key}.nt"
    try:
        return path.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return None


def read_json(store_dir: Path, name: str) -> Any | None:
    """A JSON file of the store (``GRAPH_STATE``, ``VALIDATION``); None if absent or damaged."""
    path = Path(store_dir) / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        logger.warning("%s: unreadable, the next change rebuilds it (%s)", path, e)
        return None


@dataclass(frozen=True, slots=True)
class OpenStore:
    """An opened store: the pyoxigraph ``Store`` (read-only), the manifest and the records."""

    path: Path
    store: Any  # pyoxigraph.Store
    manifest: dict[str, Any] = field(default_factory=dict)

    def graph(self) -> rdflib.Graph:
        """The RDF graph through rdflib's API, backed by the on-disk Oxigraph store (oxrdflib).

        Oxigraph gives plain literals back as ``xsd:string``-typed (the same term in RDF 1.1);
        use ``memory_graph`` where rdflib's term equality matters.
        """
        import rdflib
        from oxrdflib import OxigraphStore
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        g = rdflib.Graph(store=OxigraphStore(store=self.store), identifier=DATASET_DEFAULT_GRAPH_ID)
        for prefix, ns in _prefixes().items():
            g.bind(prefix, ns, override=True)
        return g

    def memory_graph(self) -> rdflib.Graph:
        """The graph read from ``graph.nt`` into rdflib's in-memory store (exact terms)."""
        import rdflib

        g = rdflib.Graph()
        for prefix, ns in _prefixes().items():
            g.bind(prefix, ns, override=True)
        try:
            g.parse(self.ntriples_path, format="nt")
        except (OSError, ValueError) as e:
            raise StoreError(Errors.G001.format(path=self.ntriples_path, reason=e)) from e
        return g

    def corpus(self) -> Corpus:
        """The full ``Corpus`` of the store."""
        return read_corpus(self.path)

    def records(self, kind: str) -> list[dict[str, Any]]:
        """One ``records/<kind>.jsonl`` file as dicts."""
        return read_records(self.path, kind)

    @property
    def ntriples_path(self) -> Path:
        """The sorted N-Triples file of the graph."""
        return ntriples_path(self.path)

    @property
    def oxigraph_path(self) -> Path:
        """The pyoxigraph (RocksDB) folder of the graph."""
        return self.path / OXIGRAPH

    def __len__(self) -> int:
        return len(self.store)


def _prefixes() -> dict[str, str]:
    from policykg.ontology import PREFIXES

    return dict(PREFIXES)


def open_store(store_dir: Path) -> OpenStore:
    """Open a store directory: the Oxigraph store read-only, the manifest, the records.

    Raises:
        StoreError: no store there, or the store is damaged (any failure to open it).
    """
    import pyoxigraph

    path = check_store(store_dir)
    manifest = read_manifest(path)
    ox_dir = path / OXIGRAPH
    if not ox_dir.is_dir():
        raise StoreError(Errors.S014.format(path=ox_dir))
    try:
        store = pyoxigraph.Store.read_only(str(ox_dir))
    except (OSError, RuntimeError, ValueError) as e:
        # RocksDB reports a garbage CURRENT or a corrupt .sst as a RuntimeError
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise StoreError(Errors.S004.format(path=ox_dir, reason=first)) from e
    return OpenStore(path=path, store=store, manifest=manifest)


def oxigraph_location(store_dir: Path) -> Path:
    """The Oxigraph folder of a store, for a server to open (checked by opening it).

    Raises:
        StoreError: no store, or its Oxigraph folder is missing or damaged.
    """
    opened = open_store(store_dir)  # a damaged store fails here, before a server starts
    ox_dir = opened.oxigraph_path
    del opened
    return ox_dir


# --- writing -----------------------------------------------------------------------------


def load_oxigraph(nt_path: Path, oxigraph_dir: Path, *, checked: bool = False) -> int:
    """Create a pyoxigraph on-disk store in ``oxigraph_dir`` from N-Triples; return its size.

    ``checked``: the file was parsed strictly before (the build's validator refuses a bad IRI
    or language tag), so the load skips those checks (lenient parsing: the same quads).
    """
    import pyoxigraph

    store = pyoxigraph.Store(str(oxigraph_dir))
    store.bulk_load(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=checked)
    store.optimize()
    store.flush()
    size = len(store)
    del store
    return size


def _check_target(store_dir: Path) -> None:
    if store_dir.exists() and not store_dir.is_dir():
        raise StoreError(Errors.S002.format(path=store_dir))
    if store_dir.is_dir() and not has_store(store_dir) and any(store_dir.iterdir()):
        raise StoreError(Errors.S015.format(path=store_dir))


def check_target(store_dir: Path) -> Path:
    """Refuse, before any work, a target that is a file or a folder holding something else.

    Returns:
        The store's absolute path.

    Raises:
        StoreError: the target cannot become a store.
    """
    path = store_path(store_dir)
    _check_target(path)
    return path


def _swap(new: Path, store_dir: Path) -> None:
    """Put the complete folder ``new`` in place of ``store_dir``: old aside, new in, old removed.

    A kill anywhere in here leaves either ``store_dir``, or ``new`` complete and the old store
    aside: ``recover`` finishes the swap.  An exception puts the previous store back.
    """
    old = _sibling(store_dir, f"old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old)
    fsync_dir(new)
    if store_dir.exists():
        os.replace(store_dir, old)
        _step("old-aside")
    try:
        os.replace(new, store_dir)
        fsync_dir(store_dir.parent)
        _step("new-in")
    except BaseException:
        # an error or a Ctrl-C between the two renames: put the previous store back
        if old.exists() and not store_dir.exists():
            os.replace(old, store_dir)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    _step("old-removed")


def write_store(
    store_dir: Path,
    corpus: Corpus,
    graph: rdflib.Graph | Path | None = None,
    sector_tags: Iterable[SectorTag] = (),
    tree_json: Any = None,
    summary: Any = None,
    *,
    inputs: Sequence[str] = (),
    ntriples: str | None = None,
    files: Sequence[Mapping[str, Any]] = (),
    cache: Mapping[str, str | Sequence[str] | None] = {},
    extra: Mapping[str, Any] = {},
    batches: Mapping[str, str | Path | None] = {},
    delta: Any = None,
    state: Mapping[str, Any] = {},
    checked: bool = False,
) -> Path:
    """Write records, graph and Oxigraph store into ``store_dir``, swapped in atomically.

    Holds the store's writer lock throughout (re-entrant: a caller may hold it already).

    Args:
        store_dir: the store directory (created, or replaced if it holds a store).
        corpus: the records.
        graph: the RDF graph of the records: an ``rdflib.Graph``, or a sorted N-Triples file
            (``graph.triples.write_sorted``), moved into the store (or give ``ntriples``).
        sector_tags: sector tags to store (default ``corpus.sectors``).
        tree_json: the "1+N" tree as JSON-ready data, written to ``tree.json``.
        summary: extra JSON-ready build summary for the manifest.
        inputs: the input paths, recorded (by name) in the manifest.
        ntriples: the graph as sorted N-Triples text, instead of ``graph``.
        files: one JSON-ready entry per input file (name, hash, cache key) for the manifest.
        cache: per-file cache entries to keep: key → the entry's text (or its lines), or None
            to keep the current store's entry of that key.
        extra: further manifest fields.
        batches: per-document N-Triples cache entries: key → the lines as text, a file
            moved in, or None to keep the current store's entry of that key.
        delta: a ``graph.incremental.Delta``: the Oxigraph store is then the current one
            with the delta applied (``graph`` must be the merged N-Triples file).
        state: further JSON files of the store by name (``GRAPH_STATE``, ``VALIDATION``).
        checked: the N-Triples file was parsed strictly already (``load_oxigraph``).

    Returns:
        ``store_dir``.

    Raises:
        StoreError: the directory cannot be written, is something other than a store, or
            another process is writing it.
    """
    with lock_store(store_dir) as path:
        _check_target(path)
        triples = _write_new(path, corpus, graph, sector_tags, tree_json, summary, inputs,
                             ntriples, files, cache, extra, batches, delta, state,
                             checked=checked)
    logger.info("wrote store %s: %d triples", path, triples)
    return Path(store_dir)


def _write_new(
    path: Path, corpus: Corpus, graph: rdflib.Graph | Path | None,
    sector_tags: Iterable[SectorTag],
    tree_json: Any, summary: Any, inputs: Sequence[str], ntriples: str | None,
    files: Sequence[Mapping[str, Any]], cache: Mapping[str, str | Sequence[str] | None],
    extra: Mapping[str, Any],
    batches: Mapping[str, str | Path | None] = {}, delta: Any = None,
    state: Mapping[str, Any] = {}, *, checked: bool = False,
) -> int:
    """Build the new folder and swap it in; return the number of triples."""
    new = _sibling(path, f"new-{os.getpid()}")
    try:
        if new.exists():
            shutil.rmtree(new)
        new.mkdir(parents=True)
        if isinstance(graph, Path):
            shutil.move(graph, new / NTRIPLES)  # a rename when it sits beside the store
        else:
            if ntriples is None:
                from policykg.graph.export import sorted_ntriples

                if graph is None:
                    raise ValueError("write_store needs a graph or its N-Triples")
                ntriples = sorted_ntriples(graph)
            _plain(new / NTRIPLES, ntriples)
        _step("ntriples")
        # Oxigraph is loaded beside the writing of the records (its bulk load runs without
        # the GIL): the build's second core, and its wall time; a big graph is loaded first,
        # alone, so that the two peaks of memory do not add up
        beside = (new / NTRIPLES).stat().st_size <= LOAD_BESIDE_MAX
        loading = _Background(_load_graph, path, new, delta,
                              checked and isinstance(graph, Path), thread=beside)
        try:
            counts = write_records(new, corpus, sector_tags,
                                   previous=path if has_store(path) else None)
            _step("records")
            if tree_json is not None:
                _plain(new / TREE, json.dumps(tree_json, ensure_ascii=False, indent=1) + "\n")
            for name, data in sorted(state.items()):
                _plain(new / name, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            _step("tree")
            _write_cache(path, new, cache, batches)
            _step("cache")
        except BaseException:
            loading.join()  # before the folder it writes into is removed
            raise
        triples = loading.result()
        _step("oxigraph")
        manifest = {
            "format": STORE_FORMAT,
            "version": __version__,
            "inputs": [Path(p).name for p in inputs],
            "counts": {**counts, "triples": triples},
            "summary": summary if summary is not None else [_summary_json(b)
                                                             for b in corpus.summary],
            **({"files": list(files)} if files else {}),
            **extra,
        }
        # the manifest last, flushed to disk: a folder with a manifest is a complete store
        write_text(new / MANIFEST,
                   json.dumps(manifest, ensure_ascii=False, indent=1, default=str) + "\n")
        _step("manifest")
        _swap(new, path)
    except OSError as e:
        shutil.rmtree(new, ignore_errors=True)
        raise StoreError(Errors.S016.format(path=path, reason=e.strerror or e)) from e
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return triples


#: The largest N-Triples file (bytes) loaded into Oxigraph beside the records' writing: the
#: x10 synthetic corpus (100 MB) is; x100 (a gigabyte) is loaded alone, its peak of memory
#: (2.7 GB) not added to the records'.
LOAD_BESIDE_MAX: Final = 1 << 28


def _load_graph(current: Path, new: Path, delta: Any, checked: bool) -> int:
    """The new folder's Oxigraph store, from its N-Triples or as the current one changed by
    ``delta``; return its number of triples."""
    if delta is not None:
        from policykg.graph.incremental import apply_to_oxigraph

        apply_to_oxigraph(current / OXIGRAPH, new / OXIGRAPH, delta)
        return int(delta.total) if delta.total >= 0 else (
            new / NTRIPLES).read_bytes().count(b"\n")
    return load_oxigraph(new / NTRIPLES, new / OXIGRAPH, checked=checked)


class _Background(threading.Thread):
    """``fn(*args)`` in a thread of its own (or, without ``thread``, here and now);
    ``result()`` waits for it and gives its value, or raises what it raised (a
    KeyboardInterrupt from a test's stand-in included)."""

    def __init__(self, fn: Callable[..., int], *args: Any, thread: bool = True) -> None:
        super().__init__(daemon=True)
        self._call = (fn, args)
        self._value = 0
        self._error: BaseException | None = None
        if thread:
            self.start()
        else:
            self._value = fn(*args)  # an error stops the write at once

    def join(self, timeout: float | None = None) -> None:
        if self.ident is not None:  # started: a load run here has nothing to wait for
            super().join(timeout)

    def run(self) -> None:
        fn, args = self._call
        try:
            self._value = fn(*args)
        except BaseException as e:  # handed to the thread that waits
            self._error = e

    def result(self) -> int:
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


def _summary_json(summary: BuildSummary) -> dict[str, Any]:
    """A file's line account for the manifest (``asdict``'s JSON, without its deep copies:
    a tenth of the time, for every file of the store at every change)."""
    return {f.name: getattr(summary, f.name) for f in fields(summary)}


def _plain(path: Path, text: str) -> None:
    # inside the new folder a plain write is enough: nothing reads the folder before the
    # manifest (written through fsio, flushed) marks it complete
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _plain_lines(path: Path, lines: Iterable[str]) -> None:
    """``_plain`` of the lines, each ended by a newline, without joining them first."""
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line)
            f.write("\n")


def _write_cache(current: Path, new: Path, cache: Mapping[str, str | Sequence[str] | None],
                 batches: Mapping[str, str | Path | None] = {}) -> None:
    """Write the new cache entries (per file, per document's triples); link the kept ones
    from the current store."""
    if not cache and not batches:
        return
    folder = new / CACHE
    folder.mkdir()
    entries: list[tuple[str, str | Sequence[str] | Path | None]] = [
        (cache_path(new, key).name, data) for key, data in cache.items()]
    entries += [(f"{key}.nt", text) for key, text in batches.items()]
    for name, text in sorted(entries, key=lambda e: e[0]):
        target = folder / name
        if isinstance(text, Path):
            os.replace(text, target)
        elif text is None:
            source = current / CACHE / name
            try:
                os.link(source, target)  # entries never change once written: share them
            except OSError:
                shutil.copyfile(source, target)
        elif isinstance(text, str):
            _plain(target, text)
        else:
            _plain_lines(target, text)


def records_dir(store_dir: Path) -> Path:
    """The records folder of a store (its files are ``policykg.recordio``'s)."""
    return Path(store_dir) / RECORDS
