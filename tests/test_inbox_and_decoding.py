"""Every file in the inbox is registered, its format told from content, its text decoded."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

import ingestion.landing.inbox
from ingestion.extract import parse_file, read_report
from ingestion.landing.inbox import scan_inbox
from ingestion.landing.pipeline import register_inbox
from ingestion.readers.decode import decode_bytes
from ingestion.readers.detect import detect_format


@pytest.mark.parametrize(
    ("encode", "name"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
    ],
)
def test_seed_reads_the_same_in_every_encoding(encode, name: str, seed_bytes: dict[str, bytes]) -> None:
    text = seed_bytes["004"].decode("utf-8")
    reference = read_report(seed_bytes["004"])
    result = read_report(encode(text))
    assert result.document.encoding == name
    assert [(f.indicator_code, f.value) for f in result.facts] == [
        (f.indicator_code, f.value) for f in reference.facts
    ]
    assert result.document.agency_name == "国土资源部"


def test_gbk_text_with_u2028_keeps_labels_whole(seed_bytes: dict[str, bytes]) -> None:
    text, encoding = decode_bytes(seed_bytes["000"].decode("utf-8").encode("gb18030"))
    assert encoding == "gb18030"
    assert "主动公开政府信息数\u2028(不同渠道" in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%binary", "pdf"),
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "doc"),
        ("<html><head><meta charset='gb2312'></head><body>政府信息公开</body></html>".encode("gb18030"), "html"),
        ("政府信息公开工作年度报告\n一、总体情况".encode("gb18030"), "text"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image"),
        (bytes(range(256)) * 4, "unknown"),
    ],
)
def test_format_is_detected_from_content(content: bytes, expected: str) -> None:
    assert detect_format(content[:8192], content) == expected


def test_scan_registers_every_file_recursively(tmp_path: Path, seed_bytes: dict[str, bytes]) -> None:
    (tmp_path / "2017" / "hubei").mkdir(parents=True)
    (tmp_path / "2017" / "hubei" / "xianning.txt").write_bytes(seed_bytes["000"])
    (tmp_path / "copy-of-xianning.txt").write_bytes(seed_bytes["000"])
    (tmp_path / "report.doc").write_bytes(b"%PDF-1.4 really a pdf")  # a PDF named .doc
    (tmp_path / "page.pdf").write_bytes(b"<!DOCTYPE html><html><body>x</body></html>")  # HTML named .pdf
    (tmp_path / "empty.txt").write_bytes(b"")
    files = {f.path: f for f in scan_inbox(tmp_path)}
    assert set(files) == {"2017/hubei/xianning.txt", "copy-of-xianning.txt", "report.doc", "page.pdf", "empty.txt"}
    assert files["report.doc"].detected_format == "pdf"
    assert files["page.pdf"].detected_format == "html"
    assert files["empty.txt"].detected_format == "empty"
    assert files["copy-of-xianning.txt"].sha256 == files["2017/hubei/xianning.txt"].sha256
    assert files["2017/hubei/xianning.txt"].size_bytes == len(seed_bytes["000"])


def test_a_rescan_hashes_only_new_or_changed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (inbox / name).write_bytes(f"{name} 政府信息公开".encode())
    first = {f.path: f for f in register_inbox(inbox, warehouse).files}
    hashed: list[str] = []
    real_sha256_of = ingestion.landing.inbox.sha256_of
    monkeypatch.setattr(
        ingestion.landing.inbox, "sha256_of",
        lambda source: hashed.append(Path(os.fsdecode(source.name)).name) or real_sha256_of(source),
    )
    # b.txt: new bytes of the same size, written later; d.txt: a new file
    stat = (inbox / "b.txt").stat()
    (inbox / "b.txt").write_bytes("B.txt 政府信息公开".encode())
    os.utime(inbox / "b.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    (inbox / "d.txt").write_bytes("d.txt 政府信息公开".encode())
    second = {f.path: f for f in register_inbox(inbox, warehouse).files}
    assert sorted(hashed) == ["b.txt", "d.txt"]
    assert second["a.txt"].sha256 == first["a.txt"].sha256 and second["c.txt"] == first["c.txt"]
    assert second["b.txt"].sha256 == real_sha256_of(inbox / "b.txt") != first["b.txt"].sha256


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "legacy Word .doc"),
        (bytes(range(256)) * 4, "not a recognisable document format"),
        ("会议纪要：今天讨论了午餐安排。".encode(), "no government-information-disclosure content"),
    ],
)
def test_unreadable_files_come_back_quarantined_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    result = parse_file(path, "0" * 64)
    assert result.document.parse_status == "quarantined"
    assert reason in (result.document.reason or "")
    assert "\n" not in result.document.reason
    assert result.facts == [] and result.document.sha256
