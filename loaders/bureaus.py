"""Local bureaus of every division: templates (``lexicons/bureaus.toml``) over the map.

A name is read as division + bureau: an explicit division (重庆市生态环境局, 湖北证监局,
杭州市余杭区发改局), a relative prefix of the document's jurisdiction or one above it
(省发展改革委, 市生态环境局, 区机管局), or the bureau alone in the document's own
jurisdiction (发展改革委 in a Chongqing plan).  Agencies are made when first named and kept,
so lookups stay dictionary-fast.

Must not import rdflib, networkx, pyvis, spaCy or jieba, nor ``loaders.agencies`` (which
imports this).
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from policykg.errors import Errors, RegistryError
from policykg.loaders.jurisdictions import AdminMap, Division, admin_map
from policykg.loaders.shapes import looks_like_agency
from policykg.records import Agency, Level

__all__ = ["Branch", "Bureau", "Bureaus", "load_bureaus", "looks_like_agency", "open_world_id",
           "pad_date"]

logger = logging.getLogger(__name__)

_LABEL = "loaders/lexicons/bureaus.toml"
_RANKS = ("province", "municipality", "prefecture", "county")
# the rank's own form first, then the ones above it
_CHAIN = {
    "province": ("province",),
    "municipality": ("municipality", "prefecture", "province"),
    "prefecture": ("prefecture", "province"),
    "county": ("county", "prefecture", "province"),
}
# a division's rank by depth (a municipality's rank is province): a bureau's ``lowest``
_DEPTH = {"province": 0, "prefecture": 1, "county": 2}


@dataclass(frozen=True, slots=True, kw_only=True)
class Bureau:
    """A function of local government, present in every division."""

    id: str
    names: Mapping[str, str]
    aliases: tuple[str, ...]
    bare: bool = True
    #: aliases that count only after a division or a prefix, as all of a bare = false one's
    prefixed: frozenset[str] = frozenset()
    #: the lowest rank with a body of its own; a division below it names the nearest one
    #: above that has one (an [[override]] gives a division its own, as ``plan_cities`` gives
    #: the 计划单列市 their 证监局)
    lowest: str = "county"
    parent: str | None = None
    until: str | None = None
    successor: str | None = None

    def form(self, d: Division) -> str:
        """The name's tail (or whole pattern) for a division of ``d``'s rank."""
        rank = "municipality" if d.is_municipality else d.rank
        for r in _CHAIN[rank]:
            if r in self.names:
                return self.names[r]
        return next(iter(self.names.values()))


@dataclass(frozen=True, slots=True, kw_only=True)
class Branch:
    """A vertical body printed with the division inside its name (人行武汉分行)."""

    id: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    canon: Mapping[str, str]
    name: str
    parent: str | None
    bureau: str | None


# Abbreviated zone kinds and their official forms (辽源高新区 -> 辽源高新技术产业开发区).
_ZONE_FORMS = (("高新区", "高新技术产业开发区"), ("经开区", "经济技术开发区"))


def _fill(pattern: str, d: Division, **extra: str) -> str:
    stem = d.stems[0] if d.stems else d.name
    if "{" not in pattern:
        return d.label + pattern
    return pattern.format(label=d.label, stem=stem, name=d.name, **extra)


class Bureaus:
    """The bureau templates, branch forms and zone rules, with the agencies made so far."""

    __slots__ = (
        "_former",
        "_made",
        "amap",
        "below",
        "branches",
        "bureaus",
        "by_alias",
        "committee",
        "known",
        "outside",
        "overrides",
        "zone_suffixes",
    )

    def __init__(self, bureaus: Iterable[Bureau], branches: Iterable[Branch],
                 zone_suffixes: Iterable[str], committee: Iterable[str], amap: AdminMap,
                 overrides: Mapping[tuple[str, str], str] | None = None,
                 below: Mapping[tuple[str, str], str] | None = None,
                 outside: Iterable[str] = ()) -> None:
        self.amap = amap
        #: the codes of the divisions no template serves ([outside]) and of those inside them
        self.outside: frozenset[str] = _with_descendants(amap, outside)
        self.overrides = dict(overrides or {})
        self.below = dict(below or {})
        self.bureaus = {b.id: b for b in bureaus}
        self.branches = tuple(branches)
        self.zone_suffixes = tuple(sorted(zone_suffixes, key=len, reverse=True))
        self.committee = tuple(sorted(committee, key=len, reverse=True))
        self.by_alias: dict[str, Bureau] = {}
        for b in self.bureaus.values():
            for a in b.aliases:
                other = self.by_alias.setdefault(a, b)
                if other.id != b.id:
                    raise RegistryError(Errors.V011.format(path=_LABEL, alias=a, id=b.id,
                                                           other=other.id))
        self._made: dict[str, Agency] = {}
        # a renamed bureau by the bureau it became: the new body's predecessor
        self._former = {b.successor: b for b in self.bureaus.values() if b.successor}
        #: the registry's listed agencies by id and name (``Registry`` sets them): a body the
        #: registry lists is that one, whichever call first asks for it
        self.known: Mapping[str, Agency] = {}

    def __len__(self) -> int:
        return len(self.bureaus)

    def forget_made(self) -> None:
        """Drop the agencies made so far (``Registry.forget_made``)."""
        self._made.clear()

    @property
    def made(self) -> Mapping[str, Agency]:
        """The agencies made so far, by id."""
        return self._made

    def agency(self, d: Division, bureau: Bureau, date: str | None = None,
               known: Mapping[str, Agency] | None = None) -> Agency:
        """The bureau of division ``d`` (its successor when ``date`` is on or after a rename).

        The same body whatever was asked before: a renamed bureau's successor always names
        its predecessor, and a body the registry lists (``known``) is the listed one.
        """
        if known is None:
            known = self.known
        if bureau.until and bureau.successor and date and pad_date(date) >= bureau.until:
            bureau = self.bureaus[bureau.successor]
        d = self._holder(d, bureau)
        aid = f"{d.id}-{bureau.id}"
        if known is not None and aid in known:
            return known[aid]
        made = self._made.get(aid)
        if made is not None:
            return made
        name = _fill(self._form(d, bureau), d, province=self.amap.province(d).label)
        if known is not None and name in known:
            # the registry lists this body under an id of its own (jiangsu-miit)
            return known[name]
        parent = None
        if bureau.parent is not None:
            if bureau.parent.startswith("<"):
                pb = self.bureaus[bureau.parent[1:-1]]
                parent = self.agency(d, pb, date, known).id
            else:
                parent = bureau.parent
        former = self._former.get(bureau.id)
        predecessor = self.agency(d, former, None, known) if former is not None else None
        agency = Agency(
            id=aid, name=name, aliases=_aliases(d, bureau.aliases), level=d.level,
            jurisdiction=d.label, parent=parent,
            predecessor=predecessor.id if predecessor else None,
            since=former.until if former is not None else None)
        self._made[aid] = agency
        return agency

    def successor(self, agency: Agency) -> Agency | None:
        """The body a division's renamed bureau became (银保监局 → 金融监管局), or None."""
        for b in self.bureaus.values():
            if not b.successor or not agency.id.endswith(f"-{b.id}"):
                continue
            key = agency.id[: -len(b.id) - 1]
            d = self.amap.lookup(key)
            if d is not None and d.id == key:
                return self.agency(d, self.bureaus[b.successor])
        return None

    def _holder(self, d: Division, bureau: Bureau) -> Division:
        """The division whose ``bureau`` serves ``d``: ``d`` itself, or, when ``d`` lies below
        the bureau's ``lowest`` rank, the nearest division above it that has one of its own
        (by rank, or by an [[override]]): 证监局 in a Yueyang plan is Hunan's, 深圳市南山区's
        is Shenzhen's."""
        if bureau.lowest == "county":
            return d
        depth = _DEPTH[bureau.lowest]
        for a in (d, *self.amap.ancestors(d)):
            if _DEPTH[a.rank] <= depth or (a.code, bureau.id) in self.overrides:
                return a
        return d

    def _form(self, d: Division, bureau: Bureau) -> str:
        """The name's tail for ``d``: its own override, its province's naming, or the level's."""
        own = self.overrides.get((d.code, bureau.id))
        if own is not None:
            return own
        for a in self.amap.ancestors(d):
            inherited = self.below.get((a.code, bureau.id))
            if inherited is not None:
                return inherited
        return bureau.form(d)

    def zone(self, d: Division, zone: str) -> Agency:
        """The management committee of a development zone of division ``d``."""
        for short, full_form in _ZONE_FORMS:
            if zone.endswith(short):
                zone = zone[: -len(short)] + full_form
                break
        stem = d.stems[0] if d.stems else d.name
        full = zone if self.amap.read_prefix(zone, d) is not None else stem + zone
        name = full + "管理委员会"
        aid = f"{d.id}-zone-{_digest(name)}"
        made = self._made.get(aid)
        if made is None:
            # the alias of the name, not of the form printed first: the same body however
            # it was first named (南昌高新区管委会, or 高新区管委会 in a Nanchang plan)
            made = Agency(id=aid, name=name, aliases=(full + "管委会",), level=d.level,
                          jurisdiction=d.label, parent=self.agency(d, self.bureaus["gov"]).id)
            self._made[aid] = made
        return made

    def branch(self, name: str, home: Division | None, date: str | None,
               known: Mapping[str, Agency] | None) -> Agency | None:
        """A vertical body with the division inside its printed name (人行重庆营管部)."""
        for br in self.branches:
            for before in br.before:
                if not name.startswith(before):
                    continue
                rest = name[len(before):]
                for after in sorted(br.after, key=len, reverse=True):
                    if not rest.endswith(after) or len(rest) <= len(after):
                        continue
                    d = self._division(rest[: -len(after)], home)
                    if d is None or d.code in self.outside:
                        continue
                    if br.bureau is not None:
                        return self.agency(d, self.bureaus[br.bureau], date, known)
                    canon = br.canon.get(after, after)
                    full = _fill(br.name, d, after=canon)
                    # one branch body per printed kind (分行 and its 营业管理部 are two)
                    kinds = {br.canon.get(a, a) for a in br.after}
                    aid = f"{d.id}-{br.id}" + (f"-{_digest(canon)[:6]}" if len(kinds) > 1 else "")
                    made = self._made.get(aid)
                    if made is None:
                        made = Agency(id=aid, name=full, aliases=(name,), level=d.level,
                                      jurisdiction=d.label, parent=br.parent)
                        self._made[aid] = made
                    return made
        return None

    def _division(self, text: str, home: Division | None) -> Division | None:
        head = self.amap.read_prefix(text, home)
        if head is not None and head[1] == len(text):
            return head[0]
        # 人民银行德州市中心支行: a trailing 市/省 of a stem
        if text.endswith(("市", "省")):
            head = self.amap.read_prefix(text[:-1], home)
            if head is not None and head[1] == len(text) - 1:
                return head[0]
        return None

    def read(self, name: str, home: Division | None, date: str | None,
             known: Mapping[str, Agency] | None = None) -> Agency | None:
        """Resolve a local name against ``home`` (the document's division) or its own prefix."""
        found = self.branch(name, home, date, known)
        if found is not None:
            return found
        party = name.startswith("中共")
        text = name[2:] if party else name
        head = self.amap.read_prefix(text, home)
        if head is not None:
            d, end = head
            if d.code in self.outside:
                return None
            rest = text[end:]
            if party and rest and not rest.startswith("委"):
                return None
            return self._tail(d, rest, date, known, explicit=True)
        if party or home is None or home.code in self.outside:
            return None
        for d in (home, *self.amap.ancestors(home)):
            for p in sorted(d.prefixes, key=len, reverse=True):
                if name.startswith(p) and len(name) > len(p):
                    got = self._tail(d, name[len(p):], date, known, explicit=False)
                    if got is not None:
                        return got
        b = self.by_alias.get(name)
        if b is not None and b.bare and name not in b.prefixed and _fits(home, name):
            return self.agency(home, b, date, known)
        zone = self._zone_name(name)
        if zone is not None:
            # 市辽源高新区管委会 (a prefix carried over a list): the zone as printed after it
            for p in sorted(home.prefixes, key=len, reverse=True):
                rest = zone[len(p):]
                if zone.startswith(p) and (self.amap.read_prefix(rest, home)
                                           or self._zone_name(rest) is not None):
                    zone = rest
                    break
            return self.zone(home, zone)
        return None

    def _tail(self, d: Division, rest: str, date: str | None,
              known: Mapping[str, Agency] | None, *, explicit: bool) -> Agency | None:
        if not rest or (rest in ("人民政府", "政府") and explicit):
            # a district or county named in its city's list: its people's government
            return self.agency(d, self.bureaus["gov"], date, known)
        b = self.by_alias.get(rest)
        if b is not None and (explicit or _fits(d, rest)):
            return self.agency(d, b, date, known)
        zone = self._zone_name(rest)
        if zone is not None and explicit:
            # 辽源高新区管委会: the zone keeps the place printed before it
            stem = d.stems[0] if d.stems else d.name
            return self.zone(d, stem + zone)
        return None

    def _zone_name(self, name: str) -> str | None:
        """The zone a management committee's name holds (辽源高新区管委会 -> 辽源高新区)."""
        base = name
        for c in self.committee:
            if base.endswith(c):
                base = base[: -len(c)]
                break
        if len(base) >= 3 and base.endswith(self.zone_suffixes):
            return base
        return None


def _with_descendants(amap: AdminMap, codes: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    todo = [d for d in map(amap.get, codes) if d is not None]
    while todo:
        d = todo.pop()
        out.add(d.code)
        todo.extend(amap.children(d))
    return frozenset(out)


def _fits(d: Division, alias: str) -> bool:
    """A 厅 is a province's (or region's): 经济和信息化厅 in a Chongqing plan is not Chongqing's."""
    return not alias.endswith("厅") or (d.rank == "province" and not d.is_municipality)


def _aliases(d: Division, aliases: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for a in list(aliases)[:3]:
        for p in (d.label, *d.stems):
            out.setdefault(p + a, None)
    return tuple(out)


def pad_date(date: str) -> str:
    """A date as YYYY-MM-DD, the unknown part at its start (2023 -> 2023-01-01)."""
    return date + "-01-01"[len(date) - 4:] if len(date) in (4, 7) else date


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def open_world_id(jurisdiction_id: str | None, name: str) -> str:
    """A stable id for an agency no template knows (from its canonical name)."""
    return f"{jurisdiction_id or 'cn'}-x-{_digest(name)}"


def _strs(entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RegistryError(Errors.V012.format(path=_LABEL, where=where, key=key))
    return tuple(value)


def load_bureaus(amap: AdminMap | None = None) -> Bureaus:
    """Read the packaged bureau templates.

    Raises:
        RegistryError: the file is not valid TOML or an entry is malformed.
    """
    ref = resources.files("policykg.loaders").joinpath("lexicons", "bureaus.toml")
    try:
        data = tomllib.loads(ref.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise RegistryError(Errors.V008.format(path=_LABEL, reason=err)) from err
    bureaus: list[Bureau] = []
    plan: list[Bureau] = []
    for i, e in enumerate(data.get("bureau", [])):
        where = f"[[bureau]] #{i + 1} {e.get('id')!r}"
        names = e.get("name")
        if not isinstance(names, dict) or not names or set(names) - set(_RANKS):
            raise RegistryError(Errors.V012_NAME.format(path=_LABEL, where=where, ranks=_RANKS))
        extra = set(e) - {"id", "name", "aliases", "bare", "prefixed", "lowest", "plan_cities",
                          "parent", "until", "successor"}
        if extra:
            raise RegistryError(Errors.V012_KEYS.format(path=_LABEL, where=where,
                                                        keys=sorted(extra)))
        aliases = _strs(e, "aliases", where)
        prefixed = frozenset(_strs(e, "prefixed", where))
        if prefixed - set(aliases):
            raise RegistryError(Errors.V012_PREFIXED.format(
                path=_LABEL, where=where, names=sorted(prefixed - set(aliases))))
        lowest = e.get("lowest", "county")
        if not isinstance(lowest, str) or lowest not in _DEPTH:
            raise RegistryError(Errors.V012_LOWEST.format(path=_LABEL, where=where,
                                                          ranks=tuple(_DEPTH)))
        bureaus.append(Bureau(id=str(e["id"]), names=dict(names), aliases=aliases,
                              bare=bool(e.get("bare", True)), prefixed=prefixed, lowest=lowest,
                              parent=e.get("parent"), until=e.get("until"),
                              successor=e.get("successor")))
        if e.get("plan_cities"):
            plan.append(bureaus[-1])
    ids = {b.id for b in bureaus}
    for b in bureaus:
        for ref_id in (b.successor, b.parent[1:-1] if b.parent and b.parent[0] == "<" else None):
            if ref_id is not None and ref_id not in ids:
                raise RegistryError(Errors.V013.format(path=_LABEL, id=b.id, ref=ref_id))
    branches = []
    for i, e in enumerate(data.get("branch", [])):
        where = f"[[branch]] #{i + 1} {e.get('id')!r}"
        if e.get("bureau") is not None and e["bureau"] not in ids:
            raise RegistryError(Errors.V013_BRANCH.format(path=_LABEL, where=where,
                                                          bureau=e["bureau"]))
        branches.append(Branch(id=str(e["id"]), before=_strs(e, "before", where),
                               after=_strs(e, "after", where), canon=dict(e.get("canon", {})),
                               name=str(e.get("name", "")), parent=e.get("parent"),
                               bureau=e.get("bureau")))
    zones = data.get("zones", {})
    amap = amap or admin_map()
    outside = _codes(data, "outside", amap)
    overrides: dict[tuple[str, str], str] = {}
    below: dict[tuple[str, str], str] = {}
    # the 计划单列市 have the body of a bureau with `plan_cities` as a province does
    for code in _codes(data, "plan_cities", amap):
        for b in plan:
            overrides[(code, b.id)] = b.names.get("province") or next(iter(b.names.values()))
    for i, e in enumerate(data.get("override", [])):
        where = f"[[override]] #{i + 1}"
        if amap.get(e.get("division")) is None or e.get("bureau") not in ids or not e.get("name"):
            raise RegistryError(Errors.V012_NEEDS.format(path=_LABEL, where=where))
        key = (e["division"], e["bureau"])
        if key in overrides:
            raise RegistryError(Errors.V012_TWICE.format(path=_LABEL, where=where, key=key))
        overrides[key] = str(e["name"])
        if e.get("below"):
            below[key] = str(e["below"])
    return Bureaus(bureaus, branches, _strs(zones, "suffixes", "[zones]"),
                   _strs(zones, "committee", "[zones]"), amap, overrides, below, outside)


def _codes(data: Mapping[str, Any], table: str, amap: AdminMap) -> tuple[str, ...]:
    """The division codes of ``[table]``'s ``divisions``, each on the map."""
    codes = _strs(data.get(table, {}), "divisions", f"[{table}]")
    unknown = sorted(c for c in codes if amap.get(c) is None)
    if unknown:
        raise RegistryError(Errors.V012_CODES.format(path=_LABEL, where=f"[{table}]",
                                                     codes=unknown))
    return codes


def level_of(d: Division | None) -> Level:
    """The level of a division's bodies (OTHER for none)."""
    return d.level if d is not None else Level.OTHER
