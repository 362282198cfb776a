"""A read-only SPARQL 1.1 Protocol endpoint over the store: the Oxigraph server, not our own.

The ``oxigraph`` PyPI package ships the Oxigraph server binary; ``serve`` runs
``oxigraph serve-read-only --location <store>/oxigraph --bind HOST:PORT`` over the on-disk
store that ``graph.store`` writes with pyoxigraph.  The binary and pyoxigraph must be the
same version (their RocksDB layout is the on-disk format), which ``oxigraph_binary`` checks.

What the server gives, measured on oxigraph 0.5.13:

- ``GET``/``POST /query`` (SPARQL 1.1 Protocol), ``GET /store`` (Graph Store Protocol reads)
  and a query page at ``/``; ``POST /update`` and every Graph Store write answer 403.
- Request size: the request line and headers (so a ``GET`` query) must fit in 8 KiB (400
  otherwise: send long queries, e.g. with Chinese literals, by ``POST``); a ``POST`` body
  is limited to 128 MiB (400).  Both are built in and cannot be set, so there is no proxy
  in front: the 128 MiB bound is loose but real.
- Query time: ``--timeout-s`` cancels a query after that many seconds (checked while the
  store is scanned: a query over ``VALUES`` alone ran past it).  The answer is streamed, so
  a cancelled query still has status 200 but a truncated body that ends with "The SPARQL
  operation has been cancelled": clients fail to parse it.
- It opens a store that another process holds open for writing (a RocksDB read-only open
  needs no lock) and sees the data flushed before it started; the server's help calls
  reading while another process writes "undefined behaviour".  ``graph.store`` swaps a
  finished directory in instead of writing into the served one, and a running server keeps
  the files it opened: restart ``policykg serve`` after ``policykg build``.

``start_server`` runs a server for tests and scripts: on a free loopback port, it waits until
the server answers, yields its base URL and always stops it.

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
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import IO, Final

from policykg.errors import StoreError

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT_S",
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
        raise StoreError("the Oxigraph server binary is missing (pip install 'oxigraph>=0.5,<0.6')")
    binary = Path(path)
    try:
        out = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise StoreError(f"{binary}: cannot run the Oxigraph server ({e})") from e
    version = out.strip().rpartition(" ")[2]
    try:
        expected = metadata.version("pyoxigraph")
    except metadata.PackageNotFoundError:
        expected = version
    if version != expected:
        raise StoreError(
            f"{binary}: Oxigraph server {version} cannot serve a store written by "
            f"pyoxigraph {expected} (install the same version of both)"
        )
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
    for candidate in (store_dir / "oxigraph", store_dir):
        if (candidate / "CURRENT").is_file():
            return candidate
    raise StoreError(f"{store_dir}: no Oxigraph store here (run 'policykg build')")


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
    timeout_s: int | None = DEFAULT_TIMEOUT_S,
) -> int:
    """Serve ``store_dir`` read-only until interrupted; return the exit status.

    Binds to loopback unless ``host`` says otherwise (then a warning is logged).

    Raises:
        StoreError: no store, no server binary, or the server could not start.
    """
    cmd = server_command(store_location(store_dir), host, port, timeout_s=timeout_s)
    if not is_loopback(host):
        logger.warning("the SPARQL endpoint listens on %s: reachable from other machines", host)
    logger.info("running %s", " ".join(cmd))
    try:
        proc = subprocess.Popen(cmd)
    except OSError as e:
        raise StoreError(f"cannot start the Oxigraph server ({e})") from e
    # SIGTERM (a service manager, a test) stops the server too, as Ctrl-C does.
    with _sigterm_interrupts():
        try:
            return proc.wait()
        except KeyboardInterrupt:
            logger.info("stopping the SPARQL endpoint")
            return 0
        finally:
            _stop(proc)


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
) -> Iterator[str]:
    """Run an Oxigraph server while the block runs; yield its base URL (``http://host:port``).

    SPARQL queries go to ``<url>/query``, updates to ``<url>/update`` (writable servers
    only) and the Graph Store Protocol to ``<url>/store``.  ``store_dir`` is a policykg
    store (or an Oxigraph directory); with ``read_only=False`` it may be a new directory or
    None (in memory).  The server is always stopped, however the block ends.

    Raises:
        StoreError: the server exits or does not answer within ``startup_s`` seconds.
    """
    if read_only:
        if store_dir is None:
            raise ValueError("a read-only server needs a store directory")
        location: Path | None = store_location(store_dir)
    else:
        location = store_dir
    port = free_port(host) if port is None else port
    cmd = server_command(location, host, port, read_only=read_only, timeout_s=timeout_s)
    url = f"http://{_bind(host, port)}"
    with tempfile.TemporaryFile() as log:
        logger.debug("running %s", " ".join(cmd))
        try:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        except OSError as e:
            raise StoreError(f"cannot start the Oxigraph server ({e})") from e
        try:
            _wait_until_up(proc, url, startup_s, log)
            yield url
        finally:
            _stop(proc)


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
            raise StoreError(f"the Oxigraph server exited with status {proc.returncode}: {last}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise StoreError(f"the Oxigraph server at {url} did not answer within {startup_s:.0f} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=_STOP_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=_STOP_S)
