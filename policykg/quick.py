"""The ``policykg`` command's entry: ``who`` answered from the store's lookup file, cold.

A fresh process pays for every module it imports, and the full CLI imports the API, the
records and argparse before it reads a byte (three times the time of the lookup itself).  So
the command starts here: ``policykg who TEXT… [--store DIR] [--limit N]`` over a store that
holds a lookup file (``policykg.lookupindex``), with the word table written and a query
naming no agency, is answered by this module with the standard library, ``lookupindex``,
``loaders.words`` and ``display``.  Everything else (another command or flag, a store to
build or recover, a query naming an agency, which needs the registry) goes to
``policykg.cli.main`` unchanged.  The text printed is ``cli.cmd_who``'s, byte for byte
(``tests/cli/test_quick.py`` compares them), and so are the exit codes.

Nothing imports this module but ``policykg.__main__`` (and the ``policykg`` script).
"""

from __future__ import annotations

import os
import sys

# typing's import costs a cold `who` ~6 ms; mypy reads any constant named TYPE_CHECKING
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["main", "quick_duties", "quick_who"]

#: The store variable and default folder of ``pipeline`` (``STORE_ENV``, ``default_store``).
_STORE_ENV = "POLICYKG_STORE"
_DEFAULT = ".policykg"
_MANIFEST = "manifest.json"
_RECORDS = "records"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = quick_who(args)
        if code is None:
            code = quick_duties(args)
    except KeyboardInterrupt:  # as cli.main: one line, exit 130
        _silence_stdout()
        sys.stderr.write("policykg: interrupted\n")
        return 130
    if code is not None:
        return code
    from policykg.cli import main as full

    return full(args)


def _scan(args: list[str], options: tuple[str, ...], flags: tuple[str, ...] = ()
          ) -> tuple[list[list[str]], dict[str, str]] | None:
    """The runs of positional words and the options of a command line made only of
    ``options`` (each once, with a value) and ``flags``; None: the full parser's case."""
    runs: list[list[str]] = []
    found: dict[str, str] = {}
    after_word = False
    rest = iter(args)
    for arg in rest:
        if not arg.startswith("-"):
            if not after_word:
                runs.append([])
            runs[-1].append(arg)
            after_word = True
            continue
        after_word = False
        name, eq, value = arg.partition("=")
        if name not in (*options, *flags) or name in found:
            return None
        if name in flags:
            if eq:
                return None
            found[name] = ""
            continue
        if not eq:
            value = next(rest, "")
            if not value or value.startswith("-"):
                return None
        found[name] = value
    return runs, found


def _parse(args: list[str]) -> tuple[str, str | None, int] | None:
    """(text, --store, --limit) of ``who`` with nothing else; None: the full parser's case."""
    if len(args) < 2 or args[0] != "who":
        return None
    scanned = _scan(args[1:], ("--store", "--limit"))
    # TEXT in two runs (around an option): argparse refuses the second
    if scanned is None or len(scanned[0]) != 1:
        return None
    (text,), options = scanned
    limit = options.get("--limit", "10")
    if not (limit.isascii() and limit.isdigit()):
        return None
    return " ".join(text), options.get("--store"), int(limit)


def _parse_duties(args: list[str]) -> tuple[str, str | None, bool, str | None] | None:
    """(AGENCY, --store, --lead-only, --jurisdiction) of ``duties`` with nothing else; None:
    the full parser's case."""
    if len(args) < 2 or args[0] != "duties":
        return None
    scanned = _scan(args[1:], ("--store", "--jurisdiction"), ("--lead-only",))
    if scanned is None:
        return None
    runs, options = scanned
    agency = [word for run in runs for word in run]
    if len(agency) != 1:
        return None
    return (agency[0], options.get("--store"), "--lead-only" in options,
            options.get("--jurisdiction"))


def _store(named: str | None) -> str | None:
    """The store folder a reader may use at once; None if it needs ``cli`` (to build, to
    recover an interrupted swap, or to say why there is no store)."""
    folder = named or os.environ.get(_STORE_ENV) or _DEFAULT
    path = os.path.abspath(os.path.expanduser(folder))
    name = os.path.basename(path)
    if not name:
        return None
    prefix = f".{name}."
    try:
        siblings = os.listdir(os.path.dirname(path))
    except OSError:
        return None
    if any(n.startswith(prefix) and n[len(prefix):].startswith(("new-", "old-", "nt-"))
           for n in siblings):
        return None  # a swap to finish or undo first (graph.store.recover)
    if not os.path.isfile(os.path.join(path, _MANIFEST)):
        return None
    return path


def quick_who(args: list[str]) -> int | None:
    """Answer ``who`` from the lookup file and return the exit code; None if it cannot."""
    parsed = _parse(args)
    if parsed is None:
        return None
    text, named, limit = parsed
    store = _store(named)
    if store is None:
        return None
    from policykg.loaders import words
    from policykg.lookupindex import LOOKUP, is_noise, read_lookup

    table_path = words.find_table()
    if table_path is None:
        return None
    try:
        table = words.WordTable(table_path)
        try:
            tokens = [w for w in words.cut(text, table) if w and not is_noise(w)]
        finally:
            table.close()
    except (OSError, ValueError):
        return None  # the full path says what is wrong with the table, and reads jieba
    from policykg.loaders.shapes import looks_like_agency

    if any(looks_like_agency("".join(tokens[:k + 1])) or looks_like_agency(w)
           for k, w in enumerate(tokens)):
        return None  # an agency in the query: the registry reads it (api._agency_words)
    index = read_lookup(os.path.join(store, _RECORDS, LOOKUP))
    if index is None:
        return None
    ranked = index.rank(text, tokens, None, limit=limit)
    return _print(text, index, [i for i, _, _, _ in ranked])


def quick_duties(args: list[str]) -> int | None:
    """Answer ``duties`` from the lookup file (the registry names the agency) and return the
    exit code; None if it cannot."""
    parsed = _parse_duties(args)
    if parsed is None:
        return None
    text, named, lead_only, jurisdiction = parsed
    store = _store(named)
    if store is None:
        return None
    from policykg.lookupindex import LOOKUP, read_lookup

    index = read_lookup(os.path.join(store, _RECORDS, LOOKUP))
    if index is None:
        return None
    answer = _answer(text, jurisdiction)
    if answer is None:
        return None  # the store's own agencies may know the name (api._agency_named)
    (agency_id, agency_name, former), within = answer
    name = index.agency_names().get(agency_id, agency_name)
    keys = {name, agency_id, *former}
    rows = index.task_rows(range(len(index)))
    lines: list[str] = []
    total = leads = 0
    docs = index.documents()
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for t in rows:  # in who order: by document, then line, then id
        if within is not None and within not in (t["jurisdiction"] or ""):
            continue  # api._tasks_in: the tasks of documents of that jurisdiction
        if keys.intersection(t["lead"]):
            role = "牵头"
            leads += 1
        elif not lead_only and keys.intersection(t["participants"]):
            role = "参与"
        else:
            continue
        total += 1
        groups.setdefault(str(t["doc_id"]), []).append((role, t))
    from policykg.display import cut

    lines.append(f"{name}: {total} tasks ({leads} as lead) in {len(groups)} documents")
    for doc_id, group in groups.items():
        title, file = docs[doc_id]
        lines += ["", f"{title} [{doc_id}] — {len(group)} tasks"]
        lines += [f"  [{role}] {_source(file, t['start_line'], t['end_line'], t['page'])}  "
                  f"{cut(t['text'], 70)}" for role, t in group]
    return _write(lines)


def _answer(text: str, jurisdiction: str | None) -> tuple[Any, str | None] | None:
    """The agency ``text`` names (id, name, former names) and the jurisdiction to keep tasks
    of; None: the registry does not know it, or something is wrong (the full path says what).

    The answer may be remembered (``loaders.answers``): then the registry is not loaded.
    """
    from policykg.loaders import answers

    key = answers.answers_key()
    asked = text if jurisdiction is None else f"{text}{answers.IN}{jurisdiction}"
    within = None
    if jurisdiction is not None:
        from policykg.folding import normalize

        within = normalize(jurisdiction)
    if key is not None:
        known = answers.find_answer(key, asked)
        if known == answers.UNKNOWN:
            return None  # the registry does not know it: the full path says so
        if known is not None:
            return known, within
    try:
        from policykg.loaders.agencies import default_registry

        found = answers.registry_answer(default_registry(), text, jurisdiction)
    except Exception:  # the full path reports what is wrong, as it always has
        return None
    if found is None:
        return None
    answers.remember(key, [(asked, found)])
    return found, within


def _print(text: str, index: object, hits: list[int]) -> int:
    """Print the hits as ``cli.cmd_who`` does."""
    from policykg.display import cut
    from policykg.lookupindex import TaskIndex

    assert isinstance(index, TaskIndex)
    lines = []
    if not hits:
        lines.append(f"no task matches {text!r}")
    docs = index.documents() if hits else {}
    for rank, t in enumerate(index.task_rows(hits), 1):
        title, file = docs[t["doc_id"]]
        collective = f"  (+{'、'.join(t['collective'])})" if t["collective"] else ""
        lines += [
            f"{rank}. {cut(t['text'], 100)}",
            f"   lead: {'、'.join(t['lead']) or '—'}",
            f"   participants: {'、'.join(t['participants']) or '—'}{collective}",
            f"   document: {title} [{t['doc_id']}]",
            f"   section: {' > '.join(t['section']) or '—'}",
            f"   source: {_source(file, t['start_line'], t['end_line'], t['page'])}  {t['raw']}",
        ]
    return _write(lines)


def _write(lines: list[str]) -> int:
    """Write the lines to stdout as ``cli.main`` does (a closed pipe quietly, exit 0)."""
    try:
        sys.stdout.write("".join(line + "\n" for line in lines))
        sys.stdout.flush()
    except BrokenPipeError:  # `policykg who … | head`: as cli.main, quietly
        _silence_stdout()
    except OSError as e:  # a full disk: as cli.main, one line, exit 2
        _silence_stdout()
        from policykg.errors import Errors  # only on this path: the cold path stays light

        sys.stderr.write(f"policykg: error: {Errors.M001.format(reason=e.strerror or e)}\n")
        return 2
    return 0


def _source(file: str, start: int, end: int, page: int | None) -> str:
    """``cli._source``: the file's name (``pathlib``'s), its PDF page, then the line span."""
    name = os.path.basename(file.rstrip("/")) if file.strip("/") else ""
    where = name + (f":p{page}" if page is not None else "")
    return f"{where}:{start}" + (f"-{end}" if end != start else "")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
