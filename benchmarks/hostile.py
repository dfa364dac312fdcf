"""The worst spreadsheets from issue 9, imported by `journeymap import`: time and memory.

Each case is built here (no files are kept), imported into the library sample
in a child process, and its wall time and peak memory (max RSS) printed.  The
goal: every case finishes or refuses within 5 s and 500 MB.

    python benchmarks/hostile.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_maps" / "library_visit.journey.json"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = REL


def write_xlsx(path: Path, rows: list[str] | str, strings: list[str] | None = None) -> Path:
    """A minimal workbook with one sheet whose ``<sheetData>`` holds ``rows``."""
    body = "".join(rows) if isinstance(rows, list) else rows
    rels = f'<Relationship Id="r1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    if strings is not None:
        rels += f'<Relationship Id="rS" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Obs" sheetId="1" r:id="r1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}">'
            f'<dimension ref="A1"/><sheetData>{body}</sheetData></worksheet>',
        )
        if strings is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in strings)
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{items}</sst>')
    return path


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = (
    '<row r="1">'
    + cell("A1", "touchpoint")
    + cell("B1", "method")
    + cell("C1", "reality")
    + "</row>"
)


def cases(folder: Path, rows: int) -> dict[str, Path]:
    bad_rows = "".join(
        f'<row r="{n}">{cell(f"A{n}", "t-desk")}{cell(f"B{n}", "shadowing")}'
        f'<c r="C{n}"><v>9</v></c></row>'
        for n in range(2, rows + 2)
    )
    bad = write_xlsx(folder / "bad-rows.xlsx", HEADER + bad_rows)
    # The same rows in the shortest form Excel reads: no cell references, shared
    # strings; well within the size limit.
    short_rows = '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c><v>9</v></c></row>' * rows
    return {
        "far-away cell (XFD1048576)": write_xlsx(
            folder / "far.xlsx", HEADER + '<row r="1048576">' + cell("XFD1048576", "x") + "</row>"
        ),
        "far-away cell in a known column (C1048576)": write_xlsx(
            folder / "far-c.xlsx", HEADER + '<row r="1048576"><c r="C1048576"><v>3</v></c></row>'
        ),
        "400 MB shared string": write_xlsx(
            folder / "huge-string.xlsx",
            HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
            strings=["a" * 400_000_000],
        ),
        f"{rows:,} bad rows": bad,
        f"{rows:,} bad rows, --max-size 1GB": bad,
        f"{rows:,} bad rows, shortest form": write_xlsx(
            folder / "short-rows.xlsx", HEADER + short_rows, strings=["t-desk", "shadowing"]
        ),
    }


# Runs one command and prints its peak memory: a child's own, not the largest
# of every child this script has run.
_PEAK = (
    "import resource, subprocess, sys; "
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "sys.stderr.write(r.stderr); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
    "sys.exit(r.returncode)"
)


def measure(path: Path, folder: Path, *options: str) -> tuple[float, float, int, list[str]]:
    """Wall seconds, peak MB, exit code and stderr lines of one import."""
    journeymap = Path(sys.executable).parent / "journeymap"
    command = [str(journeymap), "import", str(path), "--into", str(SAMPLE),
               "-o", str(folder / "out.journey.json"), *options]  # fmt: skip
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, *command], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    megabytes = int(result.stdout.split()[-1]) / 1024  # kB on Linux
    return seconds, megabytes, result.returncode, result.stderr.splitlines()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("| case | file | seconds | peak MB | exit | stderr lines | first line |")
        print("|---|---|---|---|---|---|---|")
        for label, path in cases(folder, options.rows).items():
            extra = ["--max-size", "1GB"] if "--max-size" in label else []
            seconds, megabytes, code, lines = measure(path, folder, *extra)
            size = path.stat().st_size
            first = lines[0].replace(str(folder) + "/", "")[:90] if lines else ""
            print(f"| {label} | {size / 1000:,.0f} kB | {seconds:.2f} | {megabytes:,.0f} | "
                  f"{code} | {len(lines)} | {first} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
