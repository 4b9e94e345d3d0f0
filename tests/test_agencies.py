import csv

import pytest

from ingestion.identity.agencies import REGISTER_PATH, AgencyInfo, infer_agency
from ingestion.identity.divisions import load_divisions

REGISTER_HEADER = [
    "agency_id",
    "agency_name",
    "aliases",
    "admin_level",
    "province",
    "prefecture",
    "division_code",
    "sector",
    "name_en",
]

# (name, agency_id, level, province, prefecture, division_code)
REGISTER_CASES = [
    ("国土资源部", "mnr_national", "national", None, None, None),
    ("湖南省国土资源厅", "hunan_land_resources", "provincial", "湖南省", None, "430000"),
    ("咸宁市国土资源局", "xianning_land_resources", "prefecture", "湖北省", "咸宁市", "421200"),
    ("呼和浩特市国土资源局", "hohhot_land_resources", "prefecture", "内蒙古自治区", "呼和浩特市", "150100"),
    ("梅河口市国土资源局", "meihekou_land_resources", "county", "吉林省", "通化市", "220581"),
    ("淮安市人民政府", "huaian_government", "prefecture", "江苏省", "淮安市", "320800"),
    ("平潭综合实验区管理委员会", "pingtan_management_committee", "prefecture", "福建省", "福州市", "350128"),
]


def test_register_file_is_plain_csv_with_expected_header():
    raw = REGISTER_PATH.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with REGISTER_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == REGISTER_HEADER
        rows = list(reader)
    ids = [r["agency_id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert {case[1] for case in REGISTER_CASES} <= set(ids)
    for row in rows:
        assert row["division_code"] == "" or (
            len(row["division_code"]) == 6 and row["division_code"].isdigit()
        )
        assert row["name_en"]


@pytest.mark.parametrize(("name", "agency_id", "level", "province", "prefecture", "code"), REGISTER_CASES)
def test_register_agencies(name, agency_id, level, province, prefecture, code):
    info = infer_agency(name)
    assert info == AgencyInfo(agency_id, name, level, province, prefecture, code, "register", True)


@pytest.mark.parametrize(
    ("alias", "canonical", "agency_id"),
    [
        ("自然资源部", "国土资源部", "mnr_national"),
        ("中华人民共和国国土资源部", "国土资源部", "mnr_national"),
        ("湖南省自然资源厅", "湖南省国土资源厅", "hunan_land_resources"),
        ("咸宁市自然资源和规划局", "咸宁市国土资源局", "xianning_land_resources"),
        ("呼和浩特市自然资源局", "呼和浩特市国土资源局", "hohhot_land_resources"),
        ("梅河口市自然资源局", "梅河口市国土资源局", "meihekou_land_resources"),
        ("平潭综合实验区", "平潭综合实验区管理委员会", "pingtan_management_committee"),
    ],
)
def test_register_aliases_resolve_to_canonical_name(alias, canonical, agency_id):
    info = infer_agency(alias)
    assert (info.agency_id, info.agency_name, info.in_register) == (agency_id, canonical, True)
    assert info.evidence.startswith("register")


def test_whitespace_and_fullwidth_noise_still_hits_register():
    assert infer_agency(" 咸宁市 国土资源局\n").agency_id == "xianning_land_resources"


@pytest.mark.parametrize(("name", "agency_id", "level", "province", "prefecture", "code"), REGISTER_CASES)
def test_register_rows_agree_with_division_rules(name, agency_id, level, province, prefecture, code):
    # The register must not contradict what the division table (or the list of central bodies) says of the name.
    info = infer_agency(name, use_register=False)
    assert (info.admin_level, info.province, info.prefecture, info.division_code) == (
        level,
        province,
        prefecture,
        code,
    )
    assert not info.in_register


@pytest.mark.parametrize(
    ("name", "level", "province", "prefecture", "code"),
    [
        ("梅河口市财政局", "county", "吉林省", "通化市", "220581"),
        ("咸宁市财政局", "prefecture", "湖北省", "咸宁市", "421200"),
        ("湖南省财政厅", "provincial", "湖南省", None, "430000"),
        ("北京市海淀区人民政府", "county", "北京市", None, "110108"),
        ("呼和浩特市赛罕区人民政府", "county", "内蒙古自治区", "呼和浩特市", "150105"),
        ("北京市人民政府", "provincial", "北京市", None, "110000"),
        ("湖南省长沙市岳麓区人民政府", "county", "湖南省", "长沙市", "430104"),
        ("仙桃市人民政府", "county", "湖北省", None, "429004"),
        ("阿拉善盟财政局", "prefecture", "内蒙古自治区", "阿拉善盟", "152900"),
    ],
)
def test_division_rules(name, level, province, prefecture, code):
    info = infer_agency(name)
    assert (info.admin_level, info.province, info.prefecture, info.division_code) == (
        level,
        province,
        prefecture,
        code,
    )
    assert info.agency_name == name
    assert not info.in_register
    assert info.evidence.startswith("division " + code)


def test_county_level_city_evidence():
    assert infer_agency("梅河口市财政局").evidence == "division 220581 梅河口市 (county-level city)"


def test_removed_register_entry_falls_back_to_divisions():
    info = infer_agency("梅河口市国土资源局", use_register=False)
    assert (info.admin_level, info.province, info.prefecture, info.division_code) == (
        "county",
        "吉林省",
        "通化市",
        "220581",
    )
    assert info.agency_id.startswith("agy_")


@pytest.mark.parametrize(
    ("name", "level", "province", "code", "short"),
    [
        ("咸宁国土资源局", "prefecture", "湖北省", "421200", "咸宁"),
        ("内蒙古国土资源厅", "provincial", "内蒙古自治区", "150000", "内蒙古"),
        ("恩施州人民政府", "prefecture", "湖北省", "422800", "恩施州"),
        ("梅河口国土资源局", "county", "吉林省", "220581", "梅河口"),
        # 长沙 is 长沙市 or 长沙县; the county keeps its 县, so the city is meant.
        ("长沙国土资源局", "prefecture", "湖南省", "430100", "长沙"),
    ],
)
def test_short_division_names(name, level, province, code, short):
    info = infer_agency(name)
    assert (info.admin_level, info.province, info.division_code) == (level, province, code)
    assert f"via short name {short}" in info.evidence


def test_explicit_province_disambiguates_repeated_district_names():
    # 朝阳区 exists in 北京 and in 长春: alone it is ambiguous, after 北京市 it is not.
    assert infer_agency("北京市朝阳区人民政府").division_code == "110105"
    alone = infer_agency("朝阳区人民政府")
    assert (alone.admin_level, alone.province, alone.division_code) == ("other", None, None)
    assert alone.evidence.startswith("ambiguous division")


def test_generic_words_are_not_short_division_names():
    # 公安县 exists, but 公安局 is a police bureau of unknown place; 荆州市公安局 is 荆州's.
    assert infer_agency("公安局").admin_level == "other"
    jingzhou = infer_agency("荆州市公安局")
    assert (jingzhou.admin_level, jingzhou.division_code) == ("prefecture", "421000")


@pytest.mark.parametrize(
    ("name", "province", "prefecture", "code"),
    [
        ("咸安区马桥镇人民政府", "湖北省", "咸宁市", "421202"),
        ("湖北省咸宁市咸安区马桥镇人民政府", "湖北省", "咸宁市", "421202"),
        ("梅河口市山城镇人民政府", "吉林省", "通化市", "220581"),
        ("北京市海淀区海淀街道办事处", "北京市", None, "110108"),
        ("东莞市虎门镇人民政府", "广东省", "东莞市", "441900"),
    ],
)
def test_townships(name, province, prefecture, code):
    info = infer_agency(name)
    assert (info.admin_level, info.province, info.prefecture, info.division_code) == (
        "township",
        province,
        prefecture,
        code,
    )
    assert info.evidence.startswith("township ")


def test_county_bureau_with_xiang_in_its_name_is_not_a_township():
    # 城乡 contains 乡 but names no township.
    assert infer_agency("梅河口市住房和城乡建设局").admin_level == "county"


@pytest.mark.parametrize(
    "name", ["国家统计局", "财政部", "海关总署", "国务院办公厅", "中国人民银行", "国家发展和改革委员会"]
)
def test_national_bodies(name):
    info = infer_agency(name)
    assert (info.admin_level, info.province, info.prefecture, info.division_code) == (
        "national",
        None,
        None,
        None,
    )
    assert info.evidence.startswith("central body")


@pytest.mark.parametrize("name", ["某某单位信息中心", "ABC Holdings", "城关镇人民政府"])
def test_unknown_names_are_other(name):
    info = infer_agency(name)
    assert (info.admin_level, info.province, info.prefecture, info.division_code) == (
        "other",
        None,
        None,
        None,
    )
    assert not info.in_register


def test_an_inferred_agency_id_is_the_same_on_every_run():
    # Landed facts carry the id, so a change of how it is made would split an agency in two between documents read
    # before and after: such a change needs a PARSER_VERSION bump (every document re-read), and these values with it.
    # (Spellings and renames sharing an id, and different agencies not sharing one: tests/test_agency_register.py.)
    assert infer_agency("咸宁市财政局").agency_id == "agy_befd110927ef"  # from its division and body
    assert infer_agency("某某单位信息中心").agency_id == "agy_e86538174530"  # no division: from its name
    assert infer_agency("国土资源部", use_register=False).agency_id == "agy_769f5f4b67f8"


def test_load_divisions_reads_cpca_table_once():
    divisions = load_divisions()
    assert divisions is load_divisions()
    assert divisions.names["421200"] == "咸宁市"
    assert divisions.names["220581"] == "梅河口市"
    # Grouping placeholders are not places.
    assert "110100" not in divisions.names
    assert "429000" not in divisions.names
    assert (divisions.level("110000"), divisions.level("421200"), divisions.level("220581")) == (
        "provincial",
        "prefecture",
        "county",
    )
