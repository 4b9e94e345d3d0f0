"""The agency register against the GB/T 2260 divisions dataset, and one agency_id across renames and spellings."""

from __future__ import annotations

import csv

import pytest

from ingestion.catalogue.seeds import read_seed
from ingestion.identity.agencies import (
    REGISTER_PATH,
    RENAME_RULES_PATH,
    ZONES_PATH,
    infer_agency,
    load_rename_rules,
    load_zones,
    zone_prefix,
)
from ingestion.identity.divisions import (
    DIVISIONS_SEED_HEADER,
    DIVISIONS_SEED_PATH,
    division_rows,
    divisions_from_cpca,
    load_divisions,
)


def _register_rows() -> list[dict[str, str]]:
    with REGISTER_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _register_rows(), ids=lambda row: row["agency_id"])
def test_register_row_agrees_with_divisions_dataset(row):
    divisions = load_divisions()
    code = row["division_code"]
    if row["admin_level"] == "national":
        assert (code, row["province"], row["prefecture"]) == ("", "", "")
        return
    assert code in divisions.names, f"{code} is not a GB/T 2260 code in the cpca table"
    assert row["province"] == divisions.province_of(code)
    assert row["prefecture"] == (divisions.prefecture_of(code) or "")
    if row["admin_level"] in {"provincial", "prefecture", "county"}:
        # A special zone's level is the zone's own (special_zones.csv), not that of the division it governs.
        zone = zone_prefix(row["agency_name"])
        assert row["admin_level"] == (zone[0].admin_level if zone else divisions.level(code))
    # The canonical name reads as the register's own division (the register is not typed against the table).
    if row["admin_level"] != "other":
        assert infer_agency(row["agency_name"], use_register=False).division_code == code


def test_special_zones_agree_with_divisions_dataset():
    with ZONES_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(load_zones()) == len(rows) >= 1
    divisions = load_divisions()
    for row in rows:
        assert row["admin_level"] in {"provincial", "prefecture", "county", "township"}
        assert row["note"]
        # The zone has no code of its own: it names the division whose territory it governs, and province and
        # prefecture are the table's for that code, as in the register.
        code = row["division_code"]
        assert code in divisions.names
        assert row["province"] == divisions.province_of(code)
        assert row["prefecture"] == (divisions.prefecture_of(code) or "")
        assert row["zone_name"] not in divisions.by_full_name


def test_divisions_seed_is_the_cpca_dataset():
    # dbt and the parser read gb2260_divisions.csv (and ethnic_groups.csv); they must be exactly what the cpca
    # dataset says (regenerate with `python -m ingestion.identity.divisions` after upgrading cpca).
    with DIVISIONS_SEED_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == DIVISIONS_SEED_HEADER
        rows = list(reader)
    cpca = divisions_from_cpca()
    assert rows == division_rows(cpca)
    assert load_divisions().by_short_name == cpca.by_short_name  # the ethnic-groups seed gives the same short names
    assert len(read_seed("ethnic_groups.csv")) == 56
    assert len(rows) > 3000
    by_code = {row["division_code"]: row for row in rows}
    assert by_code["421200"] == {
        "division_code": "421200", "division_name": "咸宁市", "division_level": "prefecture",
        "division_kind": "prefecture-level city", "province": "湖北省", "prefecture": "咸宁市",
    }
    assert (by_code["220581"]["division_level"], by_code["220581"]["prefecture"]) == ("county", "通化市")


def test_register_agencies_do_not_share_a_division_reading():
    # Two register entries resolving to the same (division, body) would make the division match ambiguous.
    keys: dict[tuple[str | None, str], str] = {}
    for row in _register_rows():
        for name in [row["agency_name"], *filter(None, row["aliases"].split("|"))]:
            info = infer_agency(name, use_register=False)
            key = (info.division_code, info.agency_id)
            assert keys.setdefault(key, row["agency_id"]) == row["agency_id"], name


def test_rename_rules_are_read_longest_suffix_first():
    rules = load_rename_rules()
    with RENAME_RULES_PATH.open(encoding="utf-8", newline="") as fh:
        assert len(rules) == len(list(csv.DictReader(fh))) >= 4
    suffixes = [rule.current_suffix for rule in rules]
    assert suffixes.index("自然资源和规划局") < suffixes.index("自然资源局")
    assert all(rule.current_suffix != rule.former_suffix for rule in rules)


@pytest.mark.parametrize(
    ("name", "agency_id"),
    [
        # The register's names and aliases …
        ("咸宁市国土资源局", "xianning_land_resources"),
        ("咸宁市自然资源和规划局", "xianning_land_resources"),
        # … and renamed or respelled names the register never lists, through the rename rules and divisions.
        ("咸宁市自然资源局", "xianning_land_resources"),
        ("湖北省咸宁市自然资源和规划局", "xianning_land_resources"),
        ("湖北省咸宁市国土资源局", "xianning_land_resources"),
        ("咸宁国土资源局", "xianning_land_resources"),
        ("自然资源部", "mnr_national"),
        ("中华人民共和国自然资源部", "mnr_national"),
        ("湖南省自然资源厅", "hunan_land_resources"),
        ("湖南自然资源厅", "hunan_land_resources"),
        ("呼和浩特市自然资源和规划局", "hohhot_land_resources"),
        ("内蒙古自治区呼和浩特市自然资源局", "hohhot_land_resources"),
        ("梅河口市自然资源和规划局", "meihekou_land_resources"),
        ("吉林省梅河口市自然资源局", "meihekou_land_resources"),
        ("江苏省淮安市人民政府", "huaian_government"),
    ],
)
def test_renamed_and_respelled_names_share_the_register_id(name, agency_id):
    info = infer_agency(name)
    assert (info.agency_id, info.in_register) == (agency_id, True)
    assert info.evidence.startswith("register")


def test_renamed_agency_keeps_register_attributes_and_says_why():
    info = infer_agency("湖北省咸宁市自然资源和规划局")
    assert (info.agency_name, info.admin_level, info.province, info.prefecture, info.division_code) == (
        "咸宁市国土资源局", "prefecture", "湖北省", "咸宁市", "421200",
    )
    assert "421200" in info.evidence and "rename rule natural_resources_planning_bureau" in info.evidence


@pytest.mark.parametrize(
    "names",
    [
        # Outside the register: renames and spellings of the division share one id.
        ("包头市国土资源局", "包头市自然资源局", "内蒙古自治区包头市自然资源和规划局", "包头国土资源局"),
        ("湖北省咸宁市财政局", "咸宁市财政局", "咸宁财政局"),
        ("长沙市环境保护局", "长沙市生态环境局", "湖南省长沙市生态环境局"),
        ("环境保护部", "生态环境部"),
        ("农业部", "农业农村部"),
    ],
)
def test_unregistered_renames_and_spellings_share_an_id(names):
    infos = [infer_agency(name) for name in names]
    assert len({info.agency_id for info in infos}) == 1, [(i.agency_name, i.agency_id) for i in infos]
    assert all(info.agency_id.startswith("agy_") and not info.in_register for info in infos)
    assert len({(i.admin_level, i.province, i.prefecture, i.division_code) for i in infos}) == 1
    # Each keeps the name it was printed with.
    assert [info.agency_name for info in infos] == list(names)


def test_unregistered_renamed_agency_is_placed_by_division():
    info = infer_agency("包头市自然资源局")
    assert (info.admin_level, info.province, info.prefecture, info.division_code) == (
        "prefecture", "内蒙古自治区", "包头市", "150200",
    )
    assert info.evidence == "division 150200 包头市 (prefecture-level city), rename rule natural_resources_bureau"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("咸宁市自然资源局", "咸安区自然资源局"),  # the city and one of its districts
        ("长沙市国土资源局", "长沙县国土资源局"),  # the city and the county of the same short name
        ("咸宁市自然资源局", "咸宁市财政局"),  # one division, two agencies
        ("包头市自然资源局", "呼和浩特市自然资源局"),
    ],
)
def test_different_agencies_keep_different_ids(first, second):
    assert infer_agency(first).agency_id != infer_agency(second).agency_id
