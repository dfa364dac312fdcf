"""`make bench`: whole-process timings of the headless commands against a floor.

The floor is the least any tool must do to answer from the same file:
start Python, import json and networkx, and parse the file.  Runs are
interleaved (floor, command, floor, command...) so that a noisy neighbour
hurts both alike, and medians are reported.  Results go to stdout and into
docs/performance.md between the ``bench:gaps`` markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "_data"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:gaps:start -->", "<!-- bench:gaps:end -->"

sys.path.insert(0, str(HERE))
from synthetic import write_synthetic  # noqa: E402


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(path: Path, runs: int) -> tuple[float, float]:
    journeymap = str(Path(sys.executable).with_name("journeymap"))
    floor_cmd = [sys.executable, "-c", f"import json, networkx; json.load(open({str(path)!r}))"]
    gaps_cmd = [journeymap, "gaps", "--format", "json", str(path)]
    timed(floor_cmd), timed(gaps_cmd)  # warm the disk cache and .pyc files
    floors, gaps = [], []
    for _ in range(runs):
        floors.append(timed(floor_cmd))
        gaps.append(timed(gaps_cmd))
    return statistics.median(floors), statistics.median(gaps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--no-write", action="store_true", help="do not update performance.md")
    options = parser.parse_args()

    rows = []
    for size in options.sizes:
        path = write_synthetic(DATA, size)
        floor, gaps = measure(path, options.runs)
        mb = path.stat().st_size / 1e6
        rows.append(
            f"| {size:,} | {size * 10:,} | {mb:.1f} MB | {floor:.3f} s | {gaps:.3f} s "
            f"| {gaps / floor:.2f}x |"
        )
        print(rows[-1], flush=True)

    table = "\n".join(
        [
            START,
            f"Measured {dt.date.today().isoformat()} on {platform.machine()}, "
            f"Python {platform.python_version()}, median of {options.runs} interleaved runs.",
            "",
            "| touch points | observations | file | floor | `journeymap gaps` | ratio |",
            "|---:|---:|---:|---:|---:|---:|",
            *rows,
            END,
        ]
    )
    if not options.no_write and DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            tail = rest.split(END, 1)[1]
            DOC.write_text(head + table + tail, encoding="utf-8")
            print(f"updated {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
