"""Load the graph into an external SPARQL 1.1 server (for corpora that outgrow one machine).

``push`` sends N-Triples in batches with the Graph Store HTTP Protocol (``POST`` to
``<server>/store?graph=IRI`` or ``?default``, Oxigraph's layout), and falls back to SPARQL
1.1 Update (``INSERT DATA`` to ``<server>/update``) when the server refuses the Graph Store
Protocol.  Only the standard library's ``http.client`` speaks HTTP here; each request runs in a
thread the caller waits for, so a server that drips its answer is cut off at ``timeout``,
and the whole push stops at ``deadline``.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from policykg.errors import Errors, StoreError

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_DEADLINE_S",
    "DEFAULT_TIMEOUT_S",
    "endpoint_urls",
    "ntriples_lines",
    "push",
]

logger = logging.getLogger(__name__)

#: Seconds one request may take, connecting to last byte.
DEFAULT_TIMEOUT_S: Final = 120.0
#: Seconds a whole push may take.
DEFAULT_DEADLINE_S: Final = 3600.0
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
            raise StoreError(Errors.G001.format(path=source, reason=e.strerror or e)) from e
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
    timeout: float = DEFAULT_TIMEOUT_S,
    deadline: float | None = DEFAULT_DEADLINE_S,
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
        timeout: seconds one request may take, from connecting to the last byte of the
            answer (a server that drips its answer is cut off too).
        deadline: seconds the whole push may take (None: no bound).

    Raises:
        StoreError: the server cannot be reached, refuses both protocols, fails, or is too
            slow for ``timeout`` or ``deadline``.
    """
    clock = _Clock(timeout, deadline)
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
            refused = _send(target, "\n".join(batch) + "\n", _NT, clock, may_refuse=True)
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
        _send(update, _insert_data(batch, graph_iri), _UPDATE, clock, may_refuse=False)
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
        raise StoreError(Errors.W001.format(iri=graph_iri))
    return f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}\n}} }}"


class _Clock:
    """The time one request may still take: its own timeout, cut by the push's deadline."""

    def __init__(self, timeout: float, deadline: float | None) -> None:
        if timeout <= 0 or (deadline is not None and deadline <= 0):
            raise ValueError("timeout and deadline must be positive")
        self.timeout = timeout
        self.deadline = deadline
        self._end = None if deadline is None else time.monotonic() + deadline

    def budget(self, url: str) -> tuple[float, str]:
        """Seconds for the next request, and what ran out if it is not answered in them."""
        if self._end is None:
            return self.timeout, Errors.W003.format(url=url, timeout=self.timeout)
        left = self._end - time.monotonic()
        if left <= 0:
            raise StoreError(Errors.W002.format(url=url, deadline=self.deadline))
        if left < self.timeout:
            return left, Errors.W002_RAN_OUT.format(url=url, deadline=self.deadline)
        return self.timeout, Errors.W003.format(url=url, timeout=self.timeout)


def _send(
    url: str, body: str, content_type: str, clock: _Clock, *, may_refuse: bool
) -> str | None:
    """POST ``body``; None on success, the status line if refused and ``may_refuse``."""
    seconds, why = clock.budget(url)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(Errors.W004.format(url=url))
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname, parts.port, timeout=seconds)
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    outcome: list[tuple[int, str, bytes] | BaseException] = []

    def exchange() -> None:
        try:
            conn.request("POST", path, body=body.encode("utf-8"),
                         headers={"Content-Type": f"{content_type}; charset=utf-8"})
            answer = conn.getresponse()
            outcome.append((answer.status, answer.reason, answer.read()))
        except BaseException as e:  # handed to the caller's thread
            outcome.append(e)

    worker = threading.Thread(target=exchange, name="policykg-push", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():  # cut the connection: the worker's read fails and it ends
        with contextlib.suppress(OSError):
            if conn.sock is not None:
                conn.sock.shutdown(socket.SHUT_RDWR)
        conn.close()
        worker.join(5)
        raise StoreError(why)
    conn.close()
    result = outcome[0]
    if isinstance(result, TimeoutError):
        raise StoreError(why) from result
    if isinstance(result, OSError):
        raise StoreError(Errors.W005.format(url=url, reason=result.strerror or result)) from result
    if isinstance(result, http.client.HTTPException):
        raise StoreError(Errors.W006.format(url=url, kind=type(result).__name__)) from result
    if isinstance(result, BaseException):
        raise result
    status, reason, data = result
    if 200 <= status < 300:
        return None
    line = f"HTTP {status} {reason}"
    if may_refuse and status in _GSP_REFUSED:
        return line
    detail = data[:300].decode("utf-8", "replace").strip().splitlines()
    said = f": {detail[0]}" if detail else ""
    raise StoreError(Errors.W007.format(url=url, status=status, reason=reason, said=said))
