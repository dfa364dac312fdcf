"""How sure each gap is: Student-t intervals, evidence levels, the confident ranking.

Every interval is worked out by hand in the comments; t quantiles come from a
printed t table (and, when scipy is installed, are checked against it).
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys

import pytest

from journeymap.fileio import save_map
from journeymap.model import JourneyMap, Observation, Scale, Stage, TouchPoint
from journeymap.model.analysis import (
    GAP_RECORD_KEYS,
    GapStats,
    TouchPointGap,
    confident_key,
    gap_stats,
    stage_gaps,
    touchpoint_gaps,
)
from journeymap.model.evidence import evidence_level, t_quantile
from tests.test_cli import run

#: t(0.975, df) from a printed t table (three decimals).
T_TABLE = {1: 12.706, 2: 4.303, 3: 3.182, 5: 2.571, 9: 2.262, 10: 2.228, 30: 2.042, 120: 1.980}
# Exact forms: t(0.975, 1) = tan(0.475 pi); t(0.975, 2) = 0.95 * sqrt(2 / (4 * 0.975 * 0.025)).
T1 = math.tan(0.475 * math.pi)
T2 = 0.95 * math.sqrt(2 / 0.0975)


def obs(i: int, tp: str, e: float | None, r: float | None, method="shadowing", who="Jo"):
    return Observation(f"o{i}", tp, method, who, expectation=e, reality=r)


def stats_of(pairs, methods=None, observers=None):
    """Stats of observations with the given (expectation, reality) pairs."""
    records = []
    for i, (e, r) in enumerate(pairs):
        method = methods[i] if methods else "shadowing"
        who = observers[i] if observers else "Jo"
        records.append(obs(i, "t", e, r, method, who))
    return gap_stats(records, 1.0)


# -- the t quantile ----------------------------------------------------------


def test_t_quantile_matches_a_printed_table_and_exact_forms():
    for df, value in T_TABLE.items():
        assert t_quantile(0.975, df) == pytest.approx(value, abs=5e-4), df
    assert t_quantile(0.975, 1) == pytest.approx(T1, abs=1e-12)
    assert t_quantile(0.975, 2) == pytest.approx(T2, abs=1e-12)
    assert t_quantile(0.025, 9) == -t_quantile(0.975, 9)


def test_t_quantile_agrees_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    for df in range(1, 1001):
        assert abs(t_quantile(0.975, df) - stats.t.ppf(0.975, df)) < 1e-6, df
    # Beyond the exact range (Cornish-Fisher), and other probabilities.
    for df in (1001, 1500, 5000, 10**6):
        assert abs(t_quantile(0.975, df) - stats.t.ppf(0.975, df)) < 1e-6, df
    for p in (0.6, 0.9, 0.995, 0.05):
        for df in (1, 2, 3, 7, 40, 333):
            assert abs(t_quantile(p, df) - stats.t.ppf(p, df)) < 1e-6, (p, df)


def test_t_quantile_refuses_nonsense():
    for p, df in [(0.975, 0), (0.975, 2.5), (1.0, 3), (0.0, 3)]:
        with pytest.raises(ValueError):
            t_quantile(p, df)


# -- intervals ---------------------------------------------------------------


def test_interval_n2():
    # gaps 1 and 3: mean 2, spread sqrt(2), half width t(1) * sqrt(2) / sqrt(2) = 12.706
    s = stats_of([(4, 3), (5, 2)])
    assert s.gap == 2 and s.spread == pytest.approx(math.sqrt(2))
    assert s.ci_low == pytest.approx(2 - T1, abs=1e-9)
    assert s.ci_high == pytest.approx(2 + T1, abs=1e-9)
    assert s.ci_low == pytest.approx(-10.706, abs=5e-4)


def test_interval_n3():
    # gaps 1, 2, 3: mean 2, spread 1, half width 4.303 / sqrt(3) = 2.484
    s = stats_of([(4, 3), (4, 2), (5, 2)])
    assert s.spread == pytest.approx(1)
    assert s.ci_low == pytest.approx(2 - T2 / math.sqrt(3), abs=1e-9)
    assert s.ci_high == pytest.approx(2 + T2 / math.sqrt(3), abs=1e-9)
    assert (s.ci_low, s.ci_high) == pytest.approx((-0.484, 4.484), abs=5e-4)


def test_interval_n10():
    # gaps 0 1 1 2 2 2 2 3 3 4: mean 2, squared deviations 4+1+1+0+0+0+0+1+1+4 = 12,
    # spread sqrt(12 / 9) = 1.1547, half width 2.262 * 1.1547 / sqrt(10) = 0.826
    gaps = [0, 1, 1, 2, 2, 2, 2, 3, 3, 4]
    s = stats_of([(5, 5 - g) for g in gaps])
    assert s.gap == 2 and s.spread == pytest.approx(math.sqrt(12 / 9))
    assert (s.ci_low, s.ci_high) == pytest.approx((2 - 0.826, 2 + 0.826), abs=5e-4)
    half = 2.2621571627 * math.sqrt(12 / 9) / math.sqrt(10)  # t(0.975, 9) to ten digits
    assert (s.ci_low, s.ci_high) == pytest.approx((2 - half, 2 + half), abs=1e-9)


def test_no_interval_below_two_and_a_point_when_all_agree():
    assert stats_of([]).ci_low is None
    one = stats_of([(5, 1)])
    assert (one.ci_low, one.ci_high) == (None, None)
    same = stats_of([(4, 2), (5, 3), (3, 1)])
    assert (same.ci_low, same.ci_high) == (2, 2)


# -- evidence ----------------------------------------------------------------


def test_evidence_levels_at_the_boundaries():
    assert evidence_level(0, 0, 0) == "none"
    assert evidence_level(1, 3, 3) == "weak"
    assert evidence_level(2, 3, 3) == "weak"
    assert evidence_level(3, 1, 1) == "moderate"
    assert evidence_level(7, 5, 5) == "moderate"
    assert evidence_level(8, 2, 2) == "strong"
    assert evidence_level(8, 1, 2) == "moderate"
    assert evidence_level(8, 2, 1) == "moderate"


def test_methods_and_observers_count_only_paired_named_ones():
    pairs = [(4, 2)] * 8
    methods = ["shadowing", "service-safari"] + ["shadowing"] * 6
    # "Ana" twice (spaces do not make a new observer) and two unnamed ones.
    who = ["Ana", " Ana", "", "  ", "Ana", "Ana", "Ana", "Ana"]
    s = stats_of(pairs, methods, who)
    assert s.methods == ("service-safari", "shadowing")
    assert s.observers == 1
    assert s.evidence == "moderate"
    s = stats_of(pairs, methods, ["Ana", "Jo", "", "", "", "", "", ""])
    assert (s.observers, s.evidence) == (2, "strong")
    # One short of eight: moderate.
    s = stats_of(pairs[:7], methods[:7], ["Ana", "Jo", "", "", "", "", ""])
    assert s.evidence == "moderate"
    # An unpaired observation (reality only) adds neither method nor observer.
    records = [obs(i, "t", 4, 2, "shadowing", "Ana") for i in range(8)]
    records.append(obs(9, "t", None, 3, "interview", "Kim"))
    s = gap_stats(records, 1.0)
    assert (s.methods, s.observers, s.evidence, s.n) == (("shadowing",), 1, "moderate", 8)


def test_stage_statistics_carry_intervals_and_evidence(small_map):
    find = {s.stage: s.stats for s in stage_gaps(small_map)}["s-find"]
    # t-desk gaps 2, 1, 3 and t-kiosk gaps 2, 2: n 5, mean 2, spread sqrt(2 / 4),
    # half width t(0.975, 4) = 2.776 * 0.7071 / sqrt(5) = 0.878
    assert find.n == 5
    assert (find.ci_low, find.ci_high) == pytest.approx((2 - 0.878, 2 + 0.878), abs=5e-4)
    assert find.methods == ("service-safari", "shadowing")
    assert (find.observers, find.evidence) == (2, "moderate")


# -- the confident ranking ---------------------------------------------------


def ranking_map() -> JourneyMap:
    jm = JourneyMap("Ranks", Scale(0, 10))
    jm.add_stage(Stage("s", "Stage"))
    # id: (expectation, reality) pairs; file order A, G, I, B, E, C, F, H, D, J.
    data = {
        "A": [(4, 3), (4, 2), (5, 2)],  # gap 2, ci_low -0.484
        "G": [(5, 0)],  # n 1, gap 5: no interval
        "I": [(4.1, 2.1), (4.1, 2.1)],  # ci_low 1.9999999999999996: a tie with 2
        "B": [(4, 2), (4, 2)],  # ci_low 2, n 2
        "E": [(5, 1)],  # n 1, gap 4
        "C": [(4, 2), (4, 2), (4, 2)],  # ci_low 2, n 3: before B and I
        "F": [],  # n 0: last
        "H": [(3, 1), (3, 1)],  # ci_low 2, n 2, after B in the file
        "D": [(5, 2), (5, 2)],  # ci_low 3: first
        "J": [(8, 1)],  # n 1, gap 7: first of the rows without an interval
    }
    i = 0
    for tp, pairs in data.items():
        jm.add_touchpoint(TouchPoint(tp, f"Touch point {tp}", "s"))
        for e, r in pairs:
            i += 1
            jm.add_observation(obs(i, tp, e, r))
    return jm


CONFIDENT = ["D", "C", "I", "B", "H", "A", "J", "G", "E", "F"]


def test_confident_ranking_with_ties():
    jm = ranking_map()
    assert [r.touchpoint for r in touchpoint_gaps(jm, rank="confident")] == CONFIDENT
    # Today's ranking is unchanged and still the default.
    by_gap = ["J", "G", "E", "D", "A", "C", "I", "B", "H", "F"]  # A ties C on gap and n
    assert [r.touchpoint for r in touchpoint_gaps(jm)] == by_gap
    assert [r.touchpoint for r in touchpoint_gaps(jm, rank="gap")] == by_gap


def test_confident_ties_within_1e9_go_by_gap_then_n_then_file_order():
    def row(order: int, ci_low: float | None, gap: float, n: int) -> TouchPointGap:
        stats = GapStats(n, n, None, None, gap, None, None, None, False, ci_low, None)
        return TouchPointGap(f"r{order}", "", "s", False, order, stats)

    rows = [
        row(0, 1.0, 2.0, 5),
        row(1, 1.0 + 4e-10, 3.0, 5),  # ties with 1.0: wider gap first
        row(2, 1.0, 2.0, 9),  # same ci_low and gap: larger n first
        row(3, 1.0 - 3e-10, 2.0, 5),  # ties with row 0 on all three: file order
        row(4, 1.1, 0.5, 3),  # a clearly higher ci_low wins whatever its gap
        row(5, None, 9.0, 1),  # no interval: after every row with one
        row(6, None, None, 0),  # n = 0 last
    ]
    ranked = sorted(reversed(rows), key=confident_key)
    assert [r.order for r in ranked] == [4, 1, 2, 0, 3, 5, 6]


def test_confident_ranking_follows_edits():
    jm = ranking_map()
    assert touchpoint_gaps(jm, rank="confident")[0].touchpoint == "D"
    jm.add_observation(obs(99, "A", 5, 1))  # A: gaps 1 2 3 4, still a low ci_low
    jm.add_observation(obs(98, "D", 5, 5))  # D: gaps 3 3 0, ci_low far below zero
    order = [r.touchpoint for r in touchpoint_gaps(jm, rank="confident")]
    assert order[0] == "C" and order.index("D") > order.index("H")


def test_unknown_ranking_is_refused(small_map):
    with pytest.raises(ValueError, match="unknown ranking"):
        touchpoint_gaps(small_map, rank="best")


# -- the command line --------------------------------------------------------

NEW_KEYS = ["ci_low", "ci_high", "methods", "observers", "evidence"]


@pytest.fixture
def ranks_path(tmp_path):
    path = tmp_path / "ranks.journey.json"
    save_map(ranking_map(), path)
    return path


@pytest.fixture
def small_file(tmp_path, small_map):
    path = tmp_path / "small.journey.json"
    save_map(small_map, path)
    return path


def test_json_keeps_old_keys_and_adds_the_new_ones(small_file):
    result = run("gaps", str(small_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["touchpoint"] for r in records] == ["t-sign", "t-desk", "t-kiosk", "t-web", "t-exit"]
    assert list(records[0]) == list(GAP_RECORD_KEYS)
    assert list(GAP_RECORD_KEYS)[-5:] == NEW_KEYS
    assert list(GAP_RECORD_KEYS)[:14] == [
        "rank", "touchpoint", "name", "stage", "critical", "n", "observations",
        "expectation", "reality", "gap", "spread", "minimum", "adequacy", "wide",
    ]  # fmt: skip
    sign, desk, kiosk, web, exit_ = records
    # t-sign: gaps 2 and 3, mean 2.5, spread sqrt(0.5): 2.5 -/+ 12.706 * 0.7071 / 1.4142
    assert sign["ci_low"] == pytest.approx(2.5 - T1 / 2, abs=1e-9)
    assert sign["ci_high"] == pytest.approx(2.5 + T1 / 2, abs=1e-9)
    assert sign["methods"] == ["service-safari", "shadowing"]
    assert (sign["observers"], sign["evidence"]) == (2, "weak")
    # t-desk: gaps 2, 1, 3
    assert desk["ci_low"] == pytest.approx(2 - T2 / math.sqrt(3), abs=1e-9)
    assert (desk["evidence"], desk["observers"]) == ("moderate", 2)
    assert (kiosk["ci_low"], kiosk["ci_high"]) == (2.0, 2.0)
    assert (web["ci_low"], web["ci_high"], web["methods"], web["evidence"]) == (
        None, None, ["service-safari"], "weak",
    )  # fmt: skip
    assert (exit_["methods"], exit_["observers"], exit_["evidence"]) == ([], 0, "none")


def test_csv_has_the_same_columns_in_the_same_order(small_file):
    result = run("gaps", str(small_file), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == list(GAP_RECORD_KEYS)
    cells = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    sign = cells[0]
    assert sign["touchpoint"] == "t-sign"
    assert sign["methods"] == "service-safari;shadowing"
    assert (sign["observers"], sign["evidence"]) == ("2", "weak")
    assert float(sign["ci_low"]) == pytest.approx(2.5 - T1 / 2, abs=1e-9)
    web = cells[3]
    assert (web["ci_low"], web["ci_high"], web["methods"]) == ("", "", "service-safari")
    assert cells[4]["methods"] == ""


def test_rank_option(ranks_path, small_file):
    result = run("gaps", str(ranks_path), "--format", "json", "--rank", "confident")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["touchpoint"] for r in records] == CONFIDENT
    assert [r["rank"] for r in records] == list(range(1, 11))
    top = run("gaps", str(ranks_path), "--format", "csv", "--rank", "confident", "--top", "2")
    assert [row[1] for row in csv.reader(io.StringIO(top.stdout))] == ["touchpoint", "D", "C"]
    default = json.loads(run("gaps", str(ranks_path), "--format", "json").stdout)
    assert [r["touchpoint"] for r in default][:3] == ["J", "G", "E"]
    table = run("gaps", str(small_file), "--rank", "confident")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert "ranked by the low end of the 95% interval" in lines[0]
    assert "Catalogue kiosk" in lines[3] and "+2.00 to +2.00" in lines[3]
    assert "Ask at the desk" in lines[4] and "-0.48 to +4.48" in lines[4]
    assert "moderate" in lines[4]
    bad = run("gaps", str(small_file), "--rank", "best")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "invalid choice" in bad.stderr


def test_gaps_does_not_import_scipy(small_file):
    code = (
        "import sys, contextlib, io\n"
        "from journeymap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['gaps', {str(small_file)!r}, '--rank', 'confident']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'numpy')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
