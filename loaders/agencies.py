"""The agency registry: canonical names, aliases, levels, parents, and names resolved in a
document's jurisdiction.

The registry is data (``loaders/lexicons/agencies.toml``, read with :mod:`tomllib`).  Local
bureaus are written once as templates (发展改革委 → ``{name}发展和改革委员会``) and exist in
every jurisdiction of part 4 whose kind they fit, so that 自治区发展改革委 in a Ningxia
document and 市发改委 in a Ningbo document each resolve to their own bureau.

Must not import rdflib, networkx, pyvis, spaCy or jieba, nor ``loaders.nlp`` (which imports this).
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from policykg.errors import Errors, RegistryError
from policykg.loaders.bureaus import (
    Bureaus,
    load_bureaus,
    looks_like_agency,
    open_world_id,
    pad_date,
)
from policykg.loaders.jurisdictions import (
    Division,
    Evidence,
    EvidenceKind,
    admin_map,
    decide_jurisdiction,
)
from policykg.records import Agency, Document, Level, Span

__all__ = [
    "DEFAULT_REGISTRY",
    "Jurisdiction",
    "Registry",
    "default_registry",
    "document_jurisdiction",
    "load_registry",
    "select_agencies",
    "with_ancestors",
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
        "_bureaus",
        "_by_id",
        "_by_name",
        "_jur_by_id",
        "_known",
        "_made_jur",
        "_open",
        "_relative",
        "_successor",
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
        self._successor = {a.predecessor: a for a in self.agencies if a.predecessor}
        self._known: dict[str, Agency] = {**self._by_name, **self._by_id}
        self._bureaus: Bureaus | None = None
        self._open: dict[str, Agency] = {}
        self._made_jur: dict[str, Jurisdiction] = {}

    @property
    def bureaus(self) -> Bureaus:
        """The bureau templates over the administrative map (read on first use)."""
        if self._bureaus is None:
            self._bureaus = load_bureaus()
            self._bureaus.known = self._known
        return self._bureaus

    def forget_made(self) -> None:
        """Drop the agencies made so far (templates, open world): what the next document
        names is made from its own words, whatever this process read before."""
        self._open.clear()
        if self._bureaus is not None:
            self._bureaus.forget_made()

    def made(self) -> tuple[Agency, ...]:
        """The agencies made from templates or the open world so far, sorted by id."""
        made = dict(self.bureaus.made) if self._bureaus is not None else {}
        made.update(self._open)
        return tuple(made[k] for k in sorted(made))

    def __repr__(self) -> str:
        return f"Registry({self.path!r}, {len(self.agencies)} agencies)"

    def get(self, agency_id: str) -> Agency | None:
        """Return the agency with this id (listed, made from a template or open-world)."""
        found = self._by_id.get(agency_id)
        if found is None and self._bureaus is not None:
            found = self._bureaus.made.get(agency_id)
        return found or self._open.get(agency_id)

    def by_name(self, name: str) -> Agency | None:
        """Return the agency with this canonical name, or None."""
        found = self._by_name.get(name)
        if found is None:
            found = next((a for a in self.made() if a.name == name), None)
        return found

    def jurisdiction(self, key: str | None) -> Jurisdiction | None:
        """Return the jurisdiction with this id, full name or short form, or None.

        Besides the registry's own jurisdictions, every division of the administrative map
        (by code, id, name or label: 重庆市, cn500000, 上海市浦东新区).
        """
        if not key:
            return None
        if key in self._jur_by_id:
            return self._jur_by_id[key]
        for j in self.jurisdictions:
            if key == j.name or key in j.short:
                return j
        d = self.division(key)
        return self._as_jurisdiction(d) if d is not None else None

    def division(self, key: str | None) -> Division | None:
        """Return the division of the administrative map ``key`` names, or None."""
        if not key:
            return None
        amap = admin_map()
        j = self._jur_by_id.get(key)
        if j is not None:
            key = j.name
        return amap.lookup(key)

    def _as_jurisdiction(self, d: Division) -> Jurisdiction:
        j = self._jur_by_id.get(d.id) or self._made_jur.get(d.id)
        if j is None:
            parent = admin_map().parent(d)
            kind = {"自治区": "region", "省": "province"}.get(d.type, "city")
            j = Jurisdiction(id=d.id, name=d.label, kind=kind, level=d.level,
                             short=(*d.stems, *d.short), prefixes=d.prefixes,
                             parent=parent.id if parent else None)
            self._made_jur[d.id] = j
        return j

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

    def resolve(
        self,
        name: str,
        jurisdiction: str | None = None,
        date: str | None = None,
        *,
        open_world: bool = False,
    ) -> Agency | None:
        """Return the agency ``name`` denotes in ``jurisdiction`` at ``date``, or None.

        Args:
            name: as printed (发展改革委, 省经信厅, 重庆市生态环境局, 人行武汉分行, 交通部).
            jurisdiction: the document's (id, name, label or code of any division); None for
                a national document.
            date: the document's date (YYYY, YYYY-MM or YYYY-MM-DD); a body renamed on or
                before it is its successor (银保监会 in 2023-06 -> 国家金融监督管理总局).
            open_world: a name that looks like a body's but that nothing knows becomes an
                agency of the jurisdiction flagged ``unresolved`` instead of None.

        The document's own jurisdiction comes first: relative names and bare bureau names
        (发展改革委, 国资委, 能源局) are its bodies; national names (国家发展改革委, 生态环境部)
        and explicit ones (江西省发改委) resolve anywhere.
        """
        key = _normalize(name)
        if not key:
            return None
        j = self.jurisdiction(jurisdiction)
        found: Agency | None = None
        if j is not None:
            found = self._relative.get(j.id, {}).get(key)
        home = self.division(j.id) if j is not None else None
        if found is None and key not in self.bureaus.by_alias:
            # a full or explicit name the registry lists (国家发展改革委, 江苏工信厅)
            found = self._absolute.get(key)
        if found is None:
            found = self.bureaus.read(key, home, date, self._known)
        if found is None:
            found = self._absolute.get(key)
        if found is None and open_world and not self.is_collective(key) and (
            looks_like_agency(key)
        ):
            found = self._open_agency(key, home)
        if found is not None and date:
            found = self._dated(found, date)
        return found

    def query(self, text: str, jurisdiction: str | None = None) -> Agency | None:
        """The agency a user's query names, under its current name.

        Any alias with or without its jurisdiction (江西省发改委, 江西省发展改革委, 宁波市发改委;
        发改委 with ``jurisdiction`` 江西); a bare bureau name with no jurisdiction is the
        national body (能源局 -> 国家能源局); a former name is its successor (交通部 -> 交通运输部).
        """
        found = self.resolve(text, jurisdiction)
        return self._dated(found, "9999-12-31") if found is not None else None

    def lineage(self, agency: Agency) -> tuple[Agency, ...]:
        """``agency`` with the bodies it was renamed from and into, oldest first."""
        first = agency
        seen = {agency.id}
        while first.predecessor and first.predecessor not in seen:
            prev = self.get(first.predecessor)
            if prev is None:
                break
            seen.add(prev.id)
            first = prev
        out = [first]
        nxt = self._next(first)
        while nxt is not None and nxt.id not in {a.id for a in out}:
            out.append(nxt)
            nxt = self._next(nxt)
        if agency.id not in {a.id for a in out}:
            out.append(agency)
        return tuple(out)

    def unit(self, body: Agency, name: str) -> Agency:
        """An internal unit (气候处, 宣教中心) of ``body``, the department issuing a document."""
        full = body.name + name
        aid = f"{body.id}-unit-{open_world_id(None, full).rsplit('-', 1)[1]}"
        made = self._open.get(aid)
        if made is None:
            made = Agency(id=aid, name=full, aliases=(name,), level=body.level,
                          jurisdiction=body.jurisdiction, parent=body.id)
            self._open[aid] = made
        return made

    def _dated(self, agency: Agency, date: str) -> Agency:
        """Follow renames up to ``date`` (交通部 in 2021 -> 交通运输部)."""
        seen = {agency.id}
        nxt = self._next(agency)
        day = pad_date(date)
        while nxt is not None and nxt.since is not None and day >= nxt.since \
                and nxt.id not in seen:
            agency = nxt
            seen.add(agency.id)
            nxt = self._next(agency)
        return agency

    def _next(self, agency: Agency) -> Agency | None:
        """The body ``agency`` was renamed into: a listed one, or its bureau's successor in
        its division (the same answer whether or not the templates were read before)."""
        nxt = self._successor.get(agency.id)
        if nxt is None and not agency.unresolved:
            nxt = self.bureaus.successor(agency)
        return nxt

    def _open_agency(self, key: str, home: Division | None) -> Agency:
        """An agency no template knows, in the document's jurisdiction, flagged unresolved."""
        amap = admin_map()
        name = key
        where = home
        head = amap.read_prefix(key, home)
        if head is not None:
            where = head[0]
        elif home is not None:
            for d in (home, *amap.ancestors(home)):
                p = next((p for p in sorted(d.prefixes, key=len, reverse=True)
                          if key.startswith(p) and len(key) > len(p) + 1), None)
                if p is not None:
                    name, where = d.label + key[len(p):], d
                    break
            else:
                # a relative prefix of no division above the document (省… in a Chongqing
                # plan written with Sichuan) stays as printed
                relative = key.startswith(("省", "市", "区", "县", "州", "盟", "旗", "自治区"))
                national = key.startswith(("中国", "国家", "全国", "中华", "中共", "中铁", "国网"))
                # an enterprise is not a body of the jurisdiction (中铁兰州局集团公司)
                company = key.endswith(_COMPANY_TAILS)
                if not (relative or national or company):
                    name = home.label + key
        aid = open_world_id(where.id if where else None, name)
        made = self._open.get(aid)
        if made is None:
            made = Agency(id=aid, name=name, aliases=(key,) if key != name else (),
                          level=where.level if where else Level.OTHER,
                          jurisdiction=where.label if where else None, parent=None,
                          unresolved=True)
            self._open[aid] = made
        return made


_COMPANY_TAILS = ("公司", "集团", "交易所", "车务段", "银行", "分行", "支行", "协会", "学会",
                  "研究会", "机场")


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
            Errors.V010.format(table=table, message=message),
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
            raise RegistryError(Errors.V010_TABLES.format(path=self.path, tables=unknown))
        jurisdictions = self._jurisdictions(data.get("jurisdiction", []))
        jur = {j.id: j for j in jurisdictions}
        agencies: list[Agency] = []
        where: dict[str, tuple[str, int]] = {}
        parents: dict[str, str] = {}
        # alias lists per agency: (relative aliases, absolute aliases)
        rel_aliases: dict[str, tuple[str, ...]] = {}

        for i, entry in enumerate(self._tables(data, "agency")):
            self._check_keys("agency", i, entry,
                             {"id", "name", "aliases", "level", "jurisdiction", "parent",
                              "predecessor", "since"})
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
                jurisdiction=jur[jid].name if jid else None, parent=parent,
                predecessor=self._opt_str("agency", i, entry, "predecessor"),
                since=self._opt_str("agency", i, entry, "since")))
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
        for a in agencies:
            if a.predecessor is not None and a.predecessor not in by_id:
                table, i = where[a.id]
                raise self.fail(table, i, f"predecessor {a.predecessor!r} is not in the registry")
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
            raise RegistryError(Errors.V010_ARRAY.format(path=self.path, table=table))
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


@functools.cache
def default_registry() -> Registry:
    """The packaged registry, read once per process (for queries: ``who``, ``duties``)."""
    return load_registry()


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
            raise RegistryError(Errors.V009.format(path=path, reason=e)) from e
        label = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        line = int(m.group(1)) if m else 1
        raise RegistryError(Errors.V008_AT.format(reason=e),
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
    if found is None and not doc.jurisdiction:
        found = _printed_jurisdiction(doc, registry)
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


def _printed_jurisdiction(doc: Document, registry: Registry) -> Jurisdiction | None:
    """The jurisdiction the document's issuers, title or 文号 name (None: national or none)."""
    evidence = [Evidence(kind=EvidenceKind.ISSUER, text=i) for i in doc.issuers]
    evidence.append(Evidence(kind=EvidenceKind.TITLE, text=doc.title))
    if doc.doc_number:
        evidence.append(Evidence(kind=EvidenceKind.DOC_NUMBER, text=doc.doc_number))
    if doc.part is None and doc.paragraphs:
        # a document read on its own (not a compilation's): short lines at its head and foot
        # that name a body (上海市机关事务管理局 at a sign-off, …人民政府文件 as letterhead)
        paras = doc.paragraphs
        for kind, chosen in ((EvidenceKind.LETTERHEAD, paras[:8]),
                             (EvidenceKind.SIGNOFF, paras[-6:])):
            for p in chosen:
                text = re.sub(r"\s+", "", p.text)
                if len(text) <= 40 and (looks_like_agency(text) or text.endswith("文件")):
                    evidence.append(Evidence(kind=kind, text=text))
                elif kind == EvidenceKind.LETTERHEAD and len(text) <= 80 and re.search(
                        r"(?:人民政府|办公厅|办公室|委员会|厅|局)(?:关于|印发)", text):
                    # a title line the header did not take (北海市人民政府印发…的通知)
                    evidence.append(Evidence(kind=EvidenceKind.TITLE, text=text))
        evidence.append(Evidence(kind=EvidenceKind.BODY, text="".join(p.text for p in paras)))
    finding = decide_jurisdiction(evidence)
    if finding is None or finding.division is None:
        return None
    return registry.jurisdiction(finding.division.code)


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


def with_ancestors(find: Callable[[str], Agency | None],
                   keys: Iterable[str]) -> tuple[Agency, ...]:
    """The agencies ``find`` gives for ``keys`` with the parents and predecessors they hang
    from (found the same way), sorted by id; keys ``find`` knows nothing of are left out."""
    chosen: dict[str, Agency] = {}
    todo = [find(key) for key in keys]
    while todo:
        a = todo.pop()
        if a is None or a.id in chosen:
            continue
        chosen[a.id] = a
        # parents, and the bodies renamed into this one (the graph links them)
        todo += [find(k) for k in (a.parent, a.predecessor) if k]
    return tuple(chosen[k] for k in sorted(chosen))


def select_agencies(registry: Registry, names_or_ids: Iterable[str]) -> list[Agency]:
    """Return the agencies named (canonical name or id) with their ancestors and predecessors.

    Use it to keep ``Corpus.agencies`` to the agencies the corpus mentions.
    """
    return list(with_ancestors(lambda k: registry.get(k) or registry.by_name(k), names_or_ids))
