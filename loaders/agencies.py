"""The agency registry: canonical names, aliases, levels, parents, and names resolved in a
document's jurisdiction.

The registry is data (``loaders/lexicons/agencies.toml``, read with :mod:`tomllib`).  Local
bureaus are written once as templates (发展改革委 → ``{name}发展和改革委员会``) and exist in
every jurisdiction of part 4 whose kind they fit, so that 自治区发展改革委 in a Ningxia
document and 市发改委 in a Ningbo document each resolve to their own bureau.

Must not import rdflib, networkx, pyvis, spaCy or jieba, nor ``loaders.nlp`` (which imports this).
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from policykg.errors import RegistryError
from policykg.records import Agency, Document, Level, Span

__all__ = [
    "DEFAULT_REGISTRY",
    "Jurisdiction",
    "Registry",
    "document_jurisdiction",
    "load_registry",
    "select_agencies",
]

logger = logging.getLogger(__name__)

#: The registry file shipped with the package.
DEFAULT_REGISTRY = "agencies.toml"

_KINDS = frozenset({"province", "region", "city"})
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

@dataclass(frozen=True, slots=True, kw_only=True)
class Jurisdiction:
    """A province, autonomous region or city whose documents name bureaus relatively."""

    id: str
    name: str
    kind: str
    level: Level
    short: tuple[str, ...]
    prefixes: tuple[str, ...]
    parent: str | None = None


class Registry:
    """The agencies of the registry file with their alias indexes."""

    __slots__ = (
        "_absolute",
        "_by_id",
        "_by_name",
        "_jur_by_id",
        "_relative",
        "agencies",
        "collective_patterns",
        "corrections",
        "jurisdictions",
        "path",
    )

    def __init__(
        self,
        *,
        path: str,
        agencies: Iterable[Agency],
        jurisdictions: Iterable[Jurisdiction],
        relative: Mapping[str, Mapping[str, Agency]],
        absolute: Mapping[str, Agency],
        collective_patterns: Iterable[re.Pattern[str]],
        corrections: Iterable[tuple[str, str]],
    ) -> None:
        self.path = path
        self.agencies: tuple[Agency, ...] = tuple(agencies)
        self.jurisdictions: tuple[Jurisdiction, ...] = tuple(jurisdictions)
        self.collective_patterns: tuple[re.Pattern[str], ...] = tuple(collective_patterns)
        self.corrections: tuple[tuple[str, str], ...] = tuple(corrections)
        self._relative = {k: dict(v) for k, v in relative.items()}
        self._absolute = dict(absolute)
        self._by_id = {a.id: a for a in self.agencies}
        self._by_name = {a.name: a for a in self.agencies}
        self._jur_by_id = {j.id: j for j in self.jurisdictions}

    def __repr__(self) -> str:
        return f"Registry({self.path!r}, {len(self.agencies)} agencies)"

    def get(self, agency_id: str) -> Agency | None:
        """Return the agency with this id, or None."""
        return self._by_id.get(agency_id)

    def by_name(self, name: str) -> Agency | None:
        """Return the agency with this canonical name, or None."""
        return self._by_name.get(name)

    def jurisdiction(self, key: str | None) -> Jurisdiction | None:
        """Return the jurisdiction with this id, full name or short form, or None."""
        if not key:
            return None
        if key in self._jur_by_id:
            return self._jur_by_id[key]
        for j in self.jurisdictions:
            if key == j.name or key in j.short:
                return j
        return None

    def names(self) -> Iterator[str]:
        """Yield every canonical name and alias of the registry (for the segmenter)."""
        seen: set[str] = set()
        for a in self.agencies:
            for n in (a.name, *a.aliases):
                if n not in seen:
                    seen.add(n)
                    yield n

    def is_collective(self, name: str) -> bool:
        """Whether ``name`` is a group phrase (各有关部门, 地方各级人民政府 …), not one agency."""
        return any(p.search(name) for p in self.collective_patterns)

    def resolve(self, name: str, jurisdiction: str | None = None) -> Agency | None:
        """Return the agency ``name`` denotes in ``jurisdiction`` (id or name), or None.

        Relative names (发展改革委, 自治区发展改革委, 省经信厅) are looked up in the
        jurisdiction first; absolute names (国家发展改革委, 宁夏税务局, full names) anywhere.
        """
        key = _normalize(name)
        if not key:
            return None
        j = self.jurisdiction(jurisdiction)
        if j is not None:
            found = self._relative.get(j.id, {}).get(key)
            if found is not None:
                return found
        return self._absolute.get(key)


def _normalize(name: str) -> str:
    """Strip spaces, a trailing 等 and stray punctuation from a name as printed."""
    text = re.sub(r"\s+", "", name)
    text = text.strip("、，,。；;：:")
    if text.endswith("等"):
        text = text[:-1]
    return text


# --------------------------------------------------------------------------- loading


def _header_lines(text: str) -> dict[str, list[int]]:
    """Map each array-of-tables name to the 1-based lines of its ``[[name]]`` headers."""
    out: dict[str, list[int]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*\[\[\s*([A-Za-z_]+)\s*\]\]", line)
        if m:
            out.setdefault(m.group(1), []).append(n)
    return out


class _Loader:
    """Builds a :class:`Registry` from the parsed TOML, raising with file:line."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.lines = _header_lines(text)

    def fail(self, table: str, index: int, message: str) -> RegistryError:
        """Return a RegistryError located at the ``index``-th ``[[table]]`` of the file."""
        lines = self.lines.get(table, [])
        line = lines[index] if index < len(lines) else 1
        excerpt = self.text.splitlines()[line - 1] if self.text else ""
        return RegistryError(
            f"bad [[{table}]] entry: {message}",
            Span(file=self.path, start_line=line, end_line=line),
            excerpt,
        )

    def _str(self, table: str, i: int, entry: Mapping[str, Any], key: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(table, i, f"{key!r} must be a non-empty string")
        return value.strip()

    def _opt_str(self, table: str, i: int, entry: Mapping[str, Any], key: str) -> str | None:
        value = entry.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(table, i, f"{key!r} must be a non-empty string")
        return value.strip()

    def _strs(self, table: str, i: int, entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(table, i, f"{key!r} must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def _level(self, table: str, i: int, entry: Mapping[str, Any]) -> Level:
        value = self._str(table, i, entry, "level")
        try:
            return Level(value)
        except ValueError:
            levels = ", ".join(str(v) for v in Level)
            raise self.fail(table, i, f"level {value!r} is not one of {levels}") from None

    def _check_keys(self, table: str, i: int, entry: Mapping[str, Any], allowed: set[str]) -> None:
        extra = sorted(set(entry) - allowed)
        if extra:
            raise self.fail(table, i, f"unknown keys {extra}")

    def build(self, data: Mapping[str, Any]) -> Registry:
        """Validate every entry and build the indexes."""
        unknown = sorted(set(data) - {"jurisdiction", "agency", "template", "collective",
                                      "correction"})
        if unknown:
            raise RegistryError(f"{self.path}: unknown tables {unknown}")
        jurisdictions = self._jurisdictions(data.get("jurisdiction", []))
        jur = {j.id: j for j in jurisdictions}
        agencies: list[Agency] = []
        where: dict[str, tuple[str, int]] = {}
        parents: dict[str, str] = {}
        # alias lists per agency: (relative aliases, absolute aliases)
        rel_aliases: dict[str, tuple[str, ...]] = {}

        for i, entry in enumerate(self._tables(data, "agency")):
            self._check_keys("agency", i, entry,
                             {"id", "name", "aliases", "level", "jurisdiction", "parent"})
            aid = self._str("agency", i, entry, "id")
            if not _ID.match(aid):
                raise self.fail("agency", i, f"id {aid!r} is not an ASCII slug")
            jid = self._opt_str("agency", i, entry, "jurisdiction")
            if jid is not None and jid not in jur:
                raise self.fail("agency", i, f"unknown jurisdiction {jid!r}")
            aliases = self._strs("agency", i, entry, "aliases")
            name = self._str("agency", i, entry, "name")
            if aid in where:
                raise self.fail("agency", i, f"duplicate id {aid!r}")
            parent = self._opt_str("agency", i, entry, "parent")
            if parent is not None:
                parents[aid] = parent
            where[aid] = ("agency", i)
            agencies.append(Agency(
                id=aid, name=name, aliases=_unique(aliases),
                level=self._level("agency", i, entry),
                jurisdiction=jur[jid].name if jid else None, parent=parent))
            rel_aliases[aid] = aliases if jid else ()

        prefixed_only: set[str] = set()
        local_of: dict[str, str] = {a.id: next(j.id for j in jurisdictions
                                               if j.name == a.jurisdiction)
                                    for a in agencies if a.jurisdiction}
        for i, entry in enumerate(self._tables(data, "template")):
            self._check_keys("template", i, entry,
                             {"id", "name", "aliases", "kinds", "jurisdictions", "exclude",
                              "parent", "bare"})
            tid = self._str("template", i, entry, "id")
            if not _ID.match(tid):
                raise self.fail("template", i, f"id {tid!r} is not an ASCII slug")
            pattern = self._str("template", i, entry, "name")
            if "{name}" not in pattern and "{short}" not in pattern:
                raise self.fail("template", i, "name needs a {name} or {short} placeholder")
            aliases = self._strs("template", i, entry, "aliases")
            kinds = set(self._strs("template", i, entry, "kinds"))
            if kinds - _KINDS:
                raise self.fail("template", i, f"unknown kinds {sorted(kinds - _KINDS)}")
            only = self._strs("template", i, entry, "jurisdictions")
            exclude = set(self._strs("template", i, entry, "exclude"))
            for jid in (*only, *exclude):
                if jid not in jur:
                    raise self.fail("template", i, f"unknown jurisdiction {jid!r}")
            if not kinds and not only:
                raise self.fail("template", i, "needs 'kinds' or 'jurisdictions'")
            parent_spec = self._opt_str("template", i, entry, "parent")
            bare_ok = entry.get("bare", True)
            if not isinstance(bare_ok, bool):
                raise self.fail("template", i, "'bare' must be true or false")
            for j in jurisdictions:
                if j.id in exclude or not (j.kind in kinds or j.id in only):
                    continue
                aid = f"{j.id}-{tid}"
                if aid in where:
                    raise self.fail("template", i, f"duplicate agency id {aid!r}")
                where[aid] = ("template", i)
                name = pattern.format(name=j.name, short=j.short[0] if j.short else j.name)
                parent = None
                if parent_spec is not None:
                    parent = (f"{j.id}-{parent_spec[1:-1]}" if parent_spec.startswith("<")
                              else parent_spec)
                    parents[aid] = parent
                forms = _prefixed_forms(j, aliases)
                agencies.append(Agency(
                    id=aid, name=name, aliases=_unique((*aliases, *forms) if bare_ok else forms),
                    level=j.level, jurisdiction=j.name, parent=parent))
                rel_aliases[aid] = aliases
                local_of[aid] = j.id
                if not bare_ok:
                    prefixed_only.add(aid)

        by_id = {a.id: a for a in agencies}
        for aid, parent in parents.items():
            if parent not in by_id:
                table, i = where[aid]
                raise self.fail(table, i, f"parent {parent!r} of {aid!r} is not in the registry")
        names: dict[str, str] = {}
        for a in agencies:
            if a.name in names:
                table, i = where[a.id]
                raise self.fail(table, i, f"name {a.name!r} also belongs to {names[a.name]!r}")
            names[a.name] = a.id

        relative, absolute = self._indexes(agencies, jur, local_of, rel_aliases, where,
                                           prefixed_only)
        patterns = []
        for i, entry in enumerate(self._tables(data, "collective")):
            self._check_keys("collective", i, entry, {"pattern"})
            try:
                patterns.append(re.compile(self._str("collective", i, entry, "pattern")))
            except re.error as e:
                raise self.fail("collective", i, f"bad pattern: {e}") from e
        corrections = []
        for i, entry in enumerate(self._tables(data, "correction")):
            self._check_keys("correction", i, entry, {"line", "raw", "fixed"})
            if not isinstance(entry.get("line"), int):
                raise self.fail("correction", i, "'line' must be an integer")
            corrections.append((self._str("correction", i, entry, "raw"),
                                self._str("correction", i, entry, "fixed")))
        return Registry(path=self.path, agencies=agencies, jurisdictions=jurisdictions,
                        relative=relative, absolute=absolute, collective_patterns=patterns,
                        corrections=corrections)

    def _tables(self, data: Mapping[str, Any], table: str) -> list[Mapping[str, Any]]:
        value = data.get(table, [])
        if not isinstance(value, list):
            raise RegistryError(f"{self.path}: {table!r} must be an array of tables [[{table}]]")
        return value

    def _jurisdictions(self, entries: Any) -> list[Jurisdiction]:
        out: list[Jurisdiction] = []
        for i, entry in enumerate(self._tables({"jurisdiction": entries}, "jurisdiction")):
            self._check_keys("jurisdiction", i, entry,
                             {"id", "name", "kind", "level", "short", "prefixes", "parent"})
            jid = self._str("jurisdiction", i, entry, "id")
            if not _ID.match(jid):
                raise self.fail("jurisdiction", i, f"id {jid!r} is not an ASCII slug")
            kind = self._str("jurisdiction", i, entry, "kind")
            if kind not in _KINDS:
                raise self.fail("jurisdiction", i, f"kind {kind!r} not in {sorted(_KINDS)}")
            if any(j.id == jid for j in out):
                raise self.fail("jurisdiction", i, f"duplicate id {jid!r}")
            out.append(Jurisdiction(
                id=jid, name=self._str("jurisdiction", i, entry, "name"), kind=kind,
                level=self._level("jurisdiction", i, entry),
                short=self._strs("jurisdiction", i, entry, "short"),
                prefixes=self._strs("jurisdiction", i, entry, "prefixes"),
                parent=self._opt_str("jurisdiction", i, entry, "parent")))
        ids = {j.id for j in out}
        for i, j in enumerate(out):
            if j.parent is not None and j.parent not in ids:
                raise self.fail("jurisdiction", i, f"unknown parent {j.parent!r}")
        return out

    def _indexes(
        self,
        agencies: list[Agency],
        jur: Mapping[str, Jurisdiction],
        local_of: Mapping[str, str],
        rel_aliases: Mapping[str, tuple[str, ...]],
        where: Mapping[str, tuple[str, int]],
        prefixed_only: set[str],
    ) -> tuple[dict[str, dict[str, Agency]], dict[str, Agency]]:
        """Build the per-jurisdiction (relative) and global (absolute) alias indexes."""
        relative: dict[str, dict[str, Agency]] = {jid: {} for jid in jur}
        absolute: dict[str, Agency] = {}

        def put(index: dict[str, Agency], alias: str, agency: Agency, strict: bool) -> None:
            other = index.get(alias)
            if other is None:
                index[alias] = agency
            elif other.id != agency.id and strict:
                table, i = where[agency.id]
                raise self.fail(table, i, f"alias {alias!r} of {agency.id!r} is already "
                                          f"an alias of {other.id!r} in the same jurisdiction")

        for a in agencies:
            jid = local_of.get(a.id)
            if jid is None:
                put(absolute, a.name, a, True)
                for alias in a.aliases:
                    put(absolute, alias, a, True)
                continue
            j = jur[jid]
            put(absolute, a.name, a, True)
            bare = rel_aliases[a.id]
            own = () if a.id in prefixed_only else bare
            for form in (*own, *(p + b for p in j.prefixes for b in bare), a.name):
                put(relative[jid], form, a, True)
            for form in (s + b for s in (j.name, *j.short) for b in bare):
                put(absolute, form, a, True)
            # a city's documents name their province's bureaus with the province's prefix
            # (省发展改革委 in a Ningbo plan)
            for child in jur.values():
                if child.parent == jid:
                    for form in (p + b for p in j.prefixes for b in bare):
                        if form not in relative[child.id]:
                            relative[child.id][form] = a
        # curated local aliases (人行南昌中心支行, 银川海关) are also absolute where unique
        for a in agencies:
            if a.id in local_of and where[a.id][0] == "agency":
                for alias in rel_aliases[a.id]:
                    absolute.setdefault(alias, a)
        return relative, absolute


def _prefixed_forms(j: Jurisdiction, aliases: Iterable[str]) -> tuple[str, ...]:
    """Return the relative and short-name forms of local aliases (自治区发改委, 宁夏发改委)."""
    bare = tuple(aliases)
    return tuple(p + b for p in (*j.prefixes, *j.short) for b in bare)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return tuple(seen)


def load_registry(path: Path | None = None) -> Registry:
    """Read and validate the agency registry (the packaged one when ``path`` is None).

    Raises:
        RegistryError: the file is not valid TOML or an entry is malformed (with file:line).
    """
    if path is None:
        ref = resources.files("policykg.loaders").joinpath("lexicons", DEFAULT_REGISTRY)
        text = ref.read_text(encoding="utf-8")
        label = f"loaders/lexicons/{DEFAULT_REGISTRY}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise RegistryError(f"{path}: cannot read the registry: {e}") from e
        label = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        line = int(m.group(1)) if m else 1
        raise RegistryError(f"not valid TOML: {e}",
                            Span(file=label, start_line=line, end_line=line)) from e
    registry = _Loader(label, text).build(data)
    logger.debug("loaded %r", registry)
    return registry


# --------------------------------------------------------------------------- documents


def document_jurisdiction(doc: Document, registry: Registry) -> Jurisdiction | None:
    """Return the jurisdiction a document's relative agency names refer to (None: national).

    Read from ``doc.jurisdiction``, else from a part-4 chapter heading (北京市, 内蒙古), else
    from the title; a city of that province is taken instead when the text speaks of 全市 and
    names the city more than the province (the Ningbo plan in the Zhejiang chapter).
    """
    found: Jurisdiction | None = None
    for key in (doc.jurisdiction, doc.chapter if doc.part == 4 else None, doc.title):
        if not key:
            continue
        found = registry.jurisdiction(key) or _jurisdiction_in(key, registry)
        if found is not None:
            break
    if found is None:
        return None
    text = "".join(p.text for p in doc.paragraphs)
    for child in registry.jurisdictions:
        if child.parent != found.id:
            continue
        own = text.count(child.name)
        if own and own > text.count(found.name) and ("全市" in text or "我市" in text):
            return child
    return found


def _jurisdiction_in(text: str, registry: Registry) -> Jurisdiction | None:
    """Return the jurisdiction a heading or title names at its start (after a 第X章)."""
    head = re.sub(r"^\s*第[一二三四五六七八九十]+章\s*", "", text)
    best: Jurisdiction | None = None
    for j in registry.jurisdictions:
        if any(head.startswith(n) for n in (j.name, *j.short)) and (
            best is None or len(j.name) > len(best.name)
        ):
            best = j
    return best


def select_agencies(registry: Registry, names_or_ids: Iterable[str]) -> list[Agency]:
    """Return the agencies named (canonical name or id) with all their ancestors, sorted by id.

    Use it to keep ``Corpus.agencies`` to the agencies the corpus mentions.
    """
    chosen: dict[str, Agency] = {}
    for key in names_or_ids:
        a = registry.get(key) or registry.by_name(key)
        while a is not None and a.id not in chosen:
            chosen[a.id] = a
            a = registry.get(a.parent) if a.parent else None
    return sorted(chosen.values(), key=lambda a: a.id)
