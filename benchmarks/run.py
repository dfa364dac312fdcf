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
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "_data"
DOC = ROOT / "docs" / "performance.md"

sys.path.insert(0, str(HERE))
from dot import write_dot  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

from journeymap.fileio import load_map  # noqa: E402


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(path: Path, runs: int) -> tuple[float, float, float]:
    """Medians of the floor, `journeymap gaps` and `journeymap insights`, interleaved."""
    journeymap = str(Path(sys.executable).with_name("journeymap"))
    floor_cmd = [sys.executable, "-c", f"import json, networkx; json.load(open({str(path)!r}))"]
    gaps_cmd = [journeymap, "gaps", "--format", "json", str(path)]
    insights_cmd = [journeymap, "insights", "--format", "json", str(path)]
    timed(floor_cmd), timed(gaps_cmd), timed(insights_cmd)  # warm the disk cache and .pyc files
    floors, gaps, insights = [], [], []
    for _ in range(runs):
        floors.append(timed(floor_cmd))
        gaps.append(timed(gaps_cmd))
        insights.append(timed(insights_cmd))
    return statistics.median(floors), statistics.median(gaps), statistics.median(insights)


def first_paint(path: Path) -> float:
    """Seconds from starting a process to the map view's first painted frame."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(HERE / "gui.py"), "first-paint", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait()
    if "PAINTED" not in line:
        raise RuntimeError("the window did not paint")
    return elapsed


def measure_window(path: Path, runs: int) -> list[str]:
    first_paint(path)  # warm .pyc files and the disk cache
    paints = [first_paint(path) for _ in range(runs)]
    result = subprocess.run(
        [sys.executable, str(HERE / "gui.py"), "edits", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = dict(line.split() for line in result.stdout.splitlines() if line.strip())
    return [
        f"| start to first painted frame | {statistics.median(paints):.2f} s | 1.5 s |",
        f"| add one observation (card, tables, repaint) | {float(figures['ADD']):.1f} ms | 16 ms |",
        f"| move one card (repaint included) | {float(figures['MOVE']):.1f} ms | 16 ms |",
    ]


def measure_exports(sizes: list[int], runs: int) -> list[str]:
    """`journeymap export` to SVG and PNG against Graphviz dot on the same graph."""
    journeymap = str(Path(sys.executable).with_name("journeymap"))
    dot = shutil.which("dot")
    rows = []
    for size in sizes:
        path = write_synthetic(DATA, size)
        dot_path = write_dot(load_map(path), path.with_suffix(".dot"))
        count = runs if size < 3000 else 1
        for fmt in ("svg", "png"):
            out = DATA / f"out_{size}.{fmt}"
            ours = statistics.median(
                timed([journeymap, "export", str(path), "-o", str(out)]) for _ in range(count)
            )
            if dot:
                theirs = statistics.median(
                    timed([dot, f"-T{fmt}", str(dot_path), "-o", str(out) + ".dot"])
                    for _ in range(count)
                )
                rows.append(f"| {size:,} | {fmt.upper()} | {ours:.2f} s | {theirs:.2f} s | "
                            f"{ours / theirs:.2f}x |")  # fmt: skip
            else:
                rows.append(f"| {size:,} | {fmt.upper()} | {ours:.2f} s | (dot not installed) | |")
            print(rows[-1], flush=True)
    return rows


def write_section(name: str, caption: str, header: str, rows: list[str]) -> None:
    """Put a table between the ``bench:NAME`` markers of docs/performance.md."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    if not DOC.exists():
        return
    text = DOC.read_text(encoding="utf-8")
    if start not in text or end not in text:
        return
    # Numbers right-aligned; the text columns ("format", "what") left.
    names = [c.strip() for c in header.strip("|").split("|")]
    rule = "|" + "|".join("---" if n in ("format", "what") else "---:" for n in names) + "|"
    body = "\n".join([start, caption, "", header, rule, *rows, end])
    head, rest = text.split(start, 1)
    DOC.write_text(head + body + rest.split(end, 1)[1], encoding="utf-8")
    print(f"updated {DOC.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--no-write", action="store_true", help="do not update performance.md")
    parser.add_argument("--skip-window", action="store_true", help="skip the window timings")
    parser.add_argument("--skip-export", action="store_true", help="skip the export timings")
    options = parser.parse_args()

    rows = []
    for size in options.sizes:
        path = write_synthetic(DATA, size)
        floor, gaps, insights = measure(path, options.runs)
        mb = path.stat().st_size / 1e6
        rows.append(
            f"| {size:,} | {size * 10:,} | {mb:.1f} MB | {floor:.3f} s | {gaps:.3f} s "
            f"| {gaps / floor:.2f}x | {insights:.3f} s | {insights / gaps:.2f}x |"
        )
        print(rows[-1], flush=True)

    measured = f"Measured {dt.date.today().isoformat()} on {platform.machine()}"
    if not options.no_write:
        write_section(
            "gaps",
            f"{measured}, Python {platform.python_version()}, "
            f"median of {options.runs} interleaved runs.",
            "| touch points | observations | file | floor | `journeymap gaps` | ratio "
            "| `journeymap insights` | to gaps |",
            rows,
        )
    if not options.skip_export:
        export_runs = max(3, options.runs // 3)
        rows = measure_exports([100, 1000, 3000], export_runs)
        if not options.no_write:
            write_section(
                "export",
                f"{measured}; whole process, median of {export_runs} runs "
                "(one at 3,000 touch points).",
                "| touch points | format | `journeymap export` | `dot` | ratio |",
                rows,
            )
    if not options.skip_window:
        paint_runs = max(3, options.runs // 2)
        rows = measure_window(write_synthetic(DATA, 1000), paint_runs)
        for row in rows:
            print(row, flush=True)
        if not options.no_write:
            write_section(
                "window",
                f"{measured}, offscreen, 1,000 touch points and 10,000 observations; first "
                f"paint is the median of {paint_runs} runs, edits the median of 100.",
                "| what | measured | target |",
                rows,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
