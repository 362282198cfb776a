"""The store directory: records, sorted N-Triples and a pyoxigraph on-disk store, swapped in whole.

Layout (ARCHITECTURE.md)::

    manifest.json   records/*.jsonl + records/corpus.json   oxigraph/   graph.nt   tree.json

``write_store`` builds everything into a new sibling directory, then renames it into place
(the old store is renamed aside first and removed after), so an interrupted build never
leaves a half-written current store.  ``open_store`` opens the pyoxigraph store read-only
and gives rdflib's API over it (through oxrdflib) plus the records.
Must not import ``loaders`` or ``viz``; pyoxigraph and oxrdflib are imported inside functions.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

import rdflib

from policykg import __version__
from policykg.errors import StoreError
from policykg.graph.export import sorted_ntriples
from policykg.recordio import read_corpus, read_records, write_records
from policykg.records import Corpus, SectorTag

__all__ = [
    "MANIFEST",
    "STORE_FORMAT",
    "OpenStore",
    "load_oxigraph",
    "open_store",
    "write_store",
]

logger = logging.getLogger(__name__)

#: Bumped when the store layout changes incompatibly.
STORE_FORMAT: Final = 1
MANIFEST: Final = "manifest.json"
_NT: Final = "graph.nt"
_OXIGRAPH: Final = "oxigraph"
_TREE: Final = "tree.json"


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
        from oxrdflib import OxigraphStore
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        g = rdflib.Graph(store=OxigraphStore(store=self.store), identifier=DATASET_DEFAULT_GRAPH_ID)
        for prefix, ns in _prefixes().items():
            g.bind(prefix, ns, override=True)
        return g

    def memory_graph(self) -> rdflib.Graph:
        """The graph read from ``graph.nt`` into rdflib's in-memory store (exact terms)."""
        g = rdflib.Graph()
        for prefix, ns in _prefixes().items():
            g.bind(prefix, ns, override=True)
        try:
            g.parse(self.ntriples_path, format="nt")
        except (OSError, ValueError) as e:
            raise StoreError(f"{self.ntriples_path}: cannot read the graph ({e})") from e
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
        return self.path / _NT

    def __len__(self) -> int:
        return len(self.store)


def _prefixes() -> dict[str, str]:
    from policykg.ontology import PREFIXES

    return dict(PREFIXES)


def load_oxigraph(nt_path: Path, oxigraph_dir: Path) -> int:
    """Create a pyoxigraph on-disk store in ``oxigraph_dir`` from N-Triples; return its size."""
    import pyoxigraph

    store = pyoxigraph.Store(str(oxigraph_dir))
    store.bulk_load(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.optimize()
    store.flush()
    size = len(store)
    del store
    return size


def _is_store(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def _check_target(store_dir: Path) -> None:
    if store_dir.exists() and not store_dir.is_dir():
        raise StoreError(f"{store_dir}: exists and is not a directory")
    if store_dir.is_dir() and any(store_dir.iterdir()) and not _is_store(store_dir):
        raise StoreError(
            f"{store_dir}: not empty and not a policykg store; refusing to replace it"
        )


def _swap(new: Path, store_dir: Path) -> None:
    """Put ``new`` in place of ``store_dir``: old aside, new in, old removed."""
    old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old)
    if store_dir.exists():
        os.replace(store_dir, old)
    try:
        os.replace(new, store_dir)
    except BaseException:
        # an error or a Ctrl-C between the two renames: put the previous store back
        if old.exists() and not store_dir.exists():
            os.replace(old, store_dir)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def write_store(
    store_dir: Path,
    corpus: Corpus,
    graph: rdflib.Graph | Path,
    sector_tags: Iterable[SectorTag] = (),
    tree_json: Any = None,
    summary: Any = None,
    *,
    inputs: Sequence[str] = (),
) -> Path:
    """Write records, graph and Oxigraph store into ``store_dir``, swapped in atomically.

    Args:
        store_dir: the store directory (created, or replaced if it holds a store).
        corpus: the records.
        graph: the RDF graph of the records: an ``rdflib.Graph``, or a sorted N-Triples file
            (``graph.triples.write_sorted``), moved into the store.
        sector_tags: sector tags to store (default ``corpus.sectors``).
        tree_json: the "1+N" tree as JSON-ready data, written to ``tree.json``.
        summary: extra JSON-ready build summary for the manifest.
        inputs: the input paths, recorded in the manifest.

    Returns:
        ``store_dir``.

    Raises:
        StoreError: the directory cannot be written, or is something other than a store.
    """
    store_dir = Path(store_dir)
    _check_target(store_dir)
    new = store_dir.with_name(f".{store_dir.name}.new-{os.getpid()}")
    try:
        if new.exists():
            shutil.rmtree(new)
        new.mkdir(parents=True)
        counts = write_records(new, corpus, sector_tags)
        nt = new / _NT
        if isinstance(graph, Path):
            shutil.move(graph, nt)  # a rename when it sits beside the store, as the build's does
        else:
            nt.write_text(sorted_ntriples(graph), encoding="utf-8", newline="\n")
        triples = load_oxigraph(nt, new / _OXIGRAPH)
        if tree_json is not None:
            (new / _TREE).write_text(
                json.dumps(tree_json, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        manifest = {
            "format": STORE_FORMAT,
            "version": __version__,
            "inputs": [Path(p).name for p in inputs],
            "counts": {**counts, "triples": triples},
            "summary": summary if summary is not None else [asdict(b) for b in corpus.summary],
        }
        (new / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, default=str) + "\n",
            encoding="utf-8",
        )
        _swap(new, store_dir)
    except OSError as e:
        shutil.rmtree(new, ignore_errors=True)
        raise StoreError(f"{store_dir}: cannot write the store ({e})") from e
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    logger.info("wrote store %s: %d triples", store_dir, triples)
    return store_dir


def open_store(store_dir: Path) -> OpenStore:
    """Open a store directory: the Oxigraph store read-only, the manifest, the records.

    Raises:
        StoreError: no store there, or the store is damaged.
    """
    import pyoxigraph

    store_dir = Path(store_dir)
    manifest_path = store_dir / MANIFEST
    if not manifest_path.is_file():
        raise StoreError(f"{store_dir}: no policykg store here (run 'policykg build')")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise StoreError(f"{manifest_path}: damaged manifest ({e})") from e
    if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT:
        raise StoreError(
            f"{manifest_path}: not a store of format {STORE_FORMAT} (rebuild with 'policykg build')"
        )
    ox_dir = store_dir / _OXIGRAPH
    if not ox_dir.is_dir():
        raise StoreError(f"{ox_dir}: the Oxigraph store is missing (rebuild with 'policykg build')")
    try:
        store = pyoxigraph.Store.read_only(str(ox_dir))
    except OSError as e:
        raise StoreError(f"{ox_dir}: cannot open the Oxigraph store ({e})") from e
    return OpenStore(path=store_dir, store=store, manifest=manifest)
