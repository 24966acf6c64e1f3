"""The safe runner: each attachment is read in a worker process under memory and time limits.

Hostile files are the point of these checks, and the readers are large C
and Python libraries (PDFium, lxml, zlib): a file the caps did not foresee
may make one take gigabytes, loop, or crash outright (PDFium can segfault
when misused).  So the bytes go to a fresh ``python -m`` process that
first limits its own address space (``RLIMIT_AS``) and CPU time, then
inspects; the parent waits at most the wall-clock limit.  A worker that
is killed, crashes or runs out of memory costs that one attachment,
which is then ``unreadable`` with a reason saying which limit it hit.
Only JSON comes back: the parent judges it with the ordinary checks.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import asdict

from crumail.checks.attachments.caps import Caps
from crumail.checks.attachments.model import Inspected

OUTPUT_CAP = 256 * 1024 * 1024  # JSON back from one worker


def inspect_file(name: str, data: bytes, caps: Caps = Caps()) -> list[Inspected]:
    """Inspect one attachment (and every file inside it) in a worker process."""
    header = json.dumps({"name": name, "caps": asdict(caps)}).encode() + b"\n"
    try:
        done = subprocess.run([sys.executable, "-m", "crumail.checks.attachments.worker"], input=header + data,
                              capture_output=True, timeout=caps.seconds, env=_env(), check=False)
    except subprocess.TimeoutExpired:
        return [_failed(name, f"could not be read within {caps.seconds} s "
                              "([attachments] max_attachment_seconds): not inspected")]
    except OSError as exc:
        return [_failed(name, f"the inspector could not start ({exc}): not inspected")]
    if done.returncode != 0:
        return [_failed(name, _death(done.returncode, done.stderr, caps))]
    try:
        return [Inspected.from_json(item) for item in json.loads(done.stdout[:OUTPUT_CAP])]
    except (ValueError, KeyError, TypeError) as exc:
        return [_failed(name, f"the inspector's answer could not be read ({exc}): not inspected")]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    env["OMP_NUM_THREADS"] = "1"  # one thread: no per-thread arenas eating the address space
    return env


def _failed(name: str, reason: str) -> Inspected:
    from crumail.checks.attachments.inspect import unreadable

    return Inspected(name, unreadable("other", reason))


def _death(code: int, stderr: bytes, caps: Caps) -> str:
    tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    if code < 0:
        what = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        return f"the reader died ({what}) on this file: not inspected"
    if "MemoryError" in tail[0]:
        return (f"reading it needs more than {caps.memory_bytes:,} bytes of memory "
                "([attachments] max_attachment_memory_bytes): not inspected")
    return f"the reader failed on this file ({tail[0][:200]}): not inspected"


def _limit_self(caps: Caps) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (caps.memory_bytes, caps.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (caps.seconds + 1, caps.seconds + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> int:
    """The worker: a JSON line (name, caps) and the file's bytes in, JSON out."""
    stream = sys.stdin.buffer
    header = json.loads(stream.readline())
    caps = Caps(**header["caps"])
    _limit_self(caps)
    data = stream.read(caps.max_bytes + 1)
    from crumail.checks.attachments.inspect import inspect_bytes

    results = inspect_bytes(str(header["name"]), data, caps)
    del data
    _write([r.as_json() for r in results])
    return 0


def _write(value: object) -> None:
    """JSON to standard output in 1 MB writes: never the whole answer as one string."""
    out, size = [], 0
    for part in json.JSONEncoder(ensure_ascii=False).iterencode(value):
        out.append(part)
        size += len(part)
        if size > 1 << 20:
            sys.stdout.write("".join(out))
            out, size = [], 0
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    sys.exit(main())
