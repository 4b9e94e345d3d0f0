"""Cell values: numbers as printed in reports, with blanks, approximations, signs, units and multipliers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingestion.printed import PRINTED_UNITS

# Digits and separators only: a full NFKC would also turn ① into 1 and '，' into ',' (EXTRACTION.md).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－％＋−", "0123456789.,-%+-")
_BLANKS = {"", "—", "——", "-", "--", "－", "/", "／", "\\", "–", "…", "——————"}
_APPROX = ("余", "多", "约", "左右", "以上", "逾", "超过", "近", "大约")
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}
# A figure may carry its unit inside its own cell ('251000元', '2.51万元', '3件'): the longest first, so that 万元
# is a unit and not the multiplier 万 before 元.
_CELL_UNITS = tuple(sorted(PRINTED_UNITS - {"是/否"}, key=len, reverse=True))
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_THOUSANDS = re.compile(r"(?<!\d)\d{1,3}(?:,\d{3})+(?!\d)")
_CHINESE_NUMERAL = re.compile(r"^[零〇○一二两三四五六七八九十百千万亿]+$")
# More digits than any count or amount a report prints: a figure this long (in digits or in Chinese numerals) is
# debris, not a value (and would overflow to infinity as a float).
MAX_DIGITS = 15


@dataclass(frozen=True)
class CellValue:
    kind: str  # number | blank | boolean | text
    value: float | None = None
    is_approximate: bool = False
    boolean: bool | None = None
    unit: str | None = None  # a unit printed in the cell itself ('元' of '251000元')


@lru_cache(maxsize=1 << 16)  # a pure function of the cell text, and tables repeat their cells ("0", "1" …)
def parse_value(raw: str | None) -> CellValue:
    """Read one statistics cell. Blank markers mean "not reported" (NULL), never 0.

    A sign is kept (a change column prints '-18'); whether a negative value is plausible is the catalogue's
    question, not the cell's."""
    if raw is None:
        return CellValue("blank")
    text = re.sub(r"[\s\u3000\u00a0\u2028]+", "", raw).translate(_FULLWIDTH)
    if text in _BLANKS:
        return CellValue("blank")
    if text in {"是", "有"}:
        return CellValue("boolean", boolean=True)
    if text == "否":
        return CellValue("boolean", boolean=False)
    approximate = any(marker in text for marker in _APPROX)
    core = text
    for marker in _APPROX:
        core = core.replace(marker, "")
    unit = next((u for u in _CELL_UNITS if core.endswith(u) and len(core) > len(u)), None)
    if unit is not None:
        core = core[: -len(unit)]
    sign = -1.0 if core[:1] == "-" else 1.0
    core = core.lstrip("+-") if core[:1] in "+-" and len(core) > 1 else core
    core = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), core)
    multiplier = 1
    for sign_word, factor in _MULTIPLIERS.items():
        if core.endswith(sign_word) and _NUMBER.match(core):
            multiplier = factor
            core = core[: -len(sign_word)]
            break
    if re.fullmatch(r"\d+(?:\.\d+)?", core):
        if len(core.split(".")[0]) > MAX_DIGITS:
            return CellValue("text")
        return CellValue("number", sign * float(core) * multiplier, approximate, unit=unit)
    if _CHINESE_NUMERAL.fullmatch(core) and sign > 0:
        import cn2an  # imported lazily: rarely needed, and slow to import

        try:
            number = cn2an.cn2an(core.replace("○", "〇"), "smart")
        except (ValueError, KeyError):
            return CellValue("text")
        if abs(number) >= 10**MAX_DIGITS:  # a run of numerals no report prints (and past a float's range)
            return CellValue("text")
        return CellValue("number", float(number), approximate, unit=unit)
    return CellValue("text")


def to_catalogue_unit(value: float | None, printed_unit: str | None, catalogue_unit: str) -> float | None:
    """A figure in the unit the catalogue keeps: money printed in 元 becomes 万元."""
    if value is not None and printed_unit == "元" and catalogue_unit == "万元":
        return value / 10_000
    return value
