"""Cell values: numbers as printed in reports, with blanks, approximations and multipliers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Digits and separators only: a full NFKC would also turn ① into 1 and '，' into ',' (EXTRACTION.md).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")
_BLANKS = {"", "—", "——", "-", "--", "－", "/", "／", "\\", "–", "…", "——————"}
_APPROX = ("余", "多", "约", "左右", "以上", "逾", "超过", "近", "大约")
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_THOUSANDS = re.compile(r"(?<!\d)\d{1,3}(?:,\d{3})+(?!\d)")
_CHINESE_NUMERAL = re.compile(r"^[零〇一二两三四五六七八九十百千万亿]+$")


@dataclass(frozen=True)
class CellValue:
    kind: str  # number | blank | boolean | text
    value: float | None = None
    is_approximate: bool = False
    boolean: bool | None = None


@lru_cache(maxsize=1 << 16)  # a pure function of the cell text, and tables repeat their cells ("0", "1" …)
def parse_value(raw: str | None) -> CellValue:
    """Read one statistics cell. Blank markers mean "not reported" (NULL), never 0."""
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
    core = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), core)
    multiplier = 1
    for sign, factor in _MULTIPLIERS.items():
        if core.endswith(sign) and _NUMBER.match(core):
            multiplier = factor
            core = core[: -len(sign)]
            break
    if re.fullmatch(r"\d+(?:\.\d+)?", core):
        return CellValue("number", float(core) * multiplier, approximate)
    if _CHINESE_NUMERAL.fullmatch(core):
        import cn2an  # imported lazily: rarely needed, and slow to import

        try:
            return CellValue("number", float(cn2an.cn2an(core, "smart")), approximate)
        except (ValueError, KeyError):
            return CellValue("text")
    return CellValue("text")
