"""Find every entry a user dropped into the inbox and say what it is, from its content.

The inbox is a boundary. Its folders are walked without following links; a link is read only when it names a
regular file inside the inbox (as that file), and every other entry that is not a readable regular file — a link
out of the inbox, to nowhere or to itself, a link to a folder, a named pipe, a socket, a device, a file or folder
that cannot be opened — is registered unread, with its one-line reason, so that nothing dropped in vanishes and
nothing outside the inbox is ever read. A name that is not UTF-8 (GBK, as unzipping a Chinese Windows archive
leaves it) and a modification time no calendar holds are noted, not fatal.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from ingestion.readers.detect import detect_format

INVENTORY_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),  # NULL: the entry was not read (entry_reason says why)
        ("size_bytes", pa.int64()),
        ("detected_format", pa.string()),
        ("modified_at", pa.string()),
        ("scanned_at", pa.string()),
        ("modified_ns", pa.int64()),  # st_mtime_ns: with the size, tells the next scan the file is unchanged
        ("entry_reason", pa.string()),  # why the entry was not read, or a remark on its name or time; one line
        ("raw_path", pa.binary()),  # the path's bytes as the file system spells them (`path` escapes non-UTF-8)
        ("removed_at", pa.string()),  # set: the path is gone from the inbox since this scan (its facts with it)
    ]
)

# Files the operating system or editors leave behind; everything else is registered.
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}  # system clutter, not reports (the sensor skips them too)


class InboxBoundaryError(ValueError):
    """The inbox and the warehouse overlap: a refresh would read its own files as reports, or write into the
    folder it reads."""


@dataclass(frozen=True)
class InboxFile:
    path: str  # relative to the inbox, POSIX separators; bytes that are not UTF-8 shown as \xNN
    absolute_path: Path
    sha256: str | None  # None: not read (a link out of the inbox, a pipe, a file that cannot be opened…)
    size_bytes: int
    detected_format: str | None
    modified_at: str | None  # None when the modification time is out of range (the year 10000)
    modified_ns: int = 0
    entry_reason: str | None = None  # one line: why it was not read, or what is odd about its name or time
    raw_path: bytes | None = None  # `path` as the file system spells it, when that is not UTF-8
    removed_at: str | None = None  # the scan that first missed it: a history row, not an entry of the inbox

    @property
    def readable(self) -> bool:
        return self.sha256 is not None


@dataclass(frozen=True)
class InboxEntry:
    """One entry found under the inbox by the walk, before anything is read."""

    relative: bytes  # as the file system spells it, '/'-separated
    absolute: bytes
    stat: os.stat_result | None  # lstat of the entry itself (links not followed); None when that failed
    problem: str | None = None  # set when the entry cannot be read as a file, with the reason


def display_path(relative: bytes) -> str:
    """A path for people and tables: a UTF-8 name as it is; in a name that is not UTF-8 (GBK), every byte beyond
    ASCII as \\xNN, so no two names look alike and none reads as a wrong character."""
    names = []
    for name in relative.split(b"/"):
        try:
            names.append(name.decode("utf-8"))
        except UnicodeDecodeError:
            names.append("".join(chr(b) if b < 0x80 else f"\\x{b:02x}" for b in name))
    return "/".join(names)


def _name_note(relative: bytes) -> str | None:
    try:
        relative.decode("utf-8")
    except UnicodeDecodeError:
        guess = relative.decode("gb18030", errors="replace")
        return f"file name is not UTF-8: undecodable bytes shown as \\xNN (read as GBK it is “{guess}”)"
    return None


def check_boundary(inbox: Path, warehouse: Path) -> None:
    """Refuse an inbox and a warehouse that contain one another (compared as real paths)."""
    real_inbox, real_warehouse = Path(os.path.realpath(inbox)), Path(os.path.realpath(warehouse))
    if real_warehouse == real_inbox or real_warehouse.is_relative_to(real_inbox):
        raise InboxBoundaryError(
            f"the warehouse {warehouse} is inside the inbox {inbox}: its own files would be read as reports; "
            "choose a warehouse folder outside the inbox"
        )
    if real_inbox.is_relative_to(real_warehouse):
        raise InboxBoundaryError(
            f"the inbox {inbox} is inside the warehouse {warehouse}: choose an inbox folder outside the warehouse"
        )


def _reason(error: OSError, what: str = "file") -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"no permission to read this {what}"
    if error.errno == errno.ENAMETOOLONG:
        return f"path too long for the file system to open ({what})"
    if error.errno == errno.ENOENT:
        return f"{what} vanished while the inbox was scanned"
    return f"{what} cannot be opened: {error.strerror or error}"


def _special_kind(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO), not a file: not read"
    if stat.S_ISSOCK(mode):
        return "socket, not a file: not read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device, not a file: not read"
    if not stat.S_ISREG(mode):
        return "not a regular file: not read"
    return None


def _link_problem(absolute: bytes, real_inbox: bytes) -> str | None:
    """Why a symbolic link is not read, or None when it names a regular file inside the inbox."""
    try:
        target = os.readlink(absolute)
    except OSError as error:
        return _reason(error, "link")
    try:
        resolved = os.path.realpath(absolute, strict=True)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop: not followed"
        if error.errno == errno.ENOENT:
            return f"symbolic link to nothing (its target {display_path(target)} does not exist)"
        return _reason(error, "link")
    if os.path.commonpath([resolved, real_inbox]) != real_inbox:
        return "symbolic link out of the inbox: not followed (nothing outside the inbox is read)"
    try:
        mode = os.stat(resolved).st_mode
    except OSError as error:
        return _reason(error, "link target")
    if stat.S_ISDIR(mode):
        return "symbolic link to a folder: not followed (the files in it are read where they are)"
    return _special_kind(mode)


def walk_inbox(inbox: Path) -> Iterator[InboxEntry]:
    """Every entry under `inbox` except folders, system clutter and the inbox itself, in no particular order.

    Iterative (a folder 1,000 levels down is one more loop, not one more stack frame), never following a link,
    never entering a folder twice (a bind mount of a parent). A folder that cannot be listed is an entry itself,
    with its reason."""
    root = os.fsencode(os.path.abspath(inbox))
    real_inbox = os.fsencode(os.path.realpath(inbox))
    seen: set[tuple[int, int]] = set()
    stack: list[bytes] = [b""]
    while stack:
        relative_folder = stack.pop()
        folder = os.path.join(root, relative_folder) if relative_folder else root
        try:
            with os.scandir(folder) as listing:
                children = list(listing)
            info = os.stat(folder)
        except OSError as error:
            if not relative_folder:
                raise  # the inbox itself: nothing can be registered (an unmounted share is retried)
            yield InboxEntry(relative_folder, folder, None, _reason(error, "folder") + " (nothing under it read)")
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        for child in children:
            name = child.name
            if os.fsdecode(name) in IGNORED_NAMES:
                continue
            relative = relative_folder + b"/" + name if relative_folder else name
            absolute = os.path.join(folder, name)
            try:
                info = os.lstat(absolute)
            except OSError as error:
                yield InboxEntry(relative, absolute, None, _reason(error))
                continue
            if stat.S_ISDIR(info.st_mode):
                stack.append(relative)
            elif stat.S_ISLNK(info.st_mode):
                yield InboxEntry(relative, absolute, info, _link_problem(absolute, real_inbox))
            else:
                yield InboxEntry(relative, absolute, info, _special_kind(info.st_mode))


def open_inbox_file(path: Path | bytes, inbox: Path | None = None) -> BinaryIO:
    """Open a registered file for reading, as the scan saw it: a regular file (a pipe swapped in since would
    block a reader forever; this never blocks), inside `inbox` when given (a link retargeted since is not
    followed out). Raises OSError with the reason."""
    real = os.path.realpath(path)
    if inbox is not None:
        real_inbox = os.path.realpath(inbox)
        if os.path.commonpath([os.fsdecode(real), real_inbox]) != real_inbox:
            raise OSError(errno.EXDEV, "now a link out of the inbox: not followed")
    descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, _special_kind(mode) or "not a regular file")
        os.set_blocking(descriptor, True)
        return open(real, "rb", opener=lambda _path, _flags: descriptor)  # the caller closes it
    except BaseException:
        os.close(descriptor)
        raise


def sha256_of(source: Path | BinaryIO) -> str:
    """The SHA-256 of a file's content (a path, or a file opened for reading, read to its end)."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return sha256_of(handle)
    digest = hashlib.sha256()
    for block in iter(lambda: source.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


_INT64 = range(-(2**63), 2**63)  # what the inventory's modified_ns (Parquet int64) holds: 1677 to 2262


def _modified_at(modified_ns: int) -> str | None:
    """ISO-8601 UTC, or None when the time is out of range (a file stamped in the year 10000)."""
    if modified_ns not in _INT64:
        return None
    try:
        return datetime.fromtimestamp(modified_ns / 1e9, UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError, OSError):
        return None


def _recorded_ns(modified_ns: int) -> int:
    return modified_ns if modified_ns in _INT64 else 0  # 0: unknown, so the next scan reads the file again


def scan_inbox(inbox: Path, known: Mapping[str, InboxFile] | None = None) -> list[InboxFile]:
    """Register every entry under `inbox` (recursively), sorted by path so runs are repeatable.

    `known` (the previous scan, by path) saves reading files again: a file with the same size and modification
    time (to the nanosecond) keeps its hash and format, as rsync and make decide; any other file is hashed.
    """
    known = known or {}
    files = [inbox_entry(entry, inbox, known) for entry in walk_inbox(inbox)]
    return sorted(files, key=lambda f: f.path)


def inbox_entry(entry: InboxEntry, inbox: Path, known: Mapping[str, InboxFile]) -> InboxFile:
    """The record of one walked entry: a file's hash and format, or the reason it was not read."""
    relative = display_path(entry.relative)
    path = Path(os.fsdecode(entry.absolute))
    note = _name_note(entry.relative)
    raw = entry.relative if note else None
    if entry.problem is not None or entry.stat is None:
        modified_ns = entry.stat.st_mtime_ns if entry.stat else 0
        return InboxFile(relative, path, None, entry.stat.st_size if entry.stat else 0, None,
                         _modified_at(modified_ns), _recorded_ns(modified_ns),
                         _join(entry.problem or "cannot be read", note), raw)
    try:
        record = inbox_file(path, relative, known.get(relative), inbox)
    except OSError as error:
        return InboxFile(relative, path, None, entry.stat.st_size, None, _modified_at(entry.stat.st_mtime_ns),
                         _recorded_ns(entry.stat.st_mtime_ns), _join(_reason(error), note), raw)
    if record.modified_at is None:
        note = _join(note, "modification time out of range (after the year 2262): not recorded")
    return replace(record, entry_reason=note, raw_path=raw)


def _join(*parts: str | None) -> str | None:
    return "; ".join(part for part in parts if part) or None


def inbox_file(path: Path, relative: str, previous: InboxFile | None = None, inbox: Path | None = None) -> InboxFile:
    """One file's record: its hash and format from its content, unless `previous` (the last scan's record of the
    same path) has the same size and modification time to the nanosecond, as rsync and make decide."""
    with open_inbox_file(path, inbox) as handle:
        info = os.fstat(handle.fileno())
        if previous and previous.sha256 and previous.modified_ns and (previous.size_bytes, previous.modified_ns) == (
            info.st_size, info.st_mtime_ns
        ):
            sha256, detected_format = previous.sha256, previous.detected_format
        else:
            head = handle.read(8192)
            handle.seek(0)
            detected_format = detect_format(head, handle)
            handle.seek(0)
            sha256 = sha256_of(handle)
    return InboxFile(relative, path, sha256, info.st_size, detected_format, _modified_at(info.st_mtime_ns),
                     _recorded_ns(info.st_mtime_ns))


def inventory_table(files: list[InboxFile], scanned_at: str) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "path": f.path,
                "sha256": f.sha256,
                "size_bytes": f.size_bytes,
                "detected_format": f.detected_format,
                "modified_at": f.modified_at,
                "scanned_at": scanned_at,
                "modified_ns": f.modified_ns,
                "entry_reason": f.entry_reason,
                "raw_path": f.raw_path,
                "removed_at": f.removed_at,
            }
            for f in files
        ],
        schema=INVENTORY_SCHEMA,
    )
