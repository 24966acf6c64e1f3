"""PST readers for issue 12: libpff-python (pypff) against readpst (pst-utils).

For each PST given (default: the three samples in ../shared/corpus/pst/)
it reports what each reader brings out (messages, attachments, nested
messages) and what crumail's parser then sees in the bytes; the time per
item of each reader against mail-parser's ``parse_from_bytes`` on the same
messages in the same run; and, with ``--corrupt N``, what each reader does
with N copies of a sample damaged at random (each run in a child process
with a time and memory limit, so that a crash or a hang is counted rather
than suffered).  The study that reads these figures is docs/pst-study.md.

    .venv/bin/pip install libpff-python      # not a dependency of crumail
    apt-get install pst-utils                # readpst
    .venv/bin/python bench/pst_readers.py [--runs 100] [--corrupt 200] [--seed 12] [PST...]

Nothing here is imported by crumail; it is a measuring script.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timezone
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crumail.parse import parse_bytes  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pst"
# MAPI property tags read from pypff record sets.
SUBJECT, HEADERS, MESSAGE_ID, SUBMIT, DELIVERY = 0x0037, 0x007D, 0x1035, 0x0039, 0x0E06
SENDER_NAME, SENDER_SMTP, SENDER_EMAIL = 0x0C1A, 0x5D01, 0x0C1F
DISPLAY_NAME, EMAIL, SMTP_ADDRESS, RECIPIENT_TYPE = 0x3001, 0x3003, 0x39FE, 0x0C15
ATTACH_METHOD, LONG_NAME, SHORT_NAME, MIME_TAG, CONTENT_ID = 0x3705, 0x3707, 0x3704, 0x370E, 0x3712
BY_VALUE, EMBEDDED = 1, 5
HEADER_OF = {1: "To", 2: "Cc", 3: "Bcc"}


# --------------------------------------------------------------------------- pypff

def entry(item: Any, tag: int) -> Any:
    for index in range(item.get_number_of_record_sets()):
        found = item.get_record_set(index).get_entry_by_type(tag)
        if found is not None:
            return found
    return None


def text(item: Any, tag: int) -> str | None:
    found = entry(item, tag)
    return found.get_data_as_string() if found is not None else None


def integer(item: Any, tag: int) -> int | None:
    found = entry(item, tag)
    return found.get_data_as_integer() if found is not None else None


def when(item: Any, tag: int) -> Any:
    found = entry(item, tag)
    return found.get_data_as_datetime() if found is not None else None


def pff_messages(path: Path | str) -> Iterator[tuple[str, Any]]:
    """(folder path, message) for every message, depth first."""
    import pypff

    pst = pypff.file()
    pst.open(str(path))
    stack = [("", pst.get_root_folder())]
    while stack:
        where, folder = stack.pop()
        where = f"{where}/{folder.get_name() or ''}"
        for index in range(folder.get_number_of_sub_messages()):
            yield where, folder.get_sub_message(index)
        stack.extend((where, folder.get_sub_folder(i)) for i in range(folder.get_number_of_sub_folders()))


def pff_to_mime(message: Any) -> tuple[bytes, dict[str, int]]:
    """A MIME message built from a pypff message's properties, and what was lost.

    The compat32 ``email.mime`` classes store headers as given: the default
    policy parses every address header (a 200-recipient To: costs 0.3 s).
    """
    mime = MIMEMultipart("mixed")
    subject = text(message, SUBJECT) or ""
    mime["Subject"] = subject[2:] if subject.startswith("\x01") else subject  # MAPI prefix marker
    sender = text(message, SENDER_SMTP) or text(message, SENDER_EMAIL)
    if sender or text(message, SENDER_NAME):
        mime["From"] = formataddr((text(message, SENDER_NAME) or "", sender or ""))
    for kind, names in _recipients(message).items():
        mime[HEADER_OF.get(kind, "To")] = ", ".join(names)
    stamp = when(message, SUBMIT) or when(message, DELIVERY)
    if stamp:
        mime["Date"] = format_datetime(stamp.replace(tzinfo=timezone.utc))
    if text(message, MESSAGE_ID):
        mime["Message-ID"] = text(message, MESSAGE_ID)
    body = MIMEMultipart("alternative")
    body.attach(MIMEText((message.get_plain_text_body() or b"").decode("utf-8", "replace"), "plain", "utf-8"))
    html = message.get_html_body()
    if html:
        body.attach(MIMEText(html.decode("utf-8", "replace"), "html", "utf-8"))
    mime.attach(body)
    lost = {"nested": 0}
    for index in range(message.get_number_of_attachments()):
        lost["nested"] += _attach(mime, message.get_attachment(index))
    return mime.as_bytes(), lost


def _recipients(message: Any) -> dict[int, list[str]]:
    table = message.recipients
    found: dict[int, list[str]] = {}
    for index in range(table.get_number_of_record_sets() if table is not None else 0):
        row = table.get_record_set(index)
        value = {e.get_entry_type(): e for e in row.entries}
        address = value.get(SMTP_ADDRESS) or value.get(EMAIL)
        name = value.get(DISPLAY_NAME)
        kind = value[RECIPIENT_TYPE].get_data_as_integer() if RECIPIENT_TYPE in value else 1
        found.setdefault(kind, []).append(formataddr((
            name.get_data_as_string() if name else "", address.get_data_as_string() if address else "")))
    return found


def _attach(mime: MIMEMultipart, attachment: Any) -> int:
    """Attach by-value data; 1 when the attachment is a message pypff cannot open."""
    if integer(attachment, ATTACH_METHOD) == EMBEDDED:
        return 1  # read_buffer would give the nested message's raw property heap, not a message
    data = attachment.read_buffer(attachment.get_size()) if attachment.get_size() else b""
    name = text(attachment, LONG_NAME) or text(attachment, SHORT_NAME) or "attachment.bin"
    _maintype, _, subtype = (text(attachment, MIME_TAG) or "application/octet-stream").partition("/")
    part = MIMEApplication(data, subtype or "octet-stream")
    part.add_header("Content-Disposition", "attachment", filename=name)
    mime.attach(part)
    return 0


# --------------------------------------------------------------------------- readpst

def readpst(path: Path, out: Path) -> list[Path]:
    """readpst -e into ``out``; the .eml files it wrote, in order."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["readpst", "-q", "-e", "-o", str(out), str(path)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sorted(out.rglob("*.eml"))


def repair_readpst(raw: bytes) -> bytes:
    """What an importer would mend: the mbox ``>From`` line readpst puts at the top of a nested message."""
    return raw.replace(b"Content-Type: message/rfc822\n\n>From ", b"Content-Type: message/rfc822\n\nX-Readpst-From: ")


# --------------------------------------------------------------------------- reports

def seen(raw: bytes) -> str:
    parsed = parse_bytes(raw, "item.eml")
    addressed = sum(1 for a in parsed.to if a.address and "@" in a.address)
    return (f"{len(parsed.attachments)} attachment(s), {len(parsed.nested)} nested, "
            f"to={addressed}/{len(parsed.to)} with an address, date={'yes' if parsed.date else 'no'}")


def report_contents(paths: list[Path]) -> None:
    print("What each reader brings out, and what crumail's parser then sees")
    for path in paths:
        print(f"  {path.name}")
        for where, message in pff_messages(path):
            raw, lost = pff_to_mime(message)
            print(f"    pypff    {where!r}: {seen(raw)}; nested messages pypff cannot open: {lost['nested']}")
        with tempfile.TemporaryDirectory() as tmp:
            for eml in readpst(path, Path(tmp)):
                raw = eml.read_bytes()
                print(f"    readpst  {eml.relative_to(tmp)}: {seen(raw)}; after repair: {seen(repair_readpst(raw))}")


def rate(label: str, work: Any, runs: int) -> float:
    start = time.perf_counter()
    items = sum(work() for _ in range(runs))
    per_second = items / (time.perf_counter() - start)
    print(f"  {label:<44} {per_second:9.0f} items/s")
    return per_second


def report_speed(paths: list[Path], runs: int) -> None:
    import mailparser

    with tempfile.TemporaryDirectory() as tmp:
        emls = [eml.read_bytes() for i, p in enumerate(paths) for eml in readpst(p, Path(tmp) / str(i))]

    def baseline() -> int:
        for raw in emls:
            mailparser.parse_from_bytes(raw)
        return len(emls)

    def pff() -> int:
        return sum(1 for p in paths for _where, m in pff_messages(p) if pff_to_mime(m))

    def pff_open_only() -> int:
        return sum(1 for p in paths for _ in pff_messages(p))

    def rpst() -> int:
        with tempfile.TemporaryDirectory() as out:
            return sum(len(readpst(p, Path(out) / str(i))) for i, p in enumerate(paths))

    def spawn() -> int:
        for _ in paths:
            subprocess.run(["readpst", "-V"], stdout=subprocess.DEVNULL, check=True)
        return len(paths)

    print(f"\nSpeed over {runs} run(s) of {len(paths)} file(s) ({len(emls)} message(s)), one process, this machine")
    base = rate("mail-parser parse_from_bytes (baseline)", baseline, runs)
    figures = {
        "pypff: open and walk only": rate("pypff: open and walk only", pff_open_only, runs),
        "pypff: open, walk, build MIME": rate("pypff: open, walk, build MIME", pff, runs),
        "readpst -e: one process per file": rate("readpst -e: one process per file", rpst, runs),
        "process spawn alone (readpst -V)": rate("process spawn alone (readpst -V)", spawn, runs),
    }
    for label, value in figures.items():
        print(f"  ratio to baseline  {label:<34} {value / base:6.2f}")


LIMIT_SECONDS, LIMIT_BYTES = 20, 1 << 30


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


PFF_CHILD = """
import sys; sys.path.insert(0, {root!r})
from bench.pst_readers import pff_messages, pff_to_mime
stage, n = "open or walk", 0
try:
    for where, m in pff_messages(sys.argv[1]):
        stage = "item"
        pff_to_mime(m); n += 1
        stage = "open or walk"
except Exception:
    print(f"error in {{stage}} after {{n}} item(s)")
    sys.exit(1)
print(f"{{n}} item(s)")
"""


def outcome(command: list[str], out: Path | None) -> str:
    """How a reader fared: what it printed, how it ended, what it wrote."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=LIMIT_SECONDS, preexec_fn=_limit)
    except subprocess.TimeoutExpired:
        return "hang (killed)"
    if done.returncode < 0:
        return f"crash (signal {-done.returncode})"
    said = done.stdout.decode(errors="replace").strip() if out is None else ""
    wrote = f"{len(list(out.rglob('*.eml')))} .eml" if out is not None else said
    return f"{'error' if done.returncode else 'ok'}: {wrote}"


def report_corruption(sample: Path, trials: int, seed: int) -> None:
    data = bytearray(sample.read_bytes())
    rng = random.Random(seed)
    child = PFF_CHILD.format(root=str(Path(__file__).resolve().parents[1]))
    tally: dict[str, dict[str, int]] = {"pypff": {}, "readpst": {}}
    with tempfile.TemporaryDirectory() as tmp:
        broken = Path(tmp) / "broken.pst"
        for _ in range(trials):
            copy = bytearray(data)
            start = rng.randrange(512, len(copy) - 64)  # leave the file header: that case is all-or-nothing
            copy[start:start + rng.choice((1, 8, 64))] = rng.randbytes(64)[: rng.choice((1, 8, 64))]
            broken.write_bytes(bytes(copy[: len(data)]))
            out = Path(tmp) / "out"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            for name, command, written in (("pypff", [sys.executable, "-c", child, str(broken)], None),
                                           ("readpst", ["readpst", "-q", "-e", "-o", str(out), str(broken)], out)):
                result = outcome(command, written)
                tally[name][result] = tally[name].get(result, 0) + 1
    print(f"\nCorruption: {trials} copies of {sample.name}, 1-64 random bytes overwritten past the header (seed {seed})")
    for name, counts in tally.items():
        print(f"  {name}")
        for result, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"    {count:5d}  {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pst", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--corrupt", type=int, default=0)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    paths = args.pst or sorted(SAMPLES.glob("*.pst"))
    if not paths:
        sys.exit(f"no PST given and none in {SAMPLES}")
    report_contents(paths)
    report_speed(paths, args.runs)
    if args.corrupt:
        report_corruption(paths[0], args.corrupt, args.seed)


if __name__ == "__main__":
    main()
