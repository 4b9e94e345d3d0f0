"""Bytes to text for reports saved in any common Chinese encoding."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _plausible_share(text: str) -> float:
    good = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isprintable() or ch in "\t\n\r")
    return good / max(1, len(text))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: UTF-8 and GB18030 text never contains NUL bytes, UTF-16 nearly always does."""
    sample = data[:4000] if len(data) % 2 == 0 else b""
    if b"\x00" not in sample:
        return None
    best, best_share = None, 0.0
    for candidate in ("utf-16-le", "utf-16-be"):
        try:
            share = _plausible_share(sample[: len(sample) // 2 * 2].decode(candidate))
        except UnicodeDecodeError:
            continue
        if share > best_share:
            best, best_share = candidate, share
    return best if best_share >= 0.9 else None


def _strict(data: bytes, encoding: str, cut: bool) -> str | None:
    """`data` decoded strictly, or None. A head `cut` from a file may end inside a character: that character is
    left out (else a third of the heads would fall through to charset-normalizer, the slow guess)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if not cut or error.start < len(data) - 3:  # a multi-byte character has at most 4 bytes
            return None
        try:
            return data[: error.start].decode(encoding)
        except UnicodeDecodeError:
            return None


def decode_bytes(data: bytes, cut: bool = False) -> tuple[str, str]:
    """Decode report bytes and return (text, encoding name); `cut`: the bytes are the start of a file, cut
    anywhere.

    Order measured to work on every sample: BOM, strict UTF-8, strict GB18030 (a superset of GBK and
    GB2312), charset-normalizer, then GB18030 with replacement so nothing is lost silently.
    Line endings become '\\n'; U+2028 inside table labels is kept (str.splitlines would split there).
    """
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding is None:
        encoding = _utf16_without_bom(data)
    text: str | None = None
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
    if text is None:
        for candidate in ("utf-8", "gb18030"):
            if (text := _strict(data, candidate, cut)) is not None:
                encoding = candidate
                break
    if text is None:
        from charset_normalizer import from_bytes  # imported lazily: only odd files need it

        best = from_bytes(data).best()
        # charset-normalizer calls short GBK strings "cp949"; for Chinese reports trust GB18030 instead.
        if best is not None and best.encoding not in {"cp949", "euc_kr", "johab"}:
            text, encoding = str(best), best.encoding
        else:
            text, encoding = data.decode("gb18030", errors="replace"), "gb18030-replace"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding or "unknown"
