"""Synthetic maps for benchmarks: N touch points, ten observations each."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from journeymap.fileio import save_map
from journeymap.model import (
    CHANNELS,
    JourneyMap,
    Observation,
    Persona,
    Stage,
    TouchPoint,
    Transition,
)

METHODS = ("service-safari", "shadowing", "interview", "survey")


def synthetic_map(touchpoints: int, per_touchpoint: int = 10, seed: int = 1) -> JourneyMap:
    """A map shaped like a real one: stages of ~25 touch points, a main path
    with branches, failures and loops, and fully scored observations."""
    rng = random.Random(seed)
    stages = [Stage(f"s{i}", f"Stage {i + 1}") for i in range(max(1, touchpoints // 25))]
    personas = [Persona(f"p{i}", f"Persona {i + 1}") for i in range(6)]
    tps = [
        TouchPoint(
            f"t{i}",
            f"Touch point {i + 1}",
            stages[min(i * len(stages) // touchpoints, len(stages) - 1)].id,
            rng.choice(CHANNELS),
            critical=rng.random() < 0.1,
        )
        for i in range(touchpoints)
    ]
    transitions = [Transition(f"t{i}", f"t{i + 1}") for i in range(touchpoints - 1)]
    taken = {t.key for t in transitions}
    for i in range(0, touchpoints - 3, 4):
        kind = rng.choice(("alternative", "failure", "loop"))
        source, target = (f"t{i + 3}", f"t{i}") if kind == "loop" else (f"t{i}", f"t{i + 2}")
        if (source, target) not in taken:
            taken.add((source, target))
            transitions.append(Transition(source, target, f"{kind} {i}", kind))
    start = dt.date(2026, 1, 1)
    observations = []
    for tp in tps:
        for _ in range(per_touchpoint):
            e = rng.randint(2, 5)
            observations.append(
                Observation(
                    id=f"o{len(observations) + 1}",
                    touchpoint=tp.id,
                    method=rng.choice(METHODS),
                    observer=rng.choice(("Ana", "Jo", "Dev", "Priya")),
                    date=start + dt.timedelta(days=rng.randrange(300)),
                    persona=rng.choice(personas).id,
                    expectation=e,
                    reality=rng.randint(1, 5),
                    minimum=rng.choice((None, max(1, e - 2))),
                    note="Waited at the desk while staff finished a phone call.",
                    quote=rng.choice(("", "I just want to borrow a book.")),
                    tags=["queue"] if rng.random() < 0.3 else [],
                )
            )
    return JourneyMap.from_records(
        title=f"Synthetic journey, {touchpoints} touch points",
        scale=JourneyMap().scale,
        personas=personas,
        stages=stages,
        touchpoints=tps,
        transitions=transitions,
        observations=observations,
        validate=False,
    )


def write_synthetic(folder: Path, touchpoints: int) -> Path:
    path = folder / f"synthetic_{touchpoints}.journey.json"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        save_map(synthetic_map(touchpoints), path, backup=False)
    return path
