"""How reports print their tables: where a row label starts, and the units a row prints.

Shared by the readers (which join labels that a narrow column wrapped) and the template readers (which tell
sections, groups and items apart), so both read the same print the same way.
"""

from __future__ import annotations

import re

# How a printed label starts (raw text, before normalisation): the readers join wrapped labels by them and
# the template parsers tell sections, groups and items apart by them.
TOP_START = re.compile(r"^[一二三四五六七八九十]+、")  # 三、本年度办理结果
GROUP_START = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")  # （四）无法提供
ITEM_START = re.compile(r"^\d{1,2}\s*[.、．]")  # 1.本机关不掌握…
ENUMERATED_START = re.compile(rf"{TOP_START.pattern}|{GROUP_START.pattern}|{ITEM_START.pattern}|^其中")

# Units a statistics row prints in its unit column (the catalogue's units, 元 for money printed in yuan, and the
# few others real tables use). Defined here once: the readers, the flattened-table recovery and the templates use it.
PRINTED_UNITS = frozenset(
    {"条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "通", "项", "家", "份", "场", "起", "处", "笔", "是/否"}
)
