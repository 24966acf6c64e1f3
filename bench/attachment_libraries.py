"""Bare load rates of the libraries issue 10's attachment checks would stand on.

Builds the benchmark inputs of issue 10 with the corpus script (a workbook
of about 20 MB: 100,000 incident rows, a hidden sheet, a pivot cache of
100,000 records; and a 200-page text PDF), then reads each in a fresh
process per reader and prints MB/s (file size over wall time), the peak
resident memory the reader added (as a multiple of the file size), and each reader's time as
a ratio to the baseline the issue names (openpyxl read-only load for the
workbook, pdfplumber text extraction for the PDF), all measured in the same
run.

    .venv/bin/python bench/attachment_libraries.py [--rows 100000] [--pages 200] [--runs 1] [--skip-full-load]

The figures go in docs/attachments-study.md.  Fictitious data only.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "attachments"
MEMORY_CAP = 8 << 30  # address space per reader; openpyxl's full load needs about 2.5 GB

# Each reader runs as its own program so that its peak memory is its own.
READERS = {
    "xlsx": {
        "openpyxl read-only (baseline)": """
import openpyxl
wb = openpyxl.load_workbook(PATH, read_only=True)
n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
wb.close()
""",
        "zipfile inflate only": """
import zipfile
with zipfile.ZipFile(PATH) as z:
    n = 0
    for info in z.infolist():
        with z.open(info) as f:
            while chunk := f.read(1 << 20):
                n += len(chunk)
""",
        "lxml iterparse every part": """
import zipfile
from lxml import etree
n = 0
with zipfile.ZipFile(PATH) as z:
    for info in z.infolist():
        if info.filename.endswith(".xml"):
            with z.open(info) as f:
                for _, el in etree.iterparse(f, events=("end",), resolve_entities=False, no_network=True):
                    if el.text:
                        n += 1
                    el.clear()
                    parent = el.getparent()
                    while parent is not None and el.getprevious() is not None:
                        del parent[0]
""",
        "regex over inflated parts, lxml strings": """
import re, zipfile
from lxml import etree
CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(?:<v>([^<]*)</v>)?')
FLAG = re.compile(rb'<(?:row|col) [^>]*hidden="(?:1|true)"')
VALUE = re.compile(rb' v="([^"]*)"')
n = 0
with zipfile.ZipFile(PATH) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith("sharedStrings.xml"):
            with z.open(info) as f:
                for _, si in etree.iterparse(f, tag="{http://schemas.openxmlformats.org/spreadsheetml/2006/main}si",
                                             resolve_entities=False, no_network=True):
                    n += len("".join(si.itertext()))
                    si.clear()
        elif name.startswith(("xl/worksheets/sheet", "xl/pivotCache/pivotCacheRecords")):
            # 4 MiB at a time, cut after the last whole row or record
            end = b"</row>" if "worksheets" in name else b"</r>"
            rest = b""
            with z.open(info) as f:
                while True:
                    chunk = f.read(1 << 22)
                    data = rest + chunk
                    cut = (data.rfind(end) + len(end) if end in data else 0) if chunk else len(data)
                    data, rest = data[:cut], data[cut:]
                    if "worksheets" in name:
                        n += sum(1 for _ in CELL.finditer(data)) + sum(1 for _ in FLAG.finditer(data))
                    else:
                        n += sum(1 for _ in VALUE.finditer(data))
                    if not chunk:
                        break
""",
        "openpyxl full load (pivots, comments)": """
import openpyxl
wb = openpyxl.load_workbook(PATH)
n = sum(len(p.cache.records.r) for ws in wb.worksheets for p in ws._pivots if p.cache.records)
""",
    },
    "pdf": {
        "pdfplumber extract_text (baseline)": """
import pdfplumber
with pdfplumber.open(PATH) as pdf:
    n = 0
    for page in pdf.pages:
        n += len(page.extract_text() or "")
        page.close()
""",
        "pdfplumber chars + rects": """
import pdfplumber
with pdfplumber.open(PATH) as pdf:
    n = 0
    for page in pdf.pages:
        n += len(page.chars) + len(page.rects)
        page.close()
""",
        "pdfminer.six extract_text": """
from pdfminer.high_level import extract_text
n = len(extract_text(PATH))
""",
        "pypdfium2 text + page objects (z-order)": """
import pypdfium2 as pdfium
pdf = pdfium.PdfDocument(PATH)
n = 0
for page in pdf:
    n += len(page.get_textpage().get_text_range()) + sum(1 for _ in page.get_objects())
""",
        "pypdf extract_text": """
from pypdf import PdfReader
n = sum(len(p.extract_text()) for p in PdfReader(PATH).pages)
""",
    },
}

# Imports happen before the clock starts (a daemon pays them once), and
# memory is the peak above what the process held once they were done.
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child
# would report the peak of the parent that built the inputs.
TIMED = """
import re, sys, time
import openpyxl, zipfile, lxml.etree, pdfplumber, pdfminer.high_level, pypdf, pypdfium2  # imports are not timed
PATH = sys.argv[1]
def memory(field):
    with open("/proc/self/status") as status:
        return int(re.search(field + r":\\s+(\\d+) kB", status.read()).group(1)) * 1024
before = memory("VmRSS")
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(elapsed, max(0, memory("VmHWM") - before), n)
"""


def build_inputs(folder: Path, rows: int, pages: int) -> dict[str, Path]:
    sys.path.insert(0, str(CORPUS))
    import corpus_pdf
    import corpus_xlsx

    workbook, report = folder / "bench.xlsx", folder / "bench.pdf"
    corpus_xlsx.large_workbook(workbook, rows=rows)
    report.write_bytes(corpus_pdf.long_report(pages))
    return {"xlsx": workbook, "pdf": report}


def _cap_memory() -> None:
    """A reader gone wrong fails on its own instead of waking the OOM killer on a shared machine."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def measure(body: str, path: Path, runs: int) -> tuple[float, int]:
    """Best wall time of ``runs`` fresh processes, and the largest peak RSS added by the reader."""
    best, peak = float("inf"), 0
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", TIMED.format(body=body), str(path)], preexec_fn=_cap_memory,
                              capture_output=True, text=True, check=True, timeout=1800)
        elapsed, rss, _ = done.stdout.split()
        best, peak = min(best, float(elapsed)), max(peak, int(rss))
    return best, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--skip-full-load", action="store_true", help="leave out openpyxl's full load (minutes, GBs)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        inputs = build_inputs(Path(tmp), args.rows, args.pages)
        for kind, readers in READERS.items():
            size = inputs[kind].stat().st_size
            print(f"{kind}: {inputs[kind].name}, {size / 1e6:.1f} MB" + (f", {args.pages} pages" if kind == "pdf" else ""))
            baseline = None
            for name, body in readers.items():
                if args.skip_full_load and "full load" in name:
                    continue
                elapsed, rss = measure(body, inputs[kind], args.runs)
                baseline = baseline or elapsed
                results.append({"kind": kind, "reader": name, "seconds": elapsed, "mb_per_s": size / 1e6 / elapsed,
                                "added_rss_mb": rss / 1e6, "rss_over_size": rss / size, "ratio": elapsed / baseline,
                                "pages_per_s": args.pages / elapsed if kind == "pdf" else None})
                r = results[-1]
                rate = f"{r['pages_per_s']:7.1f} pages/s" if kind == "pdf" else f"{r['mb_per_s']:7.2f} MB/s   "
                print(f"  {name:42s} {r['seconds']:7.2f} s {rate}  memory +{r['added_rss_mb']:5.0f} MB "
                      f"({r['rss_over_size']:5.1f}x file)  {r['ratio']:5.2f}x baseline")
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
