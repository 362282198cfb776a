"""First paint of an HTML view in headless Chromium, over the DevTools protocol on a pipe.

A copy of the page gets a probe script after the page's own script: it records
``performance.now()`` (milliseconds since navigation start) at vis-network's first
``afterDrawing`` event and again once the view reports ready (``window.PKG_READY``, set after
fit and redraw).  Chromium runs with the closed-network flags of the viz tests and a
temporary profile; ``--remote-debugging-pipe`` needs no port and no websocket client.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Final

__all__ = ["CHROMIUM", "FLAGS", "first_paint", "probe_page"]

logger = logging.getLogger(__name__)

CHROMIUM: Final = "/usr/bin/chromium"
FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
    "--remote-debugging-pipe",
)

PROBE: Final = """<script>
(function () {
  var probe = window.BENCH_PAINT = {script: performance.now(), first: null, ready: null};
  var net = window.PKG_NETWORK;
  if (net) { net.once("afterDrawing", function () { probe.first = performance.now(); }); }
  var timer = setInterval(function () {
    if (window.PKG_READY) { probe.ready = performance.now(); clearInterval(timer); }
  }, 10);
})();
</script>
</body>"""


def _env(profile: str) -> dict[str, str]:
    """Chromium's environment: ``$TMPDIR`` inside the temporary profile, removed with it.

    Each launch leaves an ``org.chromium.Chromium.XXXXXX`` folder in ``$TMPDIR``.
    """
    tmp = Path(profile) / "tmp"
    tmp.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(tmp)}


def probe_page(html: str) -> str:
    """Return ``html`` with the paint probe inserted before its last ``</body>``."""
    head, sep, tail = html.rpartition("</body>")
    if not sep:
        raise ValueError("the page has no </body>")
    return head + PROBE + tail


class _Pipe:
    """DevTools messages over Chromium's fds 3 (commands in) and 4 (events out), NUL-ended."""

    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd, self.read_fd = write_fd, read_fd
        self.buffer = b""
        self.next_id = 0

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> int:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.write_fd, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def recv(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise ConnectionError("chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        result: dict[str, Any] = json.loads(raw)
        return result

    def call(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        wanted = self.send(method, params, session)
        while True:
            msg = self.recv()
            if msg.get("id") == wanted:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                result: dict[str, Any] = msg.get("result", {})
                return result


def first_paint(page: Path, timeout: float = 120.0) -> dict[str, Any]:
    """Open ``page`` (with the probe) in headless Chromium and time its first drawing.

    Returns:
        ``first_paint_ms`` and ``ready_ms`` (page clock, from navigation start),
        ``wall_s`` (browser launch to ready, outside clock), node and edge counts.
    """
    probed = page.with_name(page.stem + ".probe.html")
    probed.write_text(probe_page(page.read_text(encoding="utf-8")), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()

    def child_fds() -> None:
        # dup first: a pipe end may already sit on fd 3 or 4, and dup2 onto itself would
        # keep its close-on-exec flag.
        read_end, write_end = os.dup(to_chrome_r), os.dup(from_chrome_w)
        os.dup2(read_end, 3)
        os.dup2(write_end, 4)

    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        close_fds=False, preexec_fn=child_fds, env=_env(profile),
    )
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    pipe = _Pipe(to_chrome_w, from_chrome_r)
    try:
        target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        pipe.call("Page.enable", session=session)
        t_nav = time.perf_counter()
        pipe.call("Page.navigate", {"url": probed.resolve().as_uri()}, session=session)
        deadline = time.perf_counter() + timeout
        probe: dict[str, Any] = {}
        while time.perf_counter() < deadline:
            value = pipe.call(
                "Runtime.evaluate",
                {"expression": "JSON.stringify(window.BENCH_PAINT || null)",
                 "returnByValue": True},
                session=session,
            )["result"].get("value")
            probe = json.loads(value) if value else {}
            if probe and probe.get("ready") is not None:
                break
            time.sleep(0.05)
        t_ready = time.perf_counter()
        counts = pipe.call(
            "Runtime.evaluate",
            {"expression": "JSON.stringify([window.PKG_NODES ? PKG_NODES.length : 0,"
                           " JSON.parse(document.getElementById('pkg-data').textContent)"
                           ".edges.length])",
             "returnByValue": True},
            session=session,
        )["result"].get("value", "[0, 0]")
        nodes, edges = json.loads(counts)
    finally:
        try:
            pipe.send("Browser.close")
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        os.close(to_chrome_w)
        os.close(from_chrome_r)
        shutil.rmtree(profile, ignore_errors=True)
    return {
        "page": str(page),
        "bytes": page.stat().st_size,
        "nodes": nodes,
        "edges": edges,
        "first_paint_ms": probe.get("first"),
        "ready_ms": probe.get("ready"),
        "navigate_to_ready_s": t_ready - t_nav,
        "wall_s": t_ready - t0,
    }


class Browser:
    """One headless Chromium on a DevTools pipe, for screenshots and paint timings of pages.

    ``with Browser() as b: tab = b.open(path, 1400, 900)``; ``tab.evaluate(js)``,
    ``tab.wait(js)``, ``tab.screenshot()`` (PNG bytes of the viewport).
    """

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="bench-chromium-")
        to_r, self._to_w = os.pipe()
        self._from_r, from_w = os.pipe()

        def child_fds() -> None:
            read_end, write_end = os.dup(to_r), os.dup(from_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=child_fds, env=_env(self.profile),
        )
        os.close(to_r)
        os.close(from_w)
        self.pipe = _Pipe(self._to_w, self._from_r)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.pipe.send("Browser.close")
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_w)
        os.close(self._from_r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def open(self, url: str, width: int = 1400, height: int = 900) -> Tab:
        """Open ``url`` in a new tab of the given viewport and wait for its load event."""
        target = self.pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.pipe.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        tab = Tab(self.pipe, session)
        tab.call("Page.enable")
        tab.call("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        tab.t_navigate = time.perf_counter()
        tab.call("Page.navigate", {"url": url})
        tab.wait("document.readyState === 'complete'")
        return tab


class Tab:
    """A page of a ``Browser``."""

    def __init__(self, pipe: _Pipe, session: str) -> None:
        self.pipe, self.session = pipe, session
        self.t_navigate = 0.0

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.pipe.call(method, params, session=self.session)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression: str, timeout: float = 120.0) -> bool:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.evaluate(expression) is True:
                return True
            time.sleep(0.05)
        return False

    def screenshot(self) -> bytes:
        import base64

        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])
