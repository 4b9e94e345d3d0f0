"""Who published a report: resolve an agency name to a stable id, admin level and place.

Resolution order:
0. special zones (``dbt_project/seeds/special_zones.csv``) are read before divisions: a zone's bodies
   (``平潭综合实验区公安局``) take the zone's level and place, not those of the county whose territory the
   zone governs (the short name 平潭 would read them as 平潭县, county);
1. the agency register (``dbt_project/seeds/agency_register.csv``), by exact name or alias, then by the
   same name under its pre-reform spelling (rename rules, below), then by division and body: a name that
   reads as a division followed by the same body as a register entry (``湖北省咸宁市自然资源和规划局``,
   ``咸宁国土资源局`` → the ``咸宁市国土资源局`` entry, division 421200);
2. the GB/T 2260 division table shipped with cpca: division names at the start of the agency
   name (``湖南省长沙市…``, ``咸宁国土资源局``), optionally followed by a township (乡/镇/街道);
3. central bodies (``国家统计局``, ``财政部``, ``国务院办公厅`` …) → national;
4. anything else → other.

Renames are data: ``dbt_project/seeds/agency_rename_rules.csv`` maps a current suffix to its former one
(自然资源和规划局 / 自然资源局 → 国土资源局, 自然资源厅 → 国土资源厅, 自然资源部 → 国土资源部, …, the 2018
institutional reform), so one agency keeps one id across the reform. Agencies outside the register get an
id from their division code and their (pre-reform) body name, so spelling variants of the division
(``湖北省咸宁市财政局``, ``咸宁市财政局``, ``咸宁财政局``) and renames share it; names without a division
reading get an id from their (pre-reform) name.

``division_rows()`` is the division table as the dbt seed ``gb2260_divisions.csv`` holds it (regenerate
with ``python -m ingestion.identity.agencies``; a test keeps the two identical).

Only cpca's data file is read: importing cpca itself pulls in pandas and pyahocorasick (and fails
without setuptools' ``pkg_resources``), which we do not need for a 3,500-row table.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib.util
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingestion.catalogue.seeds import seed_path

REGISTER_PATH = seed_path("agency_register.csv")
RENAME_RULES_PATH = seed_path("agency_rename_rules.csv")
ZONES_PATH = seed_path("special_zones.csv")
DIVISIONS_SEED_PATH = seed_path("gb2260_divisions.csv")
DIVISIONS_SEED_HEADER = ("division_code", "division_name", "division_level", "division_kind", "province", "prefecture")

ADMIN_LEVELS = ("national", "provincial", "prefecture", "county", "township", "other")
_LEVEL_RANK = {"provincial": 0, "prefecture": 1, "county": 2}

# Direct-administered municipalities: the city row (XX0000) is itself provincial-level.
_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})

# Rows of the table that are grouping placeholders, not places anyone signs a report as.
_PLACEHOLDER_NAMES = frozenset({"市辖区", "县"})

# Suffixes dropped to form short names (咸宁市 → 咸宁); longest first so 自治州 wins over 州-less forms.
_SHORT_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
)

# Words that open agency names without naming a place, yet equal a division's short name
# (公安局 is not 公安县, 新华社 is not 新华区, 城关镇 exists in dozens of counties). A short name is
# never accepted where one of these starts.
_GENERIC_WORDS = (
    "公安",
    "新华",
    "港口",
    "城关",
    "和平",
    "解放",
    "前进",
    "东风",
    "红星",
    "红旗",
    "向阳",
    "振兴",
    "太湖流域",
    "台湾事务",
)

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


@dataclass(frozen=True)
class Divisions:
    """The GB/T 2260 table as 6-digit code → name, with name indexes for prefix matching."""

    names: dict[str, str]
    by_full_name: dict[str, tuple[str, ...]] = field(repr=False)
    by_short_name: dict[str, tuple[str, ...]] = field(repr=False)
    max_name_len: int = 0

    def level(self, code: str) -> str:
        # Municipalities (110000 北京市 …) are XX0000 rows too, so they come out provincial.
        if code.endswith("0000"):
            return "provincial"
        if code.endswith("00"):
            return "prefecture"
        return "county"

    def province_of(self, code: str) -> str | None:
        return self.names.get(code[:2] + "0000")

    def prefecture_of(self, code: str) -> str | None:
        if self.level(code) == "provincial":
            return None
        # Municipal districts and 省直辖县级 units have no real XXXX00 row, hence None.
        return self.names.get(code[:4] + "00")

    def has_children(self, code: str) -> bool:
        prefix = code[:4]
        return any(c.startswith(prefix) and c != code for c in self.names)


def _divisions_csv() -> Path:
    # find_spec locates the installed package without executing cpca/__init__.py.
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("cpca is not installed: its resources/adcodes.csv is the division table")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _nation_names(resources: Path) -> tuple[str, ...]:
    path = resources / "56_nations.csv"
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as fh:
        return tuple(line.strip() for line in fh if line.strip())


def _short_names(name: str, nations: tuple[str, ...]) -> list[str]:
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            short = name[: -len(suffix)]
            break
    else:
        return []
    if suffix.startswith("自治"):
        # 恩施土家族苗族自治州 → 恩施, 新疆维吾尔自治区 → 新疆: drop the trailing ethnic names.
        tails = set(nations) | {n[:-1] for n in nations if n.endswith("族") and len(n) >= 3}
        stripped = True
        while stripped:
            stripped = False
            for tail in sorted(tails, key=len, reverse=True):
                if short.endswith(tail) and len(short) - len(tail) >= 2:
                    short = short[: -len(tail)]
                    stripped = True
                    break
    # One-character short names (赵县 → 赵) would match far too much.
    if len(short) < 2:
        return []
    # Autonomous prefectures are usually written 恩施州, 延边州.
    return [short, short + "州"] if suffix == "自治州" else [short]


@functools.cache
def load_divisions() -> Divisions:
    """Read cpca's adcodes.csv once: 12-digit codes are cut to the 6-digit GB/T 2260 code."""
    path = _divisions_csv()
    nations = _nation_names(path.parent)
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"].strip()
            if not name or name in _PLACEHOLDER_NAMES or name.endswith("行政区划"):
                continue
            names[code] = name
    full: dict[str, list[str]] = defaultdict(list)
    short: dict[str, list[str]] = defaultdict(list)
    for code, name in sorted(names.items()):
        full[name].append(code)
        for alias in _short_names(name, nations):
            if alias != name:
                short[alias].append(code)
    return Divisions(
        names=names,
        by_full_name={k: tuple(v) for k, v in full.items()},
        by_short_name={k: tuple(v) for k, v in short.items()},
        max_name_len=max(map(len, names.values())),
    )


@dataclass(frozen=True)
class _Step:
    code: str
    text: str  # the characters matched
    short: bool  # matched by short name


def _candidates(text: str, pos: int, divisions: Divisions) -> list[_Step]:
    """Division names starting at ``pos``; longest first."""
    out: list[_Step] = []
    rest = text[pos:]
    for length in range(min(divisions.max_name_len, len(rest)), 1, -1):
        piece = rest[:length]
        out.extend(_Step(c, piece, False) for c in divisions.by_full_name.get(piece, ()))
        if piece in divisions.by_short_name and not any(
            rest.startswith(w) and len(w) >= length for w in _GENERIC_WORDS
        ):
            out.extend(_Step(c, piece, True) for c in divisions.by_short_name[piece])
    return out


def _is_below(child: str, parent: str, divisions: Divisions) -> bool:
    level = divisions.level(parent)
    if level == "provincial":
        return child[:2] == parent[:2] and child != parent
    if level == "prefecture":
        return child[:4] == parent[:4] and child != parent
    return False


def _chains(text: str, pos: int, parent: str | None, divisions: Divisions) -> list[list[_Step]]:
    """Every chain of nested divisions spelled from ``pos`` (湖南省 → 长沙市 → 芙蓉区)."""
    chains: list[list[_Step]] = []
    for step in _candidates(text, pos, divisions):
        if parent is not None and not _is_below(step.code, parent, divisions):
            continue
        tails = _chains(text, pos + len(step.text), step.code, divisions)
        chains.extend([step, *tail] for tail in tails)
        chains.append([step])
    return chains


def _pick_chain(text: str, divisions: Divisions) -> tuple[list[_Step] | None, str]:
    """The chain consuming most characters; ties resolved only when one reading clearly wins."""
    chains = _chains(text, 0, None, divisions)
    if not chains:
        return None, ""

    def score(chain: list[_Step]) -> tuple[int, int]:
        # More of the name explained first, then fewer short-name guesses.
        return (sum(len(s.text) for s in chain), -sum(s.short for s in chain))

    best = max(map(score, chains))
    tied = [c for c in chains if score(c) == best]
    finals = {c[-1].code for c in tied}
    if len(finals) == 1:
        return tied[0], ""
    # A short name shared by a city and a county (长沙 → 长沙市 / 长沙县) means the higher unit:
    # the lower one keeps its 县/区 suffix in practice. Full-name clashes (朝阳区 in 北京 and 长春)
    # stay unresolved.
    if all(c[-1].short for c in tied):
        top = min(_LEVEL_RANK[divisions.level(code)] for code in finals)
        winners = [c for c in tied if _LEVEL_RANK[divisions.level(c[-1].code)] == top]
        if len({c[-1].code for c in winners}) == 1:
            return winners[0], "highest-level reading"
    names = "/".join(sorted(f"{code} {divisions.names[code]}" for code in finals))
    return None, f"ambiguous division {tied[0][-1].text}: {names}"


def _division_kind(code: str, divisions: Divisions) -> str:
    name, level = divisions.names[code], divisions.level(code)
    if level == "provincial":
        if code in _MUNICIPALITIES:
            return "municipality"
        kinds = {"特别行政区": "SAR", "自治区": "autonomous region", "省": "province"}
    elif level == "prefecture":
        kinds = {
            "自治州": "autonomous prefecture",
            "地区": "prefecture",
            "盟": "league",
            "市": "prefecture-level city",
        }
    else:
        kinds = {
            "自治县": "autonomous county",
            "自治旗": "autonomous banner",
            "林区": "forestry district",
            "特区": "special district",
            "市": "county-level city",
            "县": "county",
            "区": "district",
            "旗": "banner",
        }
    for suffix, kind in kinds.items():
        if name.endswith(suffix):
            return kind
    return f"{level}-level division"


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
    chain, note = _pick_chain(text, divisions)
    if chain is None:
        for prefix in _LEADING_WRAPPERS:
            if name.startswith(prefix):
                text, wrapper = name[len(prefix) :], prefix
                chain, note = _pick_chain(text, divisions)
                break
    if chain is None:
        return None, note

    code = chain[-1].code
    level = divisions.level(code)
    matched = "".join(s.text for s in chain)
    evidence = f"division {code} {divisions.names[code]} ({_division_kind(code, divisions)})"
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
    chains = _chains(text, 0, None, load_divisions())
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


def division_rows() -> list[dict[str, str]]:
    """The GB/T 2260 table as the dbt seed ``gb2260_divisions.csv`` holds it, one row per division."""
    divisions = load_divisions()
    return [
        {
            "division_code": code,
            "division_name": name,
            "division_level": divisions.level(code),
            "division_kind": _division_kind(code, divisions),
            "province": divisions.province_of(code) or "",
            "prefecture": divisions.prefecture_of(code) or "",
        }
        for code, name in sorted(divisions.names.items())
    ]


def write_divisions_seed(path: Path = DIVISIONS_SEED_PATH) -> int:
    """(Re)write the divisions seed from the cpca table; returns the number of rows."""
    rows = division_rows()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=DIVISIONS_SEED_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(f"{write_divisions_seed()} divisions written to {DIVISIONS_SEED_PATH}")
