"""dbt started ahead of its step.

A `gongkai refresh` spends seconds loading Dagster and planning before dbt's step starts, and dbt then spends
seconds more importing itself before it reads a file. So the refresh binds a socket and starts `gongkai-dbt
--ahead-on FD` first: that process imports dbt and its DuckDB adapter on the other core, and waits on the socket.
When dagster-dbt later runs `gongkai-dbt build …`, that short-lived process hands its arguments, working folder,
environment and standard streams to the waiting one, which runs dbt's command line with them and sends back the exit
status. dagster-dbt reads the same output and exit status as from a dbt started cold. A `gongkai-dbt` that finds
nobody waiting runs dbt itself: the UI's runs, tests that materialise in process, `make docs`.

The socket is in Linux's abstract namespace, named after the process that started the waiting dbt, which is the
parent of the `gongkai-dbt` dagster-dbt starts. A name there has no file permissions, so each end checks the other:
the waiting dbt serves only a child of that process run by the same user, and `gongkai-dbt` hands over only to a
socket that process bound.
Elsewhere the bind fails and every dbt starts cold.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

#: The option that makes `gongkai-dbt` the waiting process, followed by its listening socket's descriptor.
AHEAD_OPTION = "--ahead-on"
#: The streams a hand-over passes: dbt writes its JSON events to what dagster-dbt reads.
_STREAMS = (0, 1, 2)
_HEADER = struct.Struct("!Q")
_STARTED = b"S"
#: Signals the handing-over process passes on: dagster-dbt interrupts dbt with SIGINT.
_FORWARDED = (signal.SIGINT, signal.SIGTERM)


def address(starter: int) -> bytes:
    """Where the dbt started ahead for process `starter` waits."""
    return f"\0gongkai-dbt-ahead-{starter}".encode()


class DbtAhead:
    """The dbt process waiting for a child of the process that started it (None where it could not start)."""

    def __init__(self, process: subprocess.Popen | None) -> None:
        self.process = process

    def waiting(self) -> bool:
        """Whether it still waits for its hand-over (or runs it)."""
        return self.process is not None and self.process.poll() is None

    def cancel(self) -> None:
        """Stop it if it still waits (the run will not need dbt)."""
        if self.waiting():
            self.process.kill()
        if self.process is not None:
            self.process.wait()


@contextlib.contextmanager
def dbt_ahead(executable: Path) -> Iterator[DbtAhead]:
    """Start `executable --ahead-on FD` for this process's next dbt invocation; stopped on exit if it was never
    used. The socket is bound here, before dbt starts: a hand-over can never come too early."""
    starter = os.getpid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    process = None
    try:
        listener.bind(address(starter))
        listener.listen(4)
        process = subprocess.Popen(
            [str(executable), AHEAD_OPTION, str(listener.fileno())], pass_fds=[listener.fileno()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # as dagster-dbt runs dbt: its events reach the reader as they are written
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    except OSError:  # no abstract namespace here, or one waits for this process already: dbt starts cold
        pass
    finally:
        listener.close()
    ahead = DbtAhead(process)
    try:
        yield ahead
    finally:
        ahead.cancel()


# ------------------------------------------------------------------------------------- the waiting process


def _peer(connection: socket.socket) -> tuple[int, int]:
    """The pid and uid of the process at the other end of `connection` (for a connecting end, the process that
    called listen(): the starter, which binds the socket)."""
    pid, uid, _ = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                             struct.calcsize("3i")))
    return pid, uid


def _peer_is_child(connection: socket.socket, starter: int) -> bool:
    """Whether the process that connected runs as this user and is a child of `starter`."""
    pid, uid = _peer(connection)
    if uid != os.getuid():
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return int(stat.rsplit(")", 1)[1].split()[1]) == starter  # field 4, after the command name in parentheses


def _receive(connection: socket.socket) -> tuple[dict, list[int]]:
    header, fds, _, _ = socket.recv_fds(connection, _HEADER.size, len(_STREAMS))
    if len(header) != _HEADER.size or len(fds) != len(_STREAMS):
        raise ConnectionError("incomplete hand-over")
    (size,) = _HEADER.unpack(header)
    payload = bytearray()
    while len(payload) < size:
        chunk = connection.recv(size - len(payload))
        if not chunk:
            raise ConnectionError("incomplete hand-over")
        payload += chunk
    return json.loads(payload), fds


def _watch(connection: socket.socket, finished: threading.Event) -> None:
    """Pass the handing-over process's signals on to dbt; end at once if that process is gone (killed): dbt
    must not go on writing into a warehouse the next refresh opens."""
    while True:
        try:
            data = connection.recv(16)
        except OSError:
            data = b""
        if not data:
            if not finished.is_set():
                os._exit(1)
            return
        for number in data:
            os.kill(os.getpid(), number)


def wait_and_run(listening: int, run: Callable[[list[str]], int]) -> int:
    """The waiting process: import dbt, then run one hand-over from a child of this process's parent (the
    starter) with `run`; return its status. `listening` is the socket the starter bound."""
    starter = os.getppid()
    listener = socket.socket(fileno=listening)
    # the seconds this process exists to spend early: dbt's command line and the adapter its first step loads
    import dbt.adapters.duckdb
    import dbt.cli.main  # noqa: F401

    while True:
        connection, _ = listener.accept()
        if _peer_is_child(connection, starter):
            break
        connection.close()
    listener.close()
    try:
        request, fds = _receive(connection)
    except (ConnectionError, OSError, ValueError):
        return 1
    for fd, stream in zip(fds, _STREAMS, strict=True):
        os.dup2(fd, stream)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    finished = threading.Event()
    threading.Thread(target=_watch, args=(connection, finished), daemon=True).start()
    connection.sendall(_STARTED)
    try:
        status = run(request["argv"])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        finished.set()
    with contextlib.suppress(OSError):
        connection.sendall(bytes([status & 0xFF]))
    return status


# ---------------------------------------------------------------------------------- the handing-over process


def hand_over(arguments: list[str]) -> int | None:
    """Run dbt with `arguments` in the process waiting for this one's parent; its exit status, or None when
    nobody waits (or it ended before starting dbt), and the caller runs dbt itself."""
    # A signal that comes before it is known where dbt runs waits until it is, then goes to that dbt.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _FORWARDED)
    try:
        connection = _send(arguments)
        if connection is None or _read_byte(connection) != _STARTED:
            return None  # nobody waits, or it ended before starting dbt
        for number in _FORWARDED:
            signal.signal(number, functools.partial(_forward, connection))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    status = _read_byte(connection)
    if not status:
        print("gongkai-dbt: dbt, started ahead of its step, ended without an exit status", file=sys.stderr)
        return 1
    return status[0]


def _send(arguments: list[str]) -> socket.socket | None:
    """This process's invocation, sent to the socket its parent bound; None when there is none."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(address(os.getppid()))
        if _peer(connection) != (os.getppid(), os.getuid()):  # a name in the abstract namespace has no permissions
            raise ConnectionRefusedError("not a socket this process's parent bound")
        payload = json.dumps({"argv": arguments, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
        socket.send_fds(connection, [_HEADER.pack(len(payload))], list(_STREAMS))
        connection.sendall(payload)
    except OSError:
        connection.close()
        return None
    return connection


def _forward(connection: socket.socket, received: int, _frame: object) -> None:
    with contextlib.suppress(OSError):
        connection.send(bytes([received]))


def _read_byte(connection: socket.socket) -> bytes:
    try:
        return connection.recv(1)
    except OSError:
        return b""
