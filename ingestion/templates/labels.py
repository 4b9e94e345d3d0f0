"""Label normalisation: turn a printed row label into a comparable key and its enumerator."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

# OCR and typing confusions seen in real reports (DOMAIN.md). They run before traditional→simplified
# conversion because opencc would turn 與情 into 与情, not into the intended 舆情.
_CONFUSIONS = (
    ("與情", "舆情"),
    ("輿情", "舆情"),
    ("中请", "申请"),
    ("申清", "申请"),
    ("科密", "秘密"),
    ("留官板", "留言板"),
    ("其它", "其他"),
)
# A label that ends in 教/效/书 where 数 was meant ("政府信息教", "传真中请效", "当面申请书").
_TRAILING_SHU = re.compile(r"(?:[教效]|(?<=申请)书)$")

_SECTION = re.compile(r"^([一二三四五六七八九十]+)[、,，.]")
_SUBSECTION = re.compile(r"^\(([一二三四五六七八九十]+)\)")
_ITEM = re.compile(r"^(\d{1,2})[.、]")
_PARENTHETICAL = re.compile(r"\([^()]*\)")
_DROP = re.compile(r"[\s\u2028\u2029:：;；,，。.、《》«»<>“”\"'‘’「」]")


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Label:
    raw: str
    enumerator: str | None  # "一、" for a section, "(一)" for a sub-section, "1." for an item
    key: str  # comparable text without enumerator, notes, spaces or punctuation
    section: str | None  # the section numeral when the label opens a section ("一" … "十一")


def normalise_text(text: str) -> str:
    """Confusions, traditional→simplified and NFKC (full-width brackets and digits to ASCII)."""
    for wrong, right in _CONFUSIONS:
        text = text.replace(wrong, right)
    return unicodedata.normalize("NFKC", _t2s().convert(text))


@lru_cache(maxsize=1 << 14)  # a pure function of the label, and every template reader parses the same rows
def parse_label(raw: str) -> Label:
    text = normalise_text(raw)
    # Notes printed under the label (after U+2028 or in brackets) are explanations, not the label.
    text = text.split("\u2028")[0]
    text = re.sub(r"\s+", "", text)
    enumerator: str | None = None
    section: str | None = None
    if match := _SECTION.match(text):
        section = match.group(1)
        enumerator = f"{section}、"
    elif match := _SUBSECTION.match(text):
        enumerator = f"({match.group(1)})"
    elif match := _ITEM.match(text):
        enumerator = f"{match.group(1)}."
    if match:
        text = text[match.end() :]
    previous = None
    while previous != text:  # nested brackets
        previous, text = text, _PARENTHETICAL.sub("", text)
    text = _DROP.sub("", text)
    text = _TRAILING_SHU.sub("数", text)
    return Label(raw=raw, enumerator=enumerator, key=text, section=section)
