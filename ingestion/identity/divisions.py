"""The GB/T 2260 administrative divisions: read a place name at the start of an agency's name.

The table is a dbt seed (gb2260_divisions.csv, with ethnic_groups.csv for the short names of autonomous
divisions: 恩施土家族苗族自治州 → 恩施), made from the division table the cpca package ships; the parser and the
warehouse read the same seed, and cpca is read only to regenerate it (python -m ingestion.identity.divisions).
A name is read as a chain of nested divisions (湖南省 → 长沙市 → 芙蓉区), by full or short name (咸宁 for 咸宁市).
"""

from __future__ import annotations

import csv
import functools
import importlib.util
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.catalogue.seeds import read_seed, seed_path

DIVISIONS_SEED_PATH = seed_path("gb2260_divisions.csv")
DIVISIONS_SEED_HEADER = ("division_code", "division_name", "division_level", "division_kind", "province", "prefecture")

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

    @functools.cached_property
    def _codes_by_prefecture(self) -> Counter[str]:
        return Counter(code[:4] for code in self.names)

    def has_children(self, code: str) -> bool:
        """Whether another division's code starts with this one's first four digits (codes are six digits)."""
        return self._codes_by_prefecture[code[:4]] > (code in self.names)


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
    """The GB/T 2260 table as the dbt seed gb2260_divisions.csv holds it, with its name indexes (read once)."""
    nations = tuple(row["name"] for row in read_seed("ethnic_groups.csv"))
    names = {row["division_code"]: row["division_name"] for row in read_seed("gb2260_divisions.csv")}
    return _indexed(names, nations)


def _indexed(names: dict[str, str], nations: tuple[str, ...]) -> Divisions:
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


def _cpca_resources() -> Path:
    # find_spec locates the installed package without executing cpca/__init__.py (which pulls in pandas).
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("cpca is not installed: its resources/adcodes.csv is the division table")
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


def divisions_from_cpca() -> Divisions:
    """The division table as the cpca package ships it (12-digit codes cut to 6): the source the seeds are made
    from, read only to regenerate or check them."""
    resources = _cpca_resources()
    nations = tuple(line.strip() for line in (resources / "56_nations.csv").read_text(encoding="utf-8").splitlines()
                    if line.strip())
    names: dict[str, str] = {}
    with (resources / "adcodes.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"].strip()
            if name and name not in _PLACEHOLDER_NAMES and not name.endswith("行政区划"):
                names[code] = name
    return _indexed(names, nations)


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


def division_chains(text: str, pos: int, parent: str | None, divisions: Divisions) -> list[list[_Step]]:
    """Every chain of nested divisions spelled from ``pos`` (湖南省 → 长沙市 → 芙蓉区)."""
    chains: list[list[_Step]] = []
    for step in _candidates(text, pos, divisions):
        if parent is not None and not _is_below(step.code, parent, divisions):
            continue
        tails = division_chains(text, pos + len(step.text), step.code, divisions)
        chains.extend([step, *tail] for tail in tails)
        chains.append([step])
    return chains


def pick_chain(text: str, divisions: Divisions) -> tuple[list[_Step] | None, str]:
    """The chain consuming most characters; ties resolved only when one reading clearly wins."""
    chains = division_chains(text, 0, None, divisions)
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


def division_kind(code: str, divisions: Divisions) -> str:
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


def division_rows(divisions: Divisions) -> list[dict[str, str]]:
    """A division table as the dbt seed ``gb2260_divisions.csv`` holds it, one row per division."""
    return [
        {
            "division_code": code,
            "division_name": name,
            "division_level": divisions.level(code),
            "division_kind": division_kind(code, divisions),
            "province": divisions.province_of(code) or "",
            "prefecture": divisions.prefecture_of(code) or "",
        }
        for code, name in sorted(divisions.names.items())
    ]


def write_divisions_seed(path: Path = DIVISIONS_SEED_PATH) -> int:
    """(Re)write the divisions seed and the ethnic-groups seed from the cpca package; returns the number of
    divisions (run: python -m ingestion.identity.divisions)."""
    rows = division_rows(divisions_from_cpca())
    nations = (_cpca_resources() / "56_nations.csv").read_text(encoding="utf-8").split()
    seed_path("ethnic_groups.csv").write_text("name\n" + "\n".join(nations) + "\n", encoding="utf-8")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=DIVISIONS_SEED_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(f"{write_divisions_seed()} divisions written to {DIVISIONS_SEED_PATH}")
