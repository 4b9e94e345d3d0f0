"""Who published a report: resolve an agency name to a stable id, admin level and place.

Resolution order:
0. special zones (``dbt_project/seeds/special_zones.csv``) are read before divisions: a zone's bodies
   (``平潭综合实验区公安局``) take the zone's level and place, not those of the county whose territory the
   zone governs (the short name 平潭 would read them as 平潭县, county);
1. the agency register (``dbt_project/seeds/agency_register.csv``), by exact name or alias, then by the
   same name under its pre-reform spelling (rename rules, below), then by division and body: a name that
   reads as a division followed by the same body as a register entry (``湖北省咸宁市自然资源和规划局``,
   ``咸宁国土资源局`` → the ``咸宁市国土资源局`` entry, division 421200);
2. the GB/T 2260 division table (``ingestion.identity.divisions``): division names at the start of the agency
   name (``湖南省长沙市…``, ``咸宁国土资源局``), optionally followed by a township (乡/镇/街道);
3. central bodies (``国家统计局``, ``财政部``, ``国务院办公厅`` …) → national;
4. anything else → other.

Renames are data: ``dbt_project/seeds/agency_rename_rules.csv`` maps a current suffix to its former one
(自然资源和规划局 / 自然资源局 → 国土资源局, 自然资源厅 → 国土资源厅, 自然资源部 → 国土资源部, …, the 2018
institutional reform), so one agency keeps one id across the reform. Agencies outside the register get an
id from their division code and their (pre-reform) body name, so spelling variants of the division
(``湖北省咸宁市财政局``, ``咸宁市财政局``, ``咸宁财政局``) and renames share it; names without a division
reading get an id from their (pre-reform) name.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from ingestion.catalogue.seeds import seed_path
from ingestion.identity.divisions import division_chains, division_kind, load_divisions, pick_chain

REGISTER_PATH = seed_path("agency_register.csv")
RENAME_RULES_PATH = seed_path("agency_rename_rules.csv")
ZONES_PATH = seed_path("special_zones.csv")

ADMIN_LEVELS = ("national", "provincial", "prefecture", "county", "township", "other")
# A township-level unit named after the county: "XX镇人民政府", "XX乡", "XX街道办事处", "XX苏木".
_TOWNSHIP_RE = re.compile(
    r"^(?P<unit>[\u4e00-\u9fff]{1,10}?(?:民族乡|乡|镇|苏木|街道))"
    r"(?:人民政府|政府|办事处|工作委员会|党委|人大主席团|$)"
)

# Wrappers that precede a division name without changing whose agency it is.
_LEADING_WRAPPERS = ("中国共产党", "中共", "国家税务总局")

# Central bodies. Prefixed names: 国家统计局, 中国人民银行, 国务院办公厅, 中华人民共和国海关总署 …
_NATIONAL_PREFIXES = (
    "中华人民共和国",
    "中国共产党中央",
    "中共中央",
    "国务院",
    "国家",
    "中国",
    "中央",
    "全国",
    "最高人民",
)
_NATIONAL_PREFIXED_ENDINGS = (
    "部",
    "委员会",
    "委",
    "总局",
    "局",
    "总署",
    "署",
    "办公厅",
    "办公室",
    "院",
    "银行",
    "会",
    "中心",
)
# Unprefixed ministries and administrations: 财政部, 海关总署, 审计署, 税务总局.
_NATIONAL_BARE_RE = re.compile(r"^[\u4e00-\u9fff]{2,12}(?:部|总局|总署|署)$")


@dataclass(frozen=True)
class AgencyInfo:
    agency_id: str  # the register's id when known, else "agy_" + first 12 hex of sha1(canonical name)
    agency_name: str  # canonical Chinese name (register name when matched via an alias)
    admin_level: str  # national | provincial | prefecture | county | township | other
    province: str | None  # "湖北省", "内蒙古自治区", "北京市"; None for national bodies
    prefecture: str | None  # "咸宁市"; None for national/provincial bodies
    division_code: str | None  # 6-digit GB/T 2260 code of the most specific division matched
    evidence: str  # one short line saying which rule matched
    in_register: bool


def _normalize(name: str) -> str:
    # NFKC folds full-width letters/digits/brackets; whitespace inside names is layout noise.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def _hash_id(name: str) -> str:
    return "agy_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class RenameRule:
    """A name ending in ``current_suffix`` is the agency formerly named with ``former_suffix``."""

    rule_id: str
    current_suffix: str
    former_suffix: str


@functools.cache
def load_rename_rules(path: Path = RENAME_RULES_PATH) -> tuple[RenameRule, ...]:
    """The rename rules, longest current suffix first (自然资源和规划局 before 自然资源局)."""
    if not path.exists():
        return ()
    with path.open(encoding="utf-8", newline="") as fh:
        rules = [
            RenameRule(row["rule_id"].strip(), _normalize(row["current_suffix"]), _normalize(row["former_suffix"]))
            for row in csv.DictReader(fh)
        ]
    return tuple(sorted(rules, key=lambda r: (-len(r.current_suffix), r.rule_id)))


def former_name(name: str) -> tuple[str, RenameRule | None]:
    """The pre-reform spelling of a name (咸宁市自然资源和规划局 → 咸宁市国土资源局), and the rule used."""
    for rule in load_rename_rules():
        if name.endswith(rule.current_suffix):
            return name[: -len(rule.current_suffix)] + rule.former_suffix, rule
    return name, None


@dataclass(frozen=True)
class Zone:
    """A special zone whose level is not its territory's division level (平潭综合实验区: prefecture, on 平潭县)."""

    name: str
    spellings: tuple[str, ...]  # the name and its aliases, longest first
    admin_level: str
    province: str
    prefecture: str | None
    division_code: str | None  # the GB/T 2260 code of the territory it governs; a zone has none of its own


@functools.cache
def load_zones(path: Path = ZONES_PATH) -> tuple[Zone, ...]:
    """The special zones seed, one Zone per row."""
    if not path.exists():
        return ()
    zones = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = _normalize(row["zone_name"])
            aliases = [_normalize(a) for a in row["aliases"].split("|") if a.strip()]
            zones.append(
                Zone(
                    name=name,
                    spellings=tuple(sorted({name, *aliases}, key=len, reverse=True)),
                    admin_level=row["admin_level"].strip(),
                    province=row["province"].strip(),
                    prefecture=row["prefecture"].strip() or None,
                    division_code=row["division_code"].strip() or None,
                )
            )
    return tuple(zones)


def zone_prefix(name: str) -> tuple[Zone, str] | None:
    """The zone a name starts with and the characters that name it (``福建省平潭综合实验区`` included)."""
    for zone in load_zones():
        for spelling in zone.spellings:
            for written in (spelling, zone.province + spelling):
                if name.startswith(written):
                    return zone, written
    return None


@dataclass(frozen=True)
class _Reading:
    """A name read as a division followed by a body (``咸宁市`` + ``国土资源局``)."""

    code: str
    level: str  # provincial | prefecture | county | township
    evidence: str
    key: str  # "<division code>|<wrapper><pre-reform body>": the same agency whatever the spelling
    rule: RenameRule | None
    zone: Zone | None = None  # read as a special zone: province and prefecture come from the zone


def _zone_reading(name: str) -> _Reading | None:
    """A name read as a special zone followed by a body (``平潭综合实验区`` + ``公安局``), or None."""
    texts = [(name, ""), *((name[len(p) :], p) for p in _LEADING_WRAPPERS if name.startswith(p))]
    for text, wrapper in texts:
        hit = zone_prefix(text)
        if hit is None:
            continue
        zone, written = hit
        body = text[len(written) :]
        level = zone.admin_level
        evidence = f"special zone {zone.name} ({zone.admin_level}-level"
        if zone.division_code:
            evidence += f", on division {zone.division_code} {load_divisions().names.get(zone.division_code, '?')}"
        evidence += ")"
        if wrapper:
            evidence += f", after {wrapper}"
        if (township := _TOWNSHIP_RE.match(body)) is not None:
            level = "township"
            evidence = f"township {township['unit']} under {evidence}"
        former_body, rule = former_name(body)
        # The zone's name is part of the key, so 平潭综合实验区公安局 and 平潭县公安局 stay two agencies.
        key = f"{zone.division_code or ''}|{zone.name}|{wrapper}{former_body}"
        return _Reading(zone.division_code or "", level, evidence, key, rule, zone)
    return None


def _division_reading(name: str) -> tuple[_Reading | None, str]:
    """The division reading of a name, or None and why not (empty when nothing matched)."""
    zone = _zone_reading(name)
    if zone is not None:
        return zone, ""
    divisions = load_divisions()
    text, wrapper = name, ""
    chain, note = pick_chain(text, divisions)
    if chain is None:
        for prefix in _LEADING_WRAPPERS:
            if name.startswith(prefix):
                text, wrapper = name[len(prefix) :], prefix
                chain, note = pick_chain(text, divisions)
                break
    if chain is None:
        return None, note

    code = chain[-1].code
    level = divisions.level(code)
    matched = "".join(s.text for s in chain)
    evidence = f"division {code} {divisions.names[code]} ({division_kind(code, divisions)})"
    shorts = [s.text for s in chain if s.short]
    if shorts:
        evidence += f" via short name {'+'.join(shorts)}"
    if note:
        evidence += f", {note}"
    if wrapper:
        evidence += f", after {wrapper}"

    body = text[len(matched) :]
    # Townships hang off a county, or off a prefecture-level city with no counties (东莞市, 中山市).
    if level == "county" or (level == "prefecture" and not divisions.has_children(code)):
        township = _TOWNSHIP_RE.match(body)
        if township:
            level = "township"
            evidence = f"township {township['unit']} under {evidence}"
    former_body, rule = former_name(body)
    return _Reading(code, level, evidence, f"{code}|{wrapper}{former_body}", rule), ""


def _from_divisions(name: str) -> tuple[AgencyInfo | None, str]:
    """The division reading of a name as an agency outside the register, or None and why not."""
    reading, why_not = _division_reading(name)
    if reading is None:
        return None, why_not
    divisions = load_divisions()
    evidence = reading.evidence
    if reading.rule is not None:
        evidence += f", rename rule {reading.rule.rule_id}"
    if reading.zone is not None:
        province, prefecture = reading.zone.province, reading.zone.prefecture
    else:
        province, prefecture = divisions.province_of(reading.code), divisions.prefecture_of(reading.code)
    info = AgencyInfo(
        agency_id=_hash_id(reading.key),
        agency_name=name,
        admin_level=reading.level,
        province=province,
        prefecture=prefecture,
        division_code=reading.code or None,
        evidence=evidence,
        in_register=False,
    )
    return info, ""


@dataclass(frozen=True)
class _Register:
    by_name: dict[str, AgencyInfo]  # normalised name and every alias
    by_division: dict[str, AgencyInfo]  # _Reading.key of the name and every alias


@functools.cache
def _load_register(path: Path = REGISTER_PATH) -> _Register:
    """Register rows keyed by name and alias, and by division reading (division code + body)."""
    register = _Register({}, {})
    if not path.exists():
        return register
    divisions = load_divisions()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = _normalize(row["agency_name"])
            code = row["division_code"].strip() or None
            # Province and prefecture follow from the division code (the GB/T 2260 table); the register may
            # spell them out, and tests/test_agency_register.py keeps the two in agreement.
            province = row["province"].strip() or (divisions.province_of(code) if code else None)
            prefecture = row["prefecture"].strip() or (divisions.prefecture_of(code) if code else None)
            info = AgencyInfo(
                agency_id=row["agency_id"].strip(),
                agency_name=name,
                admin_level=row["admin_level"].strip() or "other",
                province=province,
                prefecture=prefecture,
                division_code=code,
                evidence="register",
                in_register=True,
            )
            names = [name, *filter(None, (_normalize(a) for a in row["aliases"].split("|")))]
            for alias in names:
                register.by_name.setdefault(alias, info)
            for alias in names:
                reading, _ = _division_reading(alias)
                if reading is not None:
                    register.by_division.setdefault(reading.key, info)
    return register


def register_entry(name: str) -> AgencyInfo | None:
    """The register entry a name resolves to (by name, alias, rename rule or division), or None."""
    canonical = _normalize(name)
    register = _load_register()
    hit = register.by_name.get(canonical)
    if hit is not None:
        return hit if hit.agency_name == canonical else replace(hit, evidence=f"register alias {canonical}")
    former, rule = former_name(canonical)
    if rule is not None and former in register.by_name:
        return replace(register.by_name[former], evidence=f"register via rename rule {rule.rule_id}: {former}")
    reading, _ = _division_reading(canonical)
    if reading is not None and reading.key in register.by_division:
        evidence = f"register via division and body {reading.key}: {reading.evidence}"
        if reading.rule is not None:
            evidence += f", rename rule {reading.rule.rule_id}"
        return replace(register.by_division[reading.key], evidence=evidence)
    return None


@functools.cache
def _place_starts() -> frozenset[str]:
    """First two characters of every division name, short name and zone spelling: a cheap pre-check."""
    divisions = load_divisions()
    names = [*divisions.by_full_name, *divisions.by_short_name, *(s for z in load_zones() for s in z.spellings)]
    return frozenset(name[:2] for name in names if len(name) >= 2)


def place_prefix(text: str) -> str:
    """The place a text starts with (a special zone, or nested divisions: 湖北省咸宁市, 咸宁), else ''."""
    if text[:2] not in _place_starts():
        return ""
    if (hit := zone_prefix(text)) is not None:
        return hit[1]
    chains = division_chains(text, 0, None, load_divisions())
    if not chains:
        return ""
    return "".join(step.text for step in max(chains, key=lambda chain: sum(len(s.text) for s in chain)))


def is_central_body(name: str) -> bool:
    """Whether a name reads as a central (national) body: 国土资源部, 国家统计局, 国务院办公厅 …"""
    return _is_national(_normalize(name)) is not None


def _is_national(name: str) -> str | None:
    """Which central-body pattern the name fits, or None."""
    for prefix in _NATIONAL_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) and name.endswith(_NATIONAL_PREFIXED_ENDINGS):
            return f"central body ({prefix}…)"
    if _NATIONAL_BARE_RE.match(name):
        return "central body (ministry/administration)"
    return None


def infer_agency(name: str, *, use_register: bool = True) -> AgencyInfo:
    """Resolve an agency name; ``use_register=False`` shows what the division rules alone give."""
    canonical = _normalize(name)
    if use_register:
        hit = register_entry(canonical)
        if hit is not None:
            return hit

    by_division, why_not = _from_divisions(canonical)
    if by_division is not None:
        return by_division

    # Without a division the id comes from the name, under its pre-reform spelling (自然资源部 = 国土资源部).
    former, rule = former_name(canonical)
    renamed = f", rename rule {rule.rule_id}" if rule is not None else ""
    national = _is_national(canonical)
    if national:
        return AgencyInfo(_hash_id(former), canonical, "national", None, None, None, national + renamed, False)

    return AgencyInfo(
        _hash_id(former), canonical, "other", None, None, None, (why_not or "no rule matched") + renamed, False
    )
