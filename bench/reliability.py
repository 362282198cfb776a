"""The reliability probe: bad inputs and endpoint attacks, each run for real, counted.

``python -m bench.reliability`` runs every bad input through ``policykg`` as a separate
process (the way a user meets it) against a store that already holds a good build, and every
attack against a running ``policykg serve``.  It counts clear errors, tracebacks and data
losses (the good store changed or gone after a failed command), and attacks held or not,
and writes ``bench/results/reliability.md``.  The same cases are regression tests in
``tests/``; this is the table README quotes.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
FIXTURES: Final = ROOT / "tests" / "data" / "fixtures"
NOTICE: Final = FIXTURES / "loader_single_notice.txt"
COMPILATION: Final = ROOT / "data" / "compilation-2022.txt"
RESULTS: Final = ROOT / "bench" / "results"


@dataclass
class Outcome:
    """What one probe saw."""

    name: str
    code: int
    clear: bool
    traceback: bool
    lost: bool
    said: str


def _cli(args: list[str], cwd: Path, timeout: float = 300) -> tuple[int, str]:
    code, _, err = _run(args, cwd, timeout)
    return code, err


def _run(args: list[str], cwd: Path, timeout: float = 300) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one ``policykg`` command."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("POLICYKG_STORE", None)
    proc = subprocess.run([sys.executable, "-m", "policykg", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=timeout)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


#: What a build that succeeds must also say: repeated prints of one policy are reported, and
#: two policies in one file are two documents, not merged silently (issues 11 and 15).
EXPECT: Final = {
    "one policy printed 3 times": ("documents: 1\n", "problems: 2 (L006: 2)"),
    "one policy printed 2,000 times": ("documents: 1\n", "problems: 1999 (L006: 1999)"),
    "two policies in one file": ("documents: 2\n", "problems: 1 (L007: 1)"),
    "two policies in one file, the first again after the second": (
        "documents: 2\n", "problems: 2 (L006: 1, L007: 1)"),
}


def _digest(store: Path) -> str:
    nt = store / "graph.nt"
    return hashlib.sha256(nt.read_bytes()).hexdigest() if nt.is_file() else "missing"


def _inputs(d: Path) -> dict[str, Path]:
    """Bad inputs, one file (or folder) each."""
    notice = NOTICE.read_text(encoding="utf-8")
    guofa = (FIXTURES / "loader_folder" / "01-guofa-2021-4.txt").read_text(encoding="utf-8")
    ningxia = (FIXTURES / "loader_folder" / "02-ningzhengfa-2021-39.txt").read_text(
        encoding="utf-8")
    comp = COMPILATION.read_text(encoding="utf-8").split("\n")
    made: dict[str, bytes] = {
        "empty file": b"",
        "blank lines only": b"\n\n \n\t\n",
        "NUL bytes": b"\x00" * 100,
        "random bytes": os.urandom(4096),
        "PNG image": b"\x89PNG\r\n\x1a\n" + os.urandom(200),
        "ZIP archive": b"PK\x03\x04" + os.urandom(200),
        "truncated PDF": b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n",
        "PDF header then garbage": b"%PDF-1.4\n" + os.urandom(2000),
        "Latin-1 text": "Ceci n'est pas une politique: é à ù".encode("latin-1") * 20,
        "English text": b"This is a plain English memo about lunch.\n" * 30,
        "JSON": json.dumps({"title": "碳达峰", "x": [1, 2, 3]}).encode(),
        "HTML page without policy": b"<html><body><p>hello</p></body></html>",
        "Tang poems": (FIXTURES / "loader_not_policy.txt").read_bytes(),
        "one CJK line": "碳达峰".encode(),
        "invalid UTF-8 in Chinese": notice.encode("utf-8")[:-7] + b"\xff\xfe\xfa" * 5,
        "UTF-16 LE without BOM": notice.encode("utf-16-le"),
        "UTF-16 BE without BOM": notice.encode("utf-16-be"),
        "UTF-16 with BOM": notice.encode("utf-16"),
        "UTF-8 with BOM": b"\xef\xbb\xbf" + notice.encode(),
        "GB18030": notice.encode("gb18030"),
        "one 5 MB line": ("碳达峰" * 600_000 + notice).encode(),
        "CRLF line ends": notice.replace("\n", "\r\n").encode(),
        "CR line ends": notice.replace("\n", "\r").encode(),
        "control characters in text": notice.replace("。", "。\x07\x1b").encode(),
        "private-use characters": notice.replace("的", "\ue000").encode(),
        "compilation cut in half": "\n".join(comp[: len(comp) // 2]).encode(),
        "compilation cut mid-line": "\n".join(comp)[: 900_001].encode(),
        "compilation with a part heading removed": "\n".join(
            ln for ln in comp if not ln.startswith("第四部分")).encode(),
        "one policy printed 3 times": (notice + "\n") .encode() * 3,
        "one policy printed 2,000 times": (notice + "\n").encode() * 2000,
        "two policies in one file": (guofa + ningxia).encode(),
        "two policies in one file, the first again after the second": (
            guofa + ningxia + guofa).encode(),
    }
    out: dict[str, Path] = {}
    for i, (name, data) in enumerate(made.items()):
        path = d / f"in{i:02d}.txt"
        path.write_bytes(data)
        out[name] = path
    weird = d / "name with\nnewline.txt"
    weird.write_bytes(b"")
    out["file name with a newline"] = weird
    spaced = d / "  spaced  name .txt"
    spaced.write_text(notice, encoding="utf-8")
    out["file name with spaces"] = spaced
    out["path that does not exist"] = d / "nowhere.txt"
    empty_dir = d / "empty-folder"
    empty_dir.mkdir()
    out["empty folder"] = empty_dir
    mixed = d / "mixed-folder"
    mixed.mkdir()
    (mixed / "a.txt").write_text(notice, encoding="utf-8")
    (mixed / "b.txt").write_bytes(b"\x00\x01")
    (mixed / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    (mixed / "d.docx").write_bytes(b"PK")
    out["folder with good, binary, broken PDF and .docx files"] = mixed
    unreadable = d / "unreadable.txt"
    unreadable.write_text(notice, encoding="utf-8")
    unreadable.chmod(0)
    if os.access(unreadable, os.R_OK):  # root reads anything: probe the folder of all these
        out["the folder of every file above"] = d
    else:
        out["unreadable file"] = unreadable
    for i, name in enumerate(("x y.txt", "x-y.txt", "X_Y.txt")):
        (d / "collide").mkdir(exist_ok=True)
        (d / "collide" / name).write_text(
            notice.replace("指导意见", f"指导意见（第{i + 1}稿）"), encoding="utf-8")
    out["three files whose names differ by space, dash and case"] = d / "collide"
    return out


def probe_inputs(work: Path) -> list[Outcome]:
    """Each bad input through ``build`` into a store holding a good build, then ``docs``."""
    store = work / "store"
    code, said = _cli(["build", str(NOTICE), "--store", str(store)], work)
    if code != 0:
        raise SystemExit(f"cannot build the probe's good store: {said}")
    outcomes = []
    (work / "inputs").mkdir()
    for name, path in _inputs(work / "inputs").items():
        before = _digest(store)
        code, out, said = _run(["build", str(path), "--store", str(store)], work)
        after = _digest(store)
        lines = [ln for ln in said.splitlines() if ln.strip()]
        traceback = "Traceback" in said
        if code == 0:  # it built: the store must hold a usable graph
            check, _ = _cli(["docs", "--store", str(store)], work)
            lost = check != 0
            clear = not traceback and all(e in out for e in EXPECT.get(name, ()))
            _cli(["build", str(NOTICE), "--store", str(store)], work)  # back to the good build
        else:
            lost = after != before
            clear = code in (1, 2) and not traceback and bool(lines) and all(
                ln.startswith("policykg:") for ln in lines)
        outcomes.append(Outcome(name, code, clear, traceback, lost,
                                lines[-1][:110] if lines else ""))
    return outcomes


# ------------------------------------------------------------------ endpoint attacks


RUNAWAY: Final = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                  "?j ?k ?l . ?m ?n2 ?o }")
COUNT: Final = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _post(base: str, body: bytes, headers: dict[str, str], path: str = "/query",
          method: str = "POST", timeout: float = 60) -> int:
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as e:
        with e:
            return int(e.code)
    except (urllib.error.URLError, OSError):
        return -1


def _alive(base: str) -> bool:
    return _post(base, COUNT.encode(), {"Content-Type": "application/sparql-query"}) == 200


def _listener() -> tuple[socket.socket, list[int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    hits: list[int] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            hits.append(1)
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    return sock, hits


def _attacks(base: str) -> dict[str, Callable[[], bool]]:
    """Each attack returns True when the endpoint held (refused it, stayed up, did no harm)."""
    sparql = {"Content-Type": "application/sparql-query"}

    def service() -> bool:
        sock, hits = _listener()
        port = sock.getsockname()[1]
        q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/s> {{ ?s ?p ?o }} }}"
        status = _post(base, q.encode(), sparql)
        time.sleep(0.5)
        sock.close()
        return status == 400 and not hits

    def nested(depth: int, brackets: str) -> Callable[[], bool]:
        def run() -> bool:
            q = "SELECT * WHERE " + brackets[0] * depth + brackets[1] * depth
            return _post(base, q.encode(), sparql) == 400 and _alive(base)
        return run

    def runaway() -> bool:
        started = time.monotonic()
        status = _post(base, RUNAWAY.encode(), sparql)
        return status == 503 and time.monotonic() - started < 30 and _alive(base)

    def abandoned() -> bool:
        socks = []
        address = urllib.parse.urlsplit(base)
        for _ in range(4):
            s = socket.create_connection((address.hostname or "", address.port or 0))
            body = RUNAWAY.encode()
            s.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                      b"application/sparql-query\r\n"
                      + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            socks.append(s)
        time.sleep(1)
        for s in socks:
            s.close()
        time.sleep(3)
        return _alive(base)

    def flood() -> bool:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda _: _post(base, RUNAWAY.encode(), sparql), range(8)))
        return all(c in (503,) for c in codes) and _alive(base)

    def cross_site(headers: dict[str, str]) -> Callable[[], bool]:
        return lambda: _post(base, COUNT.encode(), {**sparql, **headers}) == 403

    def form() -> bool:
        body = urllib.parse.urlencode({"query": COUNT}).encode()
        return _post(base, body, {"Content-Type": "application/x-www-form-urlencoded",
                                  "Origin": "https://evil.example"}) == 403

    def writes() -> bool:
        insert = b'INSERT DATA { <urn:x> <urn:y> "z" }'
        codes = [
            _post(base, insert, {"Content-Type": "application/sparql-update"}, "/update"),
            _post(base, b"update=" + urllib.parse.quote(insert).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded"}),
            _post(base, b'<urn:x> <urn:y> "z" .', {"Content-Type": "application/n-triples"},
                  "/store?default", "PUT"),
            _post(base, b"", {}, "/store?default", "DELETE"),
        ]
        return all(c == 403 for c in codes) and _alive(base)

    def huge_literal() -> bool:
        q = 'ASK { ?s ?p "' + "碳" * 2_000_000 + '" }'
        return _post(base, q.encode(), sparql) in (400, 413) and _alive(base)

    def huge_body() -> bool:
        return _post(base, b"#" * (70 * 1024 * 1024), sparql) in (413, -1) and _alive(base)

    def garbage() -> bool:
        return all(_post(base, q.encode(), sparql) == 400
                   for q in ("SELEC x", "}}}}", "\x00\x01", "ASK {")) and _alive(base)

    return {
        "SERVICE to a loopback listener": service,
        "2,500 nested {": nested(2500, "{}"),
        "5,000 nested (": nested(5000, "()"),
        "100,000 nested [": nested(100_000, "[]"),
        "five-way cross product (runaway)": runaway,
        "4 runaways abandoned by their clients": abandoned,
        "8 concurrent runaways": flood,
        "cross-site Origin": cross_site({"Origin": "https://evil.example"}),
        "Sec-Fetch-Site: cross-site": cross_site({"Sec-Fetch-Site": "cross-site"}),
        "DNS rebinding (foreign Host)": cross_site({"Host": "evil.example:7878"}),
        "cross-site HTML form POST": form,
        "updates and Graph Store writes": writes,
        "2 MB literal": huge_literal,
        "70 MiB body": huge_body,
        "malformed queries": garbage,
    }


def probe_endpoint(work: Path) -> list[tuple[str, bool]]:
    """Run every attack against ``policykg serve`` over the probe's store."""
    store = work / "store"
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "policykg", "serve", "--store", str(store), "--port", str(port),
         "--timeout", "3", "--max-concurrent", "2"],
        cwd=work, env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _alive(base):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("policykg serve did not come up")
            time.sleep(0.2)
        results = []
        for name, attack in _attacks(base).items():
            held = attack() and server.poll() is None
            results.append((name, held))
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def report(inputs: list[Outcome], attacks: list[tuple[str, bool]]) -> str:
    """The README table and the case list, as Markdown."""
    clear = sum(o.clear for o in inputs)
    tracebacks = sum(o.traceback for o in inputs)
    lost = sum(o.lost for o in inputs)
    held = sum(h for _, h in attacks)
    lines = [
        "| probe | tried | clear error or correct result | tracebacks | data losses / "
        "not held |",
        "|---|---|---|---|---|",
        f"| bad inputs through `policykg build` | {len(inputs)} | {clear} | {tracebacks} | "
        f"{lost} |",
        f"| attacks on `policykg serve` | {len(attacks)} | {held} | — | {len(attacks) - held} |",
        "",
        "| bad input | exit | what the user sees |",
        "|---|---|---|",
    ]
    for o in inputs:
        mark = "" if o.clear and not o.lost else " **(!)**"
        said = o.said.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {o.name}{mark} | {o.code} | {said} |")
    lines += ["", "| attack on the endpoint | held |", "|---|---|"]
    lines += [f"| {name} | {'yes' if h else '**no**'} |" for name, h in attacks]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run both probes; print and write the report; exit 1 if anything did not hold."""
    work = Path(tempfile.mkdtemp(prefix="policykg-probe-"))
    try:
        inputs = probe_inputs(work)
        attacks = probe_endpoint(work)
    finally:
        for path in work.rglob("*"):
            if path.is_file():
                path.chmod(0o600)
        shutil.rmtree(work, ignore_errors=True)
    text = report(inputs, attacks)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reliability.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    bad = any(not o.clear or o.lost for o in inputs) or not all(h for _, h in attacks)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
