"""The same map as Graphviz DOT, stages as clusters: the peer for export timings."""

from __future__ import annotations

from pathlib import Path

from journeymap.model.journey import JourneyMap


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(journey: JourneyMap) -> str:
    lines = ["digraph journey {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
    for index, stage in enumerate(journey.stages):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={_quote(stage.name)};")
        for tp in journey.touchpoints_in_stage(stage.id):
            lines.append(f"    {_quote(tp.id)} [label={_quote(tp.name)}];")
        lines.append("  }")
    for tr in journey.transitions:
        style = {"main": "solid", "alternative": "dashed", "failure": "dashed",
                 "loop": "dotted"}[tr.kind]  # fmt: skip
        label = f", label={_quote(tr.label)}" if tr.label else ""
        lines.append(f"  {_quote(tr.source)} -> {_quote(tr.target)} [style={style}{label}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(journey: JourneyMap, path: Path) -> Path:
    path.write_text(to_dot(journey), encoding="utf-8")
    return path
