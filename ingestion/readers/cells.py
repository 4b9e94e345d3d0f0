"""Cell text as readers find it: wrapped lines of a PDF or Word cell joined back into one."""

from __future__ import annotations

import re

_WRAP = re.compile(r"\s*\n\s*")


def clean_cell(text: str | None) -> str:
    """Cell text with wrapped lines joined: PDF and Word cells keep '\\n' where text wraps."""
    if text is None:
        return ""
    if "\n" not in text:  # most cells: nothing wrapped
        return text.strip()
    parts = [part for part in _WRAP.split(text.strip()) if part]
    joined = ""
    for part in parts:  # Chinese joins without a space, Latin words with one
        if joined and joined[-1].isascii() and joined[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            joined += " "
        joined += part
    return joined
