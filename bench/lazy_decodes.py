"""How many cached JSON texts (documents' sections and paragraphs) a store change decodes.

    python -m bench.lazy_decodes STORE -- add FILE…

Runs ``add`` (or ``remove DOC_ID…``) in this process on a fresh copy of ``STORE`` and counts
the ``recordio.LazyRecords`` that something read, out of those the store's cache gave.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any


def count(store: Path, command: list[str]) -> tuple[int, int, Counter[str]]:
    """(texts decoded, texts held, decodes by the function that asked) for ``command``."""
    from policykg import pipeline, recordio

    made = 0
    read: Counter[str] = Counter()
    real_init, real_get = recordio.LazyRecords.__init__, recordio.LazyRecords._get

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal made
        made += 1
        real_init(self, *args, **kwargs)

    def get(self: Any) -> Any:
        if self._items is None:
            import inspect

            read[inspect.stack()[2].function] += 1
        return real_get(self)

    recordio.LazyRecords.__init__ = init  # type: ignore[method-assign]
    recordio.LazyRecords._get = get  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory(prefix="decodes-", dir=store.parent) as tmp:
            copy = Path(tmp) / "store"
            shutil.copytree(store, copy, symlinks=True)
            verb, *args = command
            if verb == "add":
                pipeline.add_to_store([Path(a) for a in args], copy)
            elif verb == "remove":
                pipeline.remove_from_store(args, copy)
            else:
                raise SystemExit(f"add or remove, not {verb!r}")
    finally:
        recordio.LazyRecords.__init__ = real_init  # type: ignore[method-assign]
        recordio.LazyRecords._get = real_get  # type: ignore[method-assign]
    return sum(read.values()), made, read


def main(argv: list[str] | None = None) -> int:
    """Print the count."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    decoded, held, by = count(args.store.resolve(), command)
    print(f"decoded {decoded} of {held} cached texts; by " +
          ", ".join(f"{k} {v}" for k, v in by.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
