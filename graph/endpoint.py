"""The read-only SPARQL 1.1 Protocol endpoint over the store (``policykg serve``).

``serve`` binds an HTTP front (``graph.query_server``) and runs every query in a pool of
worker processes that hold the store open read-only with pyoxigraph.  The front refuses
what must never reach the engine (``SERVICE`` unless allowed, over-deep or over-long
queries, writes, cross-site requests), bounds the queries running at once, and stops a query
at its wall-clock limit or when its client goes away by killing its worker: the CPU is freed
and a fresh worker takes its place.  Answers are sent whole, so a cut answer is never a 200.

Reading a store that another process writes: a RocksDB read-only open needs no lock and sees
the data flushed before it opened.  ``graph.store`` swaps a finished directory in instead of
writing into the served one, and running workers keep the files they opened: restart
``policykg serve`` after ``policykg build``.

The ``oxigraph`` PyPI package's server binary (``oxigraph_binary``) still runs the writable
stand-in server of ``start_server(read_only=False)``, which tests of ``push`` load into.
The binary and pyoxigraph must be the same version (their RocksDB layout is the format).

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import IO, Final

from policykg.errors import Errors, StoreError
from policykg.graph.query_server import Limits

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT_S",
    "Limits",
    "free_port",
    "is_loopback",
    "oxigraph_binary",
    "serve",
    "server_command",
    "start_server",
    "store_location",
]

logger = logging.getLogger(__name__)

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 7878
#: Seconds after which the server cancels a query.
DEFAULT_TIMEOUT_S: Final = 60
_STARTUP_S: Final = 30.0
_STOP_S: Final = 10.0


def oxigraph_binary() -> Path:
    """Return the Oxigraph server binary of the ``oxigraph`` package, checked against pyoxigraph.

    The wheel installs the binary as a script (``<venv>/bin/oxigraph``); its RECORD file
    says where.  Falls back to ``oxigraph`` on ``PATH``.

    Raises:
        StoreError: no binary, or its version differs from pyoxigraph's (the on-disk
            store format is tied to the version).
    """
    path = _binary_from_wheel() or shutil.which("oxigraph")
    if path is None:
        raise StoreError(Errors.W008)
    binary = Path(path)
    try:
        out = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise StoreError(Errors.W009.format(binary=binary, reason=e)) from e
    version = out.strip().rpartition(" ")[2]
    try:
        expected = metadata.version("pyoxigraph")
    except metadata.PackageNotFoundError:
        expected = version
    if version != expected:
        raise StoreError(Errors.W010.format(binary=binary, version=version, expected=expected))
    return binary


def _binary_from_wheel() -> str | None:
    try:
        dist = metadata.distribution("oxigraph")
    except metadata.PackageNotFoundError:
        return None
    for file in dist.files or ():
        if file.name in ("oxigraph", "oxigraph.exe") and file.parent.name in ("bin", "Scripts"):
            path = Path(str(dist.locate_file(file))).resolve()
            if path.is_file():
                return str(path)
    return None


def store_location(store_dir: Path) -> Path:
    """Return the Oxigraph directory of a store: ``<store_dir>/oxigraph``, or ``store_dir``.

    Raises:
        StoreError: neither holds an Oxigraph (RocksDB) store.
    """
    from policykg.graph.store import OXIGRAPH, has_store, oxigraph_location, recover

    recover(store_dir)
    if has_store(store_dir):
        return oxigraph_location(store_dir)  # opened once: a damaged store fails here
    for candidate in (store_dir / OXIGRAPH, store_dir):  # a bare Oxigraph folder
        if (candidate / "CURRENT").is_file():
            return candidate
    raise StoreError(Errors.S005.format(path=store_dir))


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> str:
    return f"[{host.strip('[]')}]:{port}" if ":" in host.strip("[]") else f"{host}:{port}"


def server_command(
    location: Path | None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    read_only: bool = True,
    timeout_s: int | None = DEFAULT_TIMEOUT_S,
) -> list[str]:
    """Return the command line of an Oxigraph server.

    ``read_only`` runs ``serve-read-only`` on ``location`` (required); otherwise ``serve``,
    in memory when ``location`` is None.
    """
    if read_only and location is None:
        raise ValueError("a read-only server needs a store location")
    cmd = [str(oxigraph_binary()), "serve-read-only" if read_only else "serve"]
    if location is not None:
        cmd += ["--location", str(location)]
    cmd += ["--bind", _bind(host, port)]
    if timeout_s is not None:
        cmd += ["--timeout-s", str(timeout_s)]
    return cmd


def serve(
    store_dir: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    limits: Limits | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> int:
    """Serve ``store_dir`` read-only until interrupted (Ctrl-C, SIGTERM); return 0.

    The store is opened and the port bound before ``on_ready(url)`` is called, so nothing
    claims the endpoint is up when it is not.  Binds to loopback unless ``host`` says
    otherwise (then a warning is logged).

    Raises:
        StoreError: no store, a damaged store, or the port cannot be bound.
    """
    from policykg.graph.query_server import running
    from policykg.ontology import PREFIXES

    limits = limits or Limits()
    location = store_location(store_dir)
    loopback = is_loopback(host)
    if not loopback:
        logger.warning("the SPARQL endpoint listens on %s: reachable from other machines", host)
    with _sigterm_interrupts(), running(
        location, host, port, limits, dict(PREFIXES), loopback=loopback
    ) as server:
        url = f"http://{_bind(host, server.server_address[1])}"
        if on_ready is not None:
            on_ready(url)
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            logger.info("stopping the SPARQL endpoint")
        return 0


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def free_port(host: str = DEFAULT_HOST) -> int:
    """Return a TCP port that is free on ``host`` now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host.strip("[]"), 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def start_server(
    store_dir: Path | None,
    *,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    read_only: bool = True,
    timeout_s: int | None = DEFAULT_TIMEOUT_S,
    startup_s: float = _STARTUP_S,
    limits: Limits | None = None,
) -> Iterator[str]:
    """Run a SPARQL server while the block runs; yield its base URL (``http://host:port``).

    Read-only (the default): the endpoint ``serve`` runs, in a thread of this process, over
    a policykg store (or an Oxigraph directory).  ``read_only=False`` runs a writable Oxigraph
    server (a stand-in for the user's own server, for ``push``) on a new directory or in
    memory (None).  Queries go to ``<url>/query``, updates to ``<url>/update`` and the Graph
    Store Protocol to ``<url>/store``.  The server is always stopped, however the block ends.

    Raises:
        StoreError: the server cannot start or does not answer within ``startup_s`` seconds.
    """
    if read_only:
        if store_dir is None:
            raise ValueError("a read-only server needs a store directory")
        with _front_in_thread(store_dir, host, port or 0, limits or Limits(
                timeout_s=float(timeout_s or DEFAULT_TIMEOUT_S))) as url:
            yield url
        return
    location = store_dir
    port = free_port(host) if port is None else port
    cmd = server_command(location, host, port, read_only=False, timeout_s=timeout_s)
    url = f"http://{_bind(host, port)}"
    with tempfile.TemporaryFile() as log:
        logger.debug("running %s", " ".join(cmd))
        try:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        except OSError as e:
            raise StoreError(Errors.W011.format(reason=e)) from e
        try:
            _wait_until_up(proc, url, startup_s, log)
            yield url
        finally:
            _stop(proc)


@contextlib.contextmanager
def _front_in_thread(store_dir: Path, host: str, port: int, limits: Limits) -> Iterator[str]:
    from policykg.graph.query_server import running
    from policykg.ontology import PREFIXES

    location = store_location(store_dir)
    with running(location, host, port, limits, dict(PREFIXES),
                 loopback=is_loopback(host)) as server:
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name="policykg-endpoint", daemon=True)
        thread.start()
        try:
            yield f"http://{_bind(host, server.server_address[1])}"
        finally:
            server.shutdown()
            thread.join(timeout=_STOP_S)


def _wait_until_up(
    proc: subprocess.Popen[bytes], url: str, startup_s: float, log: IO[bytes]
) -> None:
    probe = f"{url}/query?query=ASK%7B%7D"
    deadline = time.monotonic() + startup_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            said = log.read().decode("utf-8", "replace").strip().splitlines()
            last = said[-1] if said else "no output"
            raise StoreError(Errors.W012.format(status=proc.returncode, last=last))
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise StoreError(Errors.W013.format(url=url, seconds=startup_s))


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=_STOP_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=_STOP_S)
