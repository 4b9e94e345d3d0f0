"""A hostile inbox: entries a real share holds besides reports — odd names, links in and out, pipes and sockets,
unreadable and deeply buried files, impossible times and hostile numbers — built around good reports.

`build_hostile_inbox` writes them under a folder and returns what each entry is, so a test can check that
every entry is on record with a reason and that nothing outside the inbox was copied in.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: A modification time in the year 10000 (2**64 ns would overflow int64; this does not).
YEAR_10000_NS = 253_402_300_800 * 10**9 + 86_400 * 10**9
DEEP_LEVELS = 1000  # folders nested this deep, one character each (well under PATH_MAX, over Python's recursion)
GBK_NAME = "年度报告".encode("gbk")  # what unzipping a Chinese Windows archive gives


@dataclass(frozen=True)
class HostileEntry:
    """What an entry of the hostile inbox is, and what the platform should make of it."""

    path: bytes  # relative to the inbox, as the file system spells it (not necessarily UTF-8)
    kind: str  # report | link_in | link_out | dangling | loop | fifo | socket | unreadable | ...
    readable_report: bool = False  # its content is a report that should be read and published


def _write(root: Path, relative: bytes, data: bytes) -> None:
    target = os.path.join(os.fsencode(root), relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)


def _variant(text: str, old: str, new: str) -> bytes:
    if old not in text:
        raise ValueError(f"seed text has no {old!r}")
    return text.replace(old, new, 1).encode("utf-8")


def build_hostile_inbox(inbox: Path, seeds: Mapping[str, bytes]) -> dict[bytes, HostileEntry]:
    """Write the hostile inbox under `inbox` (created); `seeds` are good report texts by name (UTF-8). Returns
    every entry the platform should put on record, by its path relative to the inbox (bytes)."""
    inbox.mkdir(parents=True, exist_ok=True)
    entries: dict[bytes, HostileEntry] = {}

    def add(path: bytes, kind: str, readable_report: bool = False) -> None:
        entries[path] = HostileEntry(path, kind, readable_report)

    names = sorted(seeds)
    for name in names:
        _write(inbox, b"seeds/" + name.encode(), seeds[name])
        add(b"seeds/" + name.encode(), "report", True)
    first = seeds[names[0]].decode("utf-8")

    # A report under a GBK (not UTF-8) name: read, and its name kept with the undecodable bytes escaped.
    _write(inbox, b"odd/" + GBK_NAME + b".txt", first.encode("utf-8") + "\n（附件）\n".encode())
    add(b"odd/" + GBK_NAME + b".txt", "report", True)
    # Rich markup and glob characters in names: a folder 'report[' holding ']x.txt' spells report[/]x.txt.
    for relative in (b"odd/report[/]x.txt", b"odd/[bold]title[/bold].txt", b"odd/it's [a-z]*?.txt",
                     b"odd/-leading dash.txt", "odd/换行\n名字.txt".encode()):
        _write(inbox, relative, b"not a report, only a name: " + relative)
        add(relative, "odd_name")

    # Hostile numbers in otherwise good reports: the first seed's table (a count cell), each as another year's
    # report so that each is its agency-year's own and is published with its finding.
    figure = "5.其他方式回应事件数\n\t次\n\t69"
    year = next(y for y in ("2017", "2016", "2015", "2014") if y in first)
    for relative, printed, other_year in ((b"numbers/decimal-count.txt", "4.5", "2011"),
                                          (b"numbers/400-digits.txt", "9" * 400, "2012"),
                                          (b"numbers/numeral-run.txt", "九" * 400, "2013")):
        _write(inbox, relative, _variant(first, figure, figure[:-2] + printed).decode().replace(year, other_year)
               .encode("utf-8"))
        add(relative, "hostile_number", True)

    # Links: one to a report inside the inbox (read as that file), others out of it or nowhere (never followed).
    links = os.fsencode(inbox / "links")
    os.makedirs(links, exist_ok=True)
    os.symlink(b"../seeds/" + names[0].encode(), os.path.join(links, b"inside.txt"))
    add(b"links/inside.txt", "link_in")
    os.symlink(b"../seeds", os.path.join(links, b"folder-inside"))
    add(b"links/folder-inside", "link_folder")
    for name, target in ((b"passwd", b"/etc/passwd"), (b"environ", b"/proc/self/environ"), (b"etc", b"/etc"),
                         (b"up.txt", b"../../outside.txt")):
        os.symlink(target, os.path.join(links, name))
        add(b"links/" + name, "link_out")
    os.symlink(b"/nonexistent/report.txt", os.path.join(links, b"dangling.txt"))
    add(b"links/dangling.txt", "dangling")
    os.symlink(b"loop", os.path.join(links, b"loop"))
    add(b"links/loop", "loop")

    # Special files: a named pipe and a socket (reading either would block or fail).
    special = os.fsencode(inbox / "special")
    os.makedirs(special, exist_ok=True)
    os.mkfifo(os.path.join(special, b"pipe.txt"))
    add(b"special/pipe.txt", "fifo")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(OSError):  # a socket path longer than sun_path allows cannot be made: left out
        listener.bind(os.fsdecode(os.path.join(special, b"socket")))
        add(b"special/socket", "socket")
    listener.close()

    # A file nobody may read (root still can), and a modification time in the year 10000.
    _write(inbox, b"special/locked.txt", b"locked: " + seeds[names[-1]][:2000])
    os.chmod(os.path.join(special, b"locked.txt"), 0)
    add(b"special/locked.txt", "unreadable")
    _write(inbox, b"special/year-10000.txt", b"from the future")
    os.utime(os.path.join(special, b"year-10000.txt"), ns=(YEAR_10000_NS, YEAR_10000_NS))
    add(b"special/year-10000.txt", "future_mtime")

    # A file 1,000 folders down (made one level at a time: os.makedirs recurses once per level).
    deep = b"deep/" + b"d/" * DEEP_LEVELS + b"bottom.txt"
    folder = os.open(os.fsencode(inbox), os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in deep.split(b"/")[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, dir_fd=folder)
            below = os.open(part, os.O_RDONLY | os.O_DIRECTORY, dir_fd=folder)
            os.close(folder)
            folder = below
        handle = os.open(b"bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
        os.write(handle, seeds[names[1]])
        os.close(handle)
    finally:
        os.close(folder)
    add(deep, "deep", True)
    return entries


def outside_file(inbox: Path) -> Path:
    """The file `links/up.txt` points at (beside the inbox, outside it): a test writes it to see it is not read."""
    return inbox.parent / "outside.txt"


def _walk(root: bytes) -> list[tuple[bytes, bool]]:
    """Every entry under `root` as (path, is a folder not a link), parents before children; iterative, as the
    folders go 1,000 deep (os.walk and shutil.rmtree recurse once per level)."""
    found: list[tuple[bytes, bool]] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        with contextlib.suppress(OSError), os.scandir(folder) as listing:
            for child in listing:
                is_folder = child.is_dir(follow_symlinks=False)
                found.append((child.path, is_folder))
                if is_folder:
                    stack.append(child.path)
    return found


def restore_permissions(inbox: Path) -> None:
    """Make every entry readable again."""
    for path, is_folder in _walk(os.fsencode(inbox)):
        with contextlib.suppress(OSError):
            if is_folder or stat.S_ISREG(os.lstat(path).st_mode):
                os.chmod(path, 0o755 if is_folder else 0o644)


def remove_inbox(inbox: Path) -> None:
    """Remove a hostile inbox, deepest entries first (a test's clean-up)."""
    root = os.fsencode(inbox)
    with contextlib.suppress(OSError):
        os.chmod(root, 0o755)
    restore_permissions(inbox)
    for path, is_folder in reversed(_walk(root)):
        with contextlib.suppress(OSError):
            os.rmdir(path) if is_folder else os.unlink(path)
    with contextlib.suppress(OSError):
        os.rmdir(root)
