"""Gap maths on the small map of conftest.py, every number worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from journeymap.model import Observation, Scale
from journeymap.model.analysis import (
    ObservationFilter,
    gap_record,
    stage_gaps,
    touchpoint_gaps,
    wide_gap_threshold,
)


def by_id(rows):
    return {r.touchpoint: r.stats for r in rows}


def test_per_touchpoint_numbers(small_map):
    stats = by_id(touchpoint_gaps(small_map))
    sign = stats["t-sign"]
    assert (sign.n, sign.expectation, sign.reality, sign.gap) == (2, 4.5, 2.0, 2.5)
    assert sign.spread == pytest.approx(0.7071067811865476)
    # Only o1 carries a minimum: reality 2 - minimum 3.
    assert (sign.minimum, sign.adequacy) == (3.0, -1.0)

    desk = stats["t-desk"]
    assert desk.n == 3
    assert desk.expectation == pytest.approx(14 / 3)
    assert desk.reality == pytest.approx(8 / 3)
    assert desk.gap == 2.0
    assert desk.spread == pytest.approx(1.0)
    assert (desk.minimum, desk.adequacy) == (3.0, 0.0)

    kiosk = stats["t-kiosk"]
    assert (kiosk.n, kiosk.expectation, kiosk.reality, kiosk.gap, kiosk.spread) == (
        2,
        3.5,
        1.5,
        2.0,
        0.0,
    )
    assert kiosk.minimum is None and kiosk.adequacy is None

    web = stats["t-web"]
    assert (web.n, web.gap, web.spread) == (1, -1.0, None)


def test_touchpoint_without_pairs_has_null_means(small_map):
    exit_ = by_id(touchpoint_gaps(small_map))["t-exit"]
    assert exit_.n == 0
    assert exit_.observations == 1
    assert exit_.expectation is exit_.reality is exit_.gap is None
    assert not exit_.wide


def test_ranking_gap_then_n_then_file_order(small_map):
    order = [r.touchpoint for r in touchpoint_gaps(small_map)]
    # desk and kiosk tie on gap 2.0; desk has n 3 against 2.  exit has n 0: last.
    assert order == ["t-sign", "t-desk", "t-kiosk", "t-web", "t-exit"]


def test_exact_ties_fall_back_to_file_order(small_map):
    flt = ObservationFilter(personas=frozenset({"p-senior"}))
    rows = touchpoint_gaps(small_map, flt)
    # sign (o2) and desk (o5) both have gap 3 and n 1: file order decides.
    assert [r.touchpoint for r in rows[:3]] == ["t-sign", "t-desk", "t-kiosk"]
    assert [r.stats.gap for r in rows[:3]] == [3.0, 3.0, 2.0]


def test_float_noise_does_not_break_a_tie(small_map):
    # 0.1 + 0.2 style noise: 4.3 - 2.2 and 4.1 - 2.0 are 2.0999999999999996,
    # 3.1 - 1.0 and 3.2 - 1.1 are 2.1.  All are "2.1", so the three touch points
    # tie on gap and rank by n (desk 3), then file order (sign before kiosk).
    # Compared raw, kiosk's mean would be largest and come first.
    for oid, e, r in [
        ("o1", 4.3, 2.2), ("o2", 4.1, 2.0),                    # t-sign, n 2
        ("o3", 4.3, 2.2), ("o4", 4.1, 2.0), ("o5", 4.3, 2.2),  # t-desk, n 3
        ("o6", 3.1, 1.0), ("o7", 3.2, 1.1),                    # t-kiosk, n 2
    ]:  # fmt: skip
        small_map.update_observation(oid, expectation=e, reality=r)
    rows = touchpoint_gaps(small_map)
    stats = by_id(rows)
    sign, desk, kiosk = stats["t-sign"], stats["t-desk"], stats["t-kiosk"]
    # The premise: the means differ by noise only, and kiosk's is the larger.
    assert sign.gap == desk.gap < kiosk.gap
    assert kiosk.gap - sign.gap < 1e-12
    assert (desk.n, sign.n, kiosk.n) == (3, 2, 2)
    assert [r.touchpoint for r in rows] == ["t-desk", "t-sign", "t-kiosk", "t-web", "t-exit"]


def test_wide_flag_scales_with_the_scale(small_map):
    assert wide_gap_threshold(Scale(1, 5)) == 1.0
    assert wide_gap_threshold(Scale(0, 10)) == 2.5
    wide = {r.touchpoint: r.stats.wide for r in touchpoint_gaps(small_map)}
    assert wide == {
        "t-sign": True,
        "t-desk": True,
        "t-kiosk": True,
        "t-web": False,
        "t-exit": False,
    }

    small_map.set_scale(Scale(0, 10))  # threshold 2.5: only t-sign's 2.5 is wide
    wide = {r.touchpoint: r.stats.wide for r in touchpoint_gaps(small_map)}
    assert [k for k, v in wide.items() if v] == ["t-sign"]


def test_wide_flag_ignores_float_noise(small_map):
    # 2.3 - 1.3 is 0.9999999999999998: a gap of 1, exactly the 1-5 threshold.
    small_map.update_observation("o9", expectation=2.3, reality=1.3)
    web = by_id(touchpoint_gaps(small_map))["t-web"]
    assert web.n == 1 and web.gap < 1.0 == wide_gap_threshold(Scale(1, 5))
    assert web.wide
    # 4.1 - 1.6 is 2.4999999999999996: a gap of 2.5, the 0-10 threshold.
    small_map.set_scale(Scale(0, 10))
    small_map.update_observation("o9", expectation=4.1, reality=1.6)
    web = by_id(touchpoint_gaps(small_map))["t-web"]
    assert web.gap < 2.5 == wide_gap_threshold(Scale(0, 10))
    assert web.wide


def test_method_filter(small_map):
    flt = ObservationFilter(methods=frozenset({"shadowing"}))
    rows = touchpoint_gaps(small_map, flt)
    assert [(r.touchpoint, r.stats.n, r.stats.gap) for r in rows] == [
        ("t-sign", 1, 3.0),
        ("t-desk", 2, 2.0),
        ("t-kiosk", 1, 2.0),
        ("t-exit", 0, None),
        ("t-web", 0, None),
    ]


def test_observer_and_date_filters(small_map):
    flt = ObservationFilter(date_from=dt.date(2026, 10, 5), date_to=dt.date(2026, 10, 5))
    stats = by_id(touchpoint_gaps(small_map, flt))
    assert {k: (s.n, s.gap) for k, s in stats.items()} == {
        "t-sign": (1, 3.0),
        "t-desk": (1, 1.0),
        "t-kiosk": (1, 2.0),
        "t-exit": (0, None),
        "t-web": (0, None),
    }
    flt = ObservationFilter(observers=frozenset({"Ana"}))
    stats = by_id(touchpoint_gaps(small_map, flt))
    assert stats["t-desk"].n == 1 and stats["t-desk"].gap == 2.0


def test_undated_observations_fail_a_date_filter(small_map):
    small_map.add_observation(Observation("o10", "t-exit", "survey", expectation=5, reality=1))
    flt = ObservationFilter(date_from=dt.date(2000, 1, 1))
    assert by_id(touchpoint_gaps(small_map, flt))["t-exit"].n == 0
    assert by_id(touchpoint_gaps(small_map))["t-exit"].n == 1


def test_stage_numbers(small_map):
    stages = {s.stage: s for s in stage_gaps(small_map)}
    arrive = stages["s-arrive"].stats  # o1, o2, o9: gaps 2, 3, -1
    assert arrive.n == 3
    assert arrive.expectation == 4.0
    assert arrive.reality == pytest.approx(8 / 3)
    assert arrive.gap == pytest.approx(4 / 3)
    find = stages["s-find"].stats  # o3..o7: gaps 2, 1, 3, 2, 2
    assert (find.n, find.gap) == (5, 2.0)
    assert find.expectation == pytest.approx(4.2)
    assert find.reality == pytest.approx(2.2)
    assert stages["s-leave"].stats.gap is None
    assert [s.stage for s in stage_gaps(small_map)] == ["s-arrive", "s-find", "s-leave"]
    assert stages["s-find"].touchpoints == 2


def test_gap_record_is_plain_data(small_map):
    record = gap_record(touchpoint_gaps(small_map)[1], 2)
    assert record["rank"] == 2
    assert record["touchpoint"] == "t-desk"
    assert record["stage"] == "s-find"
    assert record["gap"] == 2.0
    assert record["expectation"] == pytest.approx(14 / 3)


def test_filter_description():
    assert ObservationFilter().describe() == "all observations"
    text = ObservationFilter(
        methods=frozenset({"shadowing"}), date_to=dt.date(2026, 1, 2)
    ).describe()
    assert "shadowing" in text and "2026-01-02" in text
