"""The registry's answers to agency names, remembered per machine for a cold ``duties``.

``policykg duties NAME`` needs one thing from the registry: which agency ``NAME`` is (its id,
its current name and the names it had before). Loading the registry for that (the record
classes, the TOML lexicons, the map of 3,212 divisions) costs a cold process four times the
rest of the command. The registry's answer to a name depends only on the registry's files, so
it is kept in ``agency-answers-<key>.tsv`` in the cache folder of the word table, ``key``
hashing every file the registry reads and the loaders' code: a changed lexicon or a new
version of policykg starts a new file. After a build every name and alias the registry lists
is answered there (``write_answers``), and so are the names the agencies of a built store go
by (``store_names``: 江西省发改委 for the template body 江西省发展和改革委员会); any other
name (发改委 asked in 宁波) is added the first time a cold ``duties`` asks. A name the registry
does not know is remembered too, as ``UNKNOWN``.

One line per name: the name, the agency's id, its name and its former names, separated by
tabs (no JSON: a cold ``duties`` imports no JSON reader). Standard library only: must not
import the record classes or the registry.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping

from policykg.loaders import words

# typing's import costs a cold `who` ~6 ms; mypy reads any constant named TYPE_CHECKING
TYPE_CHECKING = False

if TYPE_CHECKING:
    from policykg.loaders.agencies import Registry
    from policykg.records import Agency

__all__ = [
    "ANSWERS_VERSION",
    "IN",
    "LISTED",
    "UNKNOWN",
    "Answer",
    "answers_key",
    "find_answer",
    "listed_answers",
    "read_answers",
    "registry_answer",
    "remember",
    "store_answers",
    "store_names",
    "write_answers",
]

#: Bumped when the file's layout or what an answer holds changes.
ANSWERS_VERSION = 1

#: An answer: the agency's id, its current name and its former names, oldest first.
Answer = tuple[str, str, tuple[str, ...]]

#: The entry saying that every listed name is answered (no query holds a NUL character).
LISTED = "\0listed"
#: The answer to a name the registry does not know (no agency id is empty).
UNKNOWN: Answer = ("", "", ())
#: Between a name and the jurisdiction it was asked in (``duties NAME --jurisdiction J``).
IN = "\x1f"


def _registry_files() -> list[str]:
    """Every file a registry answer depends on: the lexicons, the data and the loaders."""
    here = os.path.dirname(os.path.abspath(__file__))
    out: list[str] = []
    for folder in (here, os.path.join(here, "lexicons"), os.path.join(here, "data")):
        with contextlib.suppress(OSError):
            out += sorted(os.path.join(folder, n) for n in os.listdir(folder)
                          if n.endswith((".py", ".toml", ".tsv")))
    return out


def answers_key() -> str | None:
    """The key of the answers of the registry as its files are now (None: unreadable)."""
    return words.files_key(_registry_files(), f"policykg-answers {ANSWERS_VERSION}", "answers")


def _path(folder: str, key: str) -> str:
    return os.path.join(folder, f"agency-answers-{key}.tsv")


def _read(key: str) -> str | None:
    """The text of the answers file of ``key`` in the first cache folder holding one."""
    for folder in words.cache_dirs():
        try:
            with open(_path(folder, key), encoding="utf-8", newline="\n") as f:
                return f.read()
        except (OSError, UnicodeDecodeError):
            continue
    return None


def read_answers(key: str) -> dict[str, Answer]:
    """The answers remembered under ``key`` (empty if none)."""
    out: dict[str, Answer] = {}
    for line in (_read(key) or "").split("\n"):
        fields = line.split("\t")
        if len(fields) >= 3:
            out[fields[0]] = (fields[1], fields[2], tuple(fields[3:]))
    return out


def find_answer(key: str, asked: str) -> Answer | None:
    """The answer remembered under ``key`` to ``asked`` (None: none): the one line found by
    a search of the file, not the whole file read into a dict (it holds the names of every
    store built on the machine)."""
    text = _read(key)
    if text is None or "\n" in asked or "\t" in asked:
        return None
    head = asked + "\t"
    if text.startswith(head):
        at = 0
    else:
        at = text.find("\n" + head) + 1  # 0: not there
        if not at:
            return None
    end = text.find("\n", at)
    fields = text[at:end if end >= 0 else len(text)].split("\t")
    return (fields[1], fields[2], tuple(fields[3:])) if len(fields) >= 3 else None


def write_answers(key: str, answers: Mapping[str, Answer]) -> str | None:
    """Add ``answers`` to those remembered under ``key``; return the file (None: no cache).

    Written whole to a temporary file and renamed: a reader sees the old file or the new one;
    two writers at once may lose one's additions, which a later query adds again.
    """
    merged = {k: v for k, v in {**read_answers(key), **answers}.items()
              if not any("\t" in x or "\n" in x for x in (k, v[0], v[1], *v[2]))}
    text = "".join("\t".join((k, i, n, *f)) + "\n" for k, (i, n, f) in sorted(merged.items()))
    for folder in words.cache_dirs():
        target = _path(folder, key)
        tmp = f"{target}.{os.getpid()}.tmp"
        try:
            os.makedirs(folder, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, target)
            return target
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return None


def remember(key: str | None, pairs: Iterable[tuple[str, Answer]]) -> None:
    """Add answers under ``key``, quietly: a cache that cannot be written is no error."""
    if key is not None:
        with contextlib.suppress(OSError):
            write_answers(key, dict(pairs))


def registry_answer(registry: Registry, text: str, jurisdiction: str | None = None
                    ) -> Answer | None:
    """What the registry answers to ``text`` (``Registry.query``, in ``jurisdiction``)."""
    place = registry.jurisdiction(jurisdiction) if jurisdiction is not None else None
    found = registry.query(text, place.id if place is not None else None)
    if found is None:
        return None
    former = tuple(a.name for a in registry.lineage(found) if a.id != found.id)
    return found.id, found.name, former


def store_names(agencies: Iterable[Agency]) -> dict[str, None]:
    """The names a store's agencies go by, as users ask: each agency's name and aliases, and
    each alias after its jurisdiction's name (江西省 + 发改委)."""
    out: dict[str, None] = {}
    for agency in agencies:
        place = agency.jurisdiction or ""
        for name in (agency.name, *agency.aliases,
                     *(place + a for a in agency.aliases if place and not a.startswith(place))):
            if "\t" not in name and "\n" not in name:
                out.setdefault(name)
    return out


def store_answers(registry: Registry, names: Iterable[str],
                  known: Mapping[str, Answer]) -> dict[str, Answer]:
    """The registry's answers to ``names`` (``store_names``) that ``known`` lacks; a name it
    does not know (北京市 + 市发改委) is answered ``UNKNOWN``."""
    return {name: registry_answer(registry, name) or UNKNOWN
            for name in names if name not in known}


def listed_answers(registry: Registry) -> dict[str, Answer]:
    """The answers to every name and alias the registry lists (and ``LISTED``)."""
    out: dict[str, Answer] = {LISTED: ("", "", ())}
    for name in registry.names():
        answer = registry_answer(registry, name)
        if answer is not None:
            out[name] = answer
    return out
