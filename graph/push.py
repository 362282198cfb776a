"""Load the graph into an external SPARQL 1.1 server (for corpora that outgrow one machine).

``push`` sends N-Triples in batches with the Graph Store HTTP Protocol (``POST`` to
``<server>/store?graph=IRI`` or ``?default``, Oxigraph's layout), and falls back to SPARQL
1.1 Update (``INSERT DATA`` to ``<server>/update``) when the server refuses the Graph Store
Protocol.  Only the standard library's ``urllib`` speaks HTTP here.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from policykg.errors import StoreError

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "endpoint_urls",
    "ntriples_lines",
    "push",
]

logger = logging.getLogger(__name__)

#: Triples per request: 1 to 2 MB of N-Triples for this corpus, well under server body limits.
DEFAULT_BATCH_SIZE: Final = 10_000

# Statuses by which a server says it does not offer the Graph Store Protocol at that URL
# (or not for writing); anything else (401, 5xx, …) is an error, not a reason to fall back.
_GSP_REFUSED: Final = frozenset({400, 403, 404, 405, 406, 415, 501})
_NT: Final = "application/n-triples"
_UPDATE: Final = "application/sparql-update"


def endpoint_urls(endpoint_url: str) -> tuple[str, str]:
    """Return ``(graph_store_url, update_url)`` of a server given its base or query URL.

    >>> endpoint_urls("http://127.0.0.1:7878/query")
    ('http://127.0.0.1:7878/store', 'http://127.0.0.1:7878/update')
    """
    base = endpoint_url.rstrip("/")
    for suffix in ("/query", "/sparql", "/update", "/store"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return f"{base}/store", f"{base}/update"


def ntriples_lines(source: rdflib.Graph | Path | str | bytes) -> list[str]:
    """Return the triples of ``source`` as N-Triples lines (no blank lines or comments).

    ``source`` is an ``rdflib.Graph``, the path of an N-Triples file (``graph.nt`` of a
    store), or N-Triples text.

    Raises:
        StoreError: the file cannot be read.
    """
    if isinstance(source, Path):
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as e:
            raise StoreError(f"{source}: cannot read the graph ({e.strerror or e})") from e
    elif isinstance(source, bytes):
        text = source.decode("utf-8")
    elif isinstance(source, str):
        text = source
    else:
        text = source.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def push(
    graph_or_ntriples: rdflib.Graph | Path | str | bytes,
    endpoint_url: str,
    graph_iri: str | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    store_url: str | None = None,
    update_url: str | None = None,
    timeout: float = 120.0,
) -> int:
    """Add the triples to a SPARQL 1.1 server; return how many were sent.

    Args:
        graph_or_ntriples: an ``rdflib.Graph``, an N-Triples file, or N-Triples text.
        endpoint_url: the server's base URL (or its ``/query`` URL).
        graph_iri: the named graph to add to (default: the default graph).
        batch_size: triples per request.  A graph with blank nodes goes in one request,
            since a blank node label means a new node in every request.
        store_url: the Graph Store Protocol URL (default ``<base>/store``).
        update_url: the SPARQL Update URL (default ``<base>/update``).
        timeout: seconds to wait for each answer.

    Raises:
        StoreError: the server cannot be reached, or refuses both protocols, or fails.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    lines = ntriples_lines(graph_or_ntriples)
    default_store, default_update = endpoint_urls(endpoint_url)
    gsp = store_url or default_store
    update = update_url or default_update
    if any(_has_blank_node(line) for line in lines):
        logger.info("the graph has blank nodes: sending it in one request")
        batch_size = max(len(lines), 1)
    target = (
        f"{gsp}?{urllib.parse.urlencode({'graph': graph_iri})}" if graph_iri else f"{gsp}?default"
    )
    use_gsp = True
    for n, batch in enumerate(_batches(lines, batch_size), start=1):
        if use_gsp:
            refused = _send(target, "\n".join(batch) + "\n", _NT, timeout, may_refuse=True)
            if refused is None:
                logger.debug("batch %d: %d triples to %s", n, len(batch), target)
                continue
            logger.warning(
                "%s refused the Graph Store Protocol (%s): falling back to SPARQL Update at %s",
                gsp,
                refused,
                update,
            )
            use_gsp = False
        _send(update, _insert_data(batch, graph_iri), _UPDATE, timeout, may_refuse=False)
        logger.debug("batch %d: %d triples to %s", n, len(batch), update)
    logger.info("pushed %d triples to %s", len(lines), endpoint_url)
    return len(lines)


def _has_blank_node(line: str) -> bool:
    return line.startswith("_:") or " _:" in line


def _batches(lines: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(lines), size):
        yield lines[start : start + size]


def _insert_data(batch: Sequence[str], graph_iri: str | None) -> str:
    body = "\n".join(batch)
    if graph_iri is None:
        return f"INSERT DATA {{\n{body}\n}}"
    if any(c in graph_iri for c in '<>"{}|^`\\ '):
        raise StoreError(f"not a valid graph IRI: {graph_iri!r}")
    return f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}\n}} }}"


def _send(
    url: str, body: str, content_type: str, timeout: float, *, may_refuse: bool
) -> str | None:
    """POST ``body``; None on success, the status line if refused and ``may_refuse``."""
    request = urllib.request.Request(
        url,
        data=body.encode("utf-8"),
        method="POST",
        headers={"Content-Type": f"{content_type}; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
        return None
    except urllib.error.HTTPError as e:
        with e:
            detail = e.read(300).decode("utf-8", "replace").strip().splitlines()
        status = f"HTTP {e.code} {e.reason}"
        if may_refuse and e.code in _GSP_REFUSED:
            return status
        said = f": {detail[0]}" if detail else ""
        raise StoreError(f"{url} answered {status}{said}") from e
    except urllib.error.URLError as e:
        reason = getattr(e.reason, "strerror", None) or e.reason
        raise StoreError(f"cannot reach {url}: {reason}") from e
    except TimeoutError as e:
        raise StoreError(f"{url} did not answer within {timeout:.0f} s") from e
    except OSError as e:
        raise StoreError(f"cannot reach {url}: {e.strerror or e}") from e
