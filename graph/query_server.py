"""The read-only SPARQL 1.1 Protocol endpoint: an HTTP front over a pool of query processes.

Each query runs in a worker process holding the store open read-only (pyoxigraph), so that
a query that overruns its time limit, or whose client has gone, is stopped by killing its
process: the CPU is freed at once, and a new worker takes its place.  Before a query reaches
a worker it passes ``query_guard.check_query`` (size, nesting, no ``SERVICE`` unless
allowed).  Answers are sent whole with a ``Content-Length``: a cut answer can never look
like a complete ``200``.

What the front accepts:

- ``GET``/``POST /query`` (query in ``query=`` or an ``application/sparql-query`` body),
  results as SPARQL JSON, XML, CSV or TSV, graphs as N-Triples, Turtle, RDF/XML or JSON-LD,
  by the ``Accept`` header; the project's prefixes are predeclared.
- ``GET /store?default`` or ``?graph=IRI`` (Graph Store Protocol reads).
- ``GET /``: a query page.  Every write (``/update``, ``PUT``/``POST``/``DELETE`` on
  ``/store``) is 403.
- Requests from another site (an ``Origin`` or ``Sec-Fetch-Site: cross-site`` that is not
  this server) are 403, and on a loopback address so is a ``Host`` that is not loopback
  (DNS rebinding): a web page the user visits cannot use the endpoint.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import select
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from policykg.errors import Errors, QueryError, StoreError
from policykg.graph.query_guard import MAX_DEPTH, MAX_LENGTH, check_query

__all__ = ["Limits", "QueryServer", "WorkerPool"]

logger = logging.getLogger(__name__)

_SELECT_TYPES: Final = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
_GRAPH_TYPES: Final = {
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "text/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}
_SPAWN_S: Final = 60.0
_DRAIN_LIMIT: Final = 64 * 1024 * 1024
_POLL_S: Final = 0.05


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """What one query may cost: wall-clock seconds, size, nesting, queue wait, federation."""

    timeout_s: float = 60.0
    max_concurrent: int = 2
    queue_wait_s: float = 10.0
    max_length: int = MAX_LENGTH
    max_depth: int = MAX_DEPTH
    allow_federation: bool = False

    @property
    def max_body(self) -> int:
        """Largest request body accepted, in bytes (UTF-8, %-encoded as a form at worst)."""
        return self.max_length * 4 + 1024


# ------------------------------------------------------------------ the worker process


def _pick(accept: str, offered: dict[str, str], default: str) -> str:
    """The media type of ``offered`` the ``Accept`` header prefers (``default`` for ``*/*``)."""
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                with contextlib.suppress(ValueError):
                    q = float(value)
        choices.append((-q, i, media.strip().lower()))
    for _, _, media in sorted(choices):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*", ""):
            return default
    return default


def _answer(store: Any, job: tuple[str, str, dict[str, str]]) -> tuple[int, str, bytes]:
    """Run one query on ``store``; return (HTTP status, content type, body)."""
    import pyoxigraph as ox

    text, accept, prefixes = job
    try:
        result = store.query(text, prefixes=prefixes)
    except SyntaxError as e:
        return 400, "text/plain; charset=utf-8", f"SPARQL syntax error: {e}\n".encode()
    except (OSError, ValueError, RuntimeError) as e:
        return 500, "text/plain; charset=utf-8", f"the query failed: {e}\n".encode()
    if isinstance(result, ox.QueryTriples):
        media = _pick(accept, _GRAPH_TYPES, "application/n-triples")
        body = result.serialize(format=getattr(ox.RdfFormat, _GRAPH_TYPES[media]))
    else:
        media = _pick(accept, _SELECT_TYPES, "application/sparql-results+json")
        body = result.serialize(format=getattr(ox.QueryResultsFormat, _SELECT_TYPES[media]))
    charset = "" if media.endswith("+xml") or media.endswith("/xml") else "; charset=utf-8"
    return 200, media + charset, body or b""


def _worker_main(conn: Connection, location: str) -> None:
    """Serve queries from ``conn`` over the store at ``location`` until the pipe closes."""
    import pyoxigraph as ox

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the front stops us; Ctrl-C is its business
    try:
        store = ox.Store.read_only(location)
    except (OSError, RuntimeError, ValueError) as e:  # RocksDB corruption is a RuntimeError
        conn.send((503, "text/plain; charset=utf-8",
                   f"damaged store, cannot open it ({e})\n".encode()))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(store, job))


class _Worker:
    """One query process and the pipe to it."""

    def __init__(self, ctx: Any, location: Path) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_worker_main, args=(child, str(location)), name="policykg-query", daemon=True
        )
        self.proc.start()
        child.close()

    def kill(self) -> None:
        """Stop the process now, whatever it is doing."""
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=10)
        self.conn.close()


class WorkerPool:
    """``size`` query processes over one read-only store; a stuck one is killed and replaced.

    Raises:
        StoreError: the store cannot be opened or queried (checked once per worker started).
    """

    def __init__(self, location: Path, size: int, prefixes: dict[str, str]) -> None:
        self._ctx = multiprocessing.get_context("spawn")  # the front has threads: no fork
        self._location = location
        self._prefixes = prefixes
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        try:
            for _ in range(max(1, size)):
                self._idle.put(self._spawn())
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self._location)
        with self._lock:
            self._all.add(worker)
        worker.conn.send(("ASK {}", "application/sparql-results+json", {}))
        if not worker.conn.poll(_SPAWN_S):
            self._retire(worker)
            raise StoreError(Errors.W014.format(path=self._location))
        try:
            status, _, body = worker.conn.recv()
        except (EOFError, OSError):
            status, body = 503, b"the query process died at start"
        if status != 200:
            self._retire(worker)
            first = body.decode("utf-8", "replace").strip().splitlines()
            raise StoreError(Errors.W015.format(path=self._location,
                                                reason=first[0] if first else "cannot open"))
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def run(
        self, text: str, accept: str, limits: Limits, client_gone: Callable[[], bool]
    ) -> tuple[int, str, bytes]:
        """Run one query within ``limits``; a busy pool, a timeout or a crash is an error reply."""
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=limits.queue_wait_s)
        except queue.Empty:
            return _plain(503, f"busy: {limits.max_concurrent} queries are running; try again")
        healthy = False
        try:
            worker.conn.send((text, accept, self._prefixes))
            deadline = started + limits.timeout_s
            while True:
                if worker.conn.poll(_POLL_S):
                    answer: tuple[int, str, bytes] = worker.conn.recv()
                    healthy = True
                    return answer
                if not worker.proc.is_alive():
                    return _plain(500, "the query engine crashed on this query")
                if time.monotonic() >= deadline:
                    logger.warning("query cancelled after %.0f s", limits.timeout_s)
                    return _plain(503, f"query cancelled: it ran longer than "
                                       f"{limits.timeout_s:g} s")
                if client_gone():
                    logger.info("client went away: query cancelled")
                    return _plain(499, "client closed the connection")
        except (EOFError, OSError, BrokenPipeError):
            return _plain(500, "the query engine crashed on this query")
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._retire(worker)
                try:
                    self._idle.put(self._spawn())
                except StoreError as e:
                    logger.error("%s", e)

    def pids(self) -> set[int]:
        """The process ids of the workers now alive."""
        with self._lock:
            return {w.proc.pid for w in self._all if w.proc.pid is not None}

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


def _plain(status: int, message: str) -> tuple[int, str, bytes]:
    return status, "text/plain; charset=utf-8", (message + "\n").encode()


# ------------------------------------------------------------------ the HTTP front


_LOOPBACK_NAMES: Final = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1]
    return value.rpartition(":")[0] if value.count(":") == 1 else value


class _Handler(BaseHTTPRequestHandler):
    server: QueryServer
    protocol_version = "HTTP/1.1"
    server_version = "policykg-sparql"
    sys_version = ""

    # http.server logs every request to stderr; ours go to the logger at debug level
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: int, content_type: str, body: bytes, *, head: bool = False) -> None:
        try:
            self.send_response(status, _REASONS.get(status))
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            if status == 503:
                self.send_header("Retry-After", "5")
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _refuse(self, status: int, message: str) -> None:
        self._send(*_plain(status, message))

    def _same_site(self) -> bool:
        """False for a request a page of another site (or a rebound DNS name) made."""
        host = self.headers.get("Host", "")
        if self.server.loopback and _host_name(host) not in _LOOPBACK_NAMES | {
            self.server.bound_host.lower()
        }:
            return False
        origin = self.headers.get("Origin")
        if origin is not None:
            parts = urllib.parse.urlsplit(origin)
            if origin == "null" or parts.netloc.lower() != host.lower():
                return False
        return self.headers.get("Sec-Fetch-Site", "same-origin") in (
            "same-origin", "none", "same-site")

    def _guarded(self) -> bool:
        if not self._same_site():
            self._refuse(403, "cross-site requests are refused")
            return False
        return True

    def do_GET(self) -> None:
        self._get(head=False)

    def do_HEAD(self) -> None:
        self._get(head=True)

    def _get(self, *, head: bool) -> None:
        if not self._guarded():
            return
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", self.server.page, head=head)
        elif url.path == "/query":
            if "query" not in params:
                self._refuse(400, "no query: give ?query=… or POST it")
                return
            self._query(params["query"][0], head=head)
        elif url.path == "/store":
            self._graph_store(params, head=head)
        elif url.path == "/update":
            self._refuse(403, "this endpoint is read-only")
        else:
            self._refuse(404, "not found: the endpoint answers /query, /store and /")

    def do_POST(self) -> None:
        if not self._guarded():
            return
        path = urllib.parse.urlsplit(self.path).path
        if path != "/query":
            self._drain()
            self._refuse(403 if path in ("/update", "/store") else 404,
                         "this endpoint is read-only")
            return
        body = self._body()
        if body is None:
            return
        kind = self.headers.get("Content-Type", "").partition(";")[0].strip().lower()
        if kind == "application/sparql-query":
            text = body.decode("utf-8", "replace")
        elif kind in ("application/x-www-form-urlencoded", ""):
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                self._refuse(403, "this endpoint is read-only")
                return
            if "query" not in form:
                self._refuse(400, "no query in the form")
                return
            text = form["query"][0]
        elif kind == "application/sparql-update":
            self._refuse(403, "this endpoint is read-only")
            return
        else:
            self._refuse(415, f"unsupported content type {kind!r}")
            return
        self._query(text, head=False)

    def _refuse_write(self) -> None:
        if self._guarded():
            self._drain()
            self._refuse(403, "this endpoint is read-only")

    do_PUT = do_DELETE = do_PATCH = _refuse_write  # noqa: N815

    def _length(self) -> int | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._refuse(400, "bad Content-Length")
            return None
        if length > self.server.limits.max_body:
            # read what a client may reasonably send, so that it sees the 413 and not a
            # broken pipe; past that, answer and hang up
            if length <= _DRAIN_LIMIT:
                self._discard(length)
            else:
                self._linger = True
            self.close_connection = True
            self._refuse(413, f"request body of {length:,} bytes "
                              f"(at most {self.server.limits.max_body:,})")
            return None
        return length

    _linger = False

    def finish(self) -> None:
        """Close gently after refusing an unread body: a plain close with unread bytes sends
        a TCP reset, which can destroy the answer before the client reads it."""
        if self._linger:
            with contextlib.suppress(OSError):
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(1.0)
                deadline = time.monotonic() + 2.0
                while time.monotonic() < deadline and self.connection.recv(1 << 16):
                    pass
        super().finish()

    def _discard(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 20))
            if not chunk:
                return
            length -= len(chunk)

    def _body(self) -> bytes | None:
        length = self._length()
        return None if length is None else self.rfile.read(length)

    def _drain(self) -> None:
        length = self._length()
        if length:
            self.rfile.read(length)

    def _client_gone(self) -> bool:
        sock = self.connection
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _query(self, text: str, *, head: bool) -> None:
        limits = self.server.limits
        try:
            if not text.strip():
                raise QueryError(Errors.Q012)
            check_query(text, max_length=limits.max_length, max_depth=limits.max_depth,
                        allow_federation=limits.allow_federation)
        except QueryError as e:
            self._refuse(400, e.message)
            return
        status, kind, body = self.server.pool.run(
            text, self.headers.get("Accept", "*/*"), limits, self._client_gone)
        if status == 499:
            self.close_connection = True
            return
        self._send(status, kind, body, head=head)

    def _graph_store(self, params: dict[str, list[str]], *, head: bool) -> None:
        if "graph" in params:
            iri = params["graph"][0]
            if any(c in iri for c in '<>"{}|^`\\ \n'):
                self._refuse(400, "bad graph IRI")
                return
            text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        else:
            text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        self._query(text, head=head)


_REASONS: Final = {499: "Client Closed Request"}


class QueryServer(ThreadingHTTPServer):
    """The HTTP front: binds at once, answers through a ``WorkerPool``."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(
        self, host: str, port: int, pool: WorkerPool, limits: Limits, page: bytes,
        *, loopback: bool,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
        self.pool = pool
        self.limits = limits
        self.page = page
        self.loopback = loopback
        self.bound_host = host.strip("[]")
        super().__init__((host.strip("[]"), port), _Handler)


@contextlib.contextmanager
def running(
    location: Path, host: str, port: int, limits: Limits, prefixes: dict[str, str],
    *, loopback: bool,
) -> Iterator[QueryServer]:
    """Start the pool and bind the front; yield the server (not yet serving); stop both.

    Raises:
        StoreError: the port cannot be bound, or the store cannot be opened.
    """
    try:
        server_probe = socket.getaddrinfo(host.strip("[]"), port)
    except (socket.gaierror, OverflowError) as e:
        raise StoreError(Errors.W016.format(host=host, port=port, reason=e)) from e
    del server_probe
    pool = WorkerPool(location, limits.max_concurrent, prefixes)
    try:
        try:
            server = QueryServer(host, port, pool, limits, query_page(prefixes, limits),
                                 loopback=loopback)
        except (OSError, OverflowError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise StoreError(Errors.W016.format(host=host, port=port, reason=reason)) from e
        try:
            yield server
        finally:
            server.server_close()
    finally:
        pool.close()


def query_page(prefixes: dict[str, str], limits: Limits) -> bytes:
    """The query page: a form, the predeclared prefixes, results as a table; no script from
    elsewhere."""
    declared = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items())
    example = ("SELECT ?task ?agency WHERE {\n  ?task a pkg:Task ; pkg:leadAgency ?a .\n"
               "  ?a skos:prefLabel ?agency .\n} LIMIT 20")
    html = _PAGE.replace("{{PREFIXES}}", _escape(declared)).replace(
        "{{EXAMPLE}}", _escape(example)).replace("{{TIMEOUT}}", f"{limits.timeout_s:g}")
    return html.encode()


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


_PAGE: Final = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>policykg SPARQL</title>
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';
 connect-src 'self'">
<style>
body{font:14px system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5em;max-width:1200px}
textarea{width:100%;height:14em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px;
text-align:left;vertical-align:top}pre{background:#f6f6f6;padding:.5em;font-size:12px}
#status{margin-left:1em;color:#555}
</style></head><body>
<h1>policykg SPARQL endpoint</h1>
<p>Read-only. These prefixes are predeclared (a query may still declare its own); a query
runs at most {{TIMEOUT}} s; <code>SERVICE</code> is refused.</p>
<pre>{{PREFIXES}}</pre>
<form id="f"><textarea id="q" name="query" spellcheck="false">{{EXAMPLE}}</textarea>
<button type="submit">Run</button><span id="status"></span></form>
<div id="out"></div>
<script>
const f = document.getElementById("f"), out = document.getElementById("out"),
      st = document.getElementById("status");
function cell(t){const td=document.createElement("td");td.textContent=t;return td;}
f.addEventListener("submit", async (e) => {
  e.preventDefault(); out.textContent = ""; st.textContent = "running…";
  const r = await fetch("query", {method: "POST",
    headers: {"Content-Type": "application/sparql-query",
              "Accept": "application/sparql-results+json, application/n-triples;q=0.9"},
    body: document.getElementById("q").value});
  const text = await r.text();
  if (!r.ok) { st.textContent = r.status + ": " + text; return; }
  if (!(r.headers.get("Content-Type") || "").includes("json")) {
    const pre = document.createElement("pre"); pre.textContent = text; out.append(pre);
    st.textContent = "done"; return; }
  const data = JSON.parse(text);
  if ("boolean" in data) { st.textContent = String(data.boolean); return; }
  const table = document.createElement("table"), head = document.createElement("tr");
  for (const v of data.head.vars) { const th = document.createElement("th");
    th.textContent = v; head.append(th); }
  table.append(head);
  for (const b of data.results.bindings) { const tr = document.createElement("tr");
    for (const v of data.head.vars) tr.append(cell(b[v] ? b[v].value : ""));
    table.append(tr); }
  out.append(table); st.textContent = data.results.bindings.length + " rows";
});
</script></body></html>
"""
