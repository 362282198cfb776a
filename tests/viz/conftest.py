"""Fixtures of the viz tests: hand-made graphs and a headless Chromium driven over DevTools.

The browser fixture talks the Chrome DevTools Protocol over a websocket written here on
``socket`` (the standard library has no websocket client), so a test sees every request the
page makes (``Network.requestWillBeSent``), every console error and uncaught exception
(``Runtime.consoleAPICalled``, ``Runtime.exceptionThrown``, ``Log.entryAdded``), can evaluate
JavaScript in the page and take a PNG screenshot of the drawing surface.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import networkx as nx
import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "viz_graphs.json"

#: The flags of the brief: a headless browser on a closed network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--remote-debugging-port=0",
    "--window-size=1280,800",
)
WAIT_SECONDS = 120.0


@pytest.fixture(scope="session")
def viz_graphs() -> dict[str, nx.Graph[Any]]:
    """The hand-made graphs of ``fixtures/viz_graphs.json``, by view name."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {
        view: nx.node_link_graph(value, edges="edges")
        for view, value in data.items()
        if not view.startswith("_")
    }


# --- a minimal websocket client (RFC 6455, client side, text frames) --------------------


class _WebSocket:
    """Just enough of a websocket client for the DevTools protocol."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake refused: {head[:200]!r}")

    def _exact(self, n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("websocket closed")
            buf += chunk
        return bytes(buf)

    def _frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 1 << 16:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def send(self, text: str) -> None:
        self._frame(0x1, text.encode())

    def recv(self) -> str:
        message = bytearray()
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._exact(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._exact(8))
            payload = self._exact(n)  # servers do not mask
            opcode = b0 & 0x0F
            if opcode == 0x9:  # ping
                self._frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            message += payload
            if b0 & 0x80:
                return message.decode()

    def close(self) -> None:
        self.sock.close()


# --- the DevTools session ---------------------------------------------------------------


@dataclass
class Page:
    """One page opened in headless Chromium, with what it did while loading."""

    ws: _WebSocket
    url: str
    events: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 0

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one DevTools command and return its result (events are kept)."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})  # type: ignore[no-any-return]
            self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        """Evaluate a JavaScript expression in the page and return its JSON value."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float = WAIT_SECONDS) -> bool:
        """Poll ``expression`` until it is true; return whether it became true in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression) is True:
                return True
            time.sleep(0.2)
        return False

    def requests(self) -> list[str]:
        """Every URL the page requested but its own: network, other files, anything not inline."""
        urls = [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        return [u for u in urls if u != self.url and not u.startswith(("data:", "blob:"))]

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (e.g. failed loads)."""
        found = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(
                    " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                )
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(str(details.get("exception", {}).get("description", details)))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"{params['entry']['text']} {params['entry'].get('url', '')}")
        return found

    def screenshot(self, selector: str) -> bytes:
        """Return a PNG of the element ``selector`` (e.g. the network's canvas)."""
        rect = self.evaluate(
            f"(function(){{var r=document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect();return [r.x,r.y,r.width,r.height];})()"
        )
        x, y, width, height = rect
        clip = {"x": x, "y": y, "width": width, "height": height, "scale": 0.5}
        shot = self.call("Page.captureScreenshot", {"format": "png", "clip": clip})
        return base64.b64decode(shot["data"])


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    """The Chromium binary; a skip (or, under CI=true, a failure) if there is none."""
    binary = _chromium()
    if binary is None:
        reason = "no chromium binary on PATH (apt-get install -y chromium fonts-noto-cjk)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


def _devtools_port(user_dir: Path, proc: subprocess.Popen[bytes]) -> int:
    """Wait for Chromium to write ``DevToolsActivePort`` and return the port."""
    port_file = user_dir / "DevToolsActivePort"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chromium exited with {proc.returncode}")
        if port_file.exists():
            lines = port_file.read_text().split()
            if lines:
                return int(lines[0])
        time.sleep(0.1)
    raise TimeoutError("chromium did not open a DevTools port")


def chromium_env(under: Path) -> dict[str, str]:
    """The environment of a test's Chromium: its temporary files inside ``under``.

    Chromium puts a ``org.chromium.Chromium.XXXXXX`` folder (its singleton socket) in
    ``$TMPDIR`` for every launch and never removes it; inside our own folder they go with it.
    """
    tmp = under / "tmp"
    tmp.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(tmp)}


@pytest.fixture
def private_dir() -> Iterator[Path]:
    """A temporary folder of our own.

    Not ``tmp_path``: several pytest sessions run at once under one user, and each prunes
    all but the newest three ``pytest-of-<user>/pytest-N`` folders, pages included.
    """
    # Chromium's helper processes may still be closing files when the folder goes.
    with tempfile.TemporaryDirectory(prefix="policykg-viz-", ignore_cleanup_errors=True) as name:
        yield Path(name)


@pytest.fixture
def open_page(chromium_binary: str, private_dir: Path) -> Iterator[Callable[..., Page]]:
    """Open a file (and optional ``#fragment``) in a fresh headless Chromium, recording all."""
    procs: list[subprocess.Popen[bytes]] = []
    sockets: list[_WebSocket] = []

    def opener(path: Path, fragment: str = "", size: tuple[int, int] = (1280, 800)) -> Page:
        user_dir = private_dir / f"chromium-profile-{len(procs)}"
        user_dir.mkdir()
        proc = subprocess.Popen(
            [chromium_binary, *CHROMIUM_FLAGS, f"--user-data-dir={user_dir}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=chromium_env(private_dir),
            start_new_session=True,  # its own process group: teardown ends its helpers too
        )
        procs.append(proc)
        port = _devtools_port(user_dir, proc)
        no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with no_proxy.open(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            targets = json.loads(response.read())
        target = next(t for t in targets if t.get("type") == "page")
        ws = _WebSocket(target["webSocketDebuggerUrl"], timeout=WAIT_SECONDS)
        sockets.append(ws)
        page = Page(ws, url=path.resolve().as_uri())
        for domain in ("Network", "Runtime", "Log", "Page"):
            page.call(f"{domain}.enable")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
        )
        target_url = page.url + (f"#{quote(fragment)}" if fragment else "")
        navigation = page.call("Page.navigate", {"url": target_url})
        if navigation.get("errorText"):
            raise RuntimeError(f"{path}: {navigation['errorText']}")
        if not page.wait_until("document.readyState === 'complete'", timeout=60):
            raise TimeoutError(f"{path} did not load")
        return page

    yield opener
    for ws in sockets:
        ws.close()
    for proc in procs:
        _end_group(proc)


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    """End the Chromium we started and its helper processes (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    with contextlib.suppress(ProcessLookupError):  # helpers that outlived the browser
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def assert_drawn() -> Callable[[bytes], None]:
    """A check that a PNG screenshot is a drawing: many colours, not one flat background."""

    def check(png: bytes) -> None:
        width, height, pixels = png_pixels(png)
        assert width * height > 50_000, (width, height)
        colours = Counter(pixels)
        background, count = colours.most_common(1)[0]
        assert len(colours) > 10, f"only {len(colours)} colours"
        share = count / len(pixels)
        assert share < 0.995, f"{share:.2%} of the pixels are #{background.hex()}"

    return check


# --- PNG pixels without Pillow -----------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG into ``(width, height, pixels)``."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, bytearray()
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack("!I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack("!IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or interlace:
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {color})")
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    prev = bytearray(stride)
    pixels: list[bytes] = []
    for row in range(height):
        start = row * (stride + 1)
        kind_byte, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = prev[i]
            if kind_byte == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind_byte == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind_byte == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind_byte == 4:
                upleft = prev[i - channels] if i >= channels else 0
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else upleft
                line[i] = (line[i] + pred) & 0xFF
        pixels += [bytes(line[i : i + 3]) for i in range(0, stride, channels)]
        prev = line
    return width, height, pixels
