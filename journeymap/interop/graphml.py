"""GraphML for Gephi, yEd and networkx: touch points with their gap numbers."""

from __future__ import annotations

import io

import networkx as nx

from journeymap.model.analysis import ObservationFilter, touchpoint_gaps
from journeymap.model.journey import JourneyMap
from journeymap.textsafety import xml_safe


def export_graph(journey: JourneyMap, flt: ObservationFilter | None = None) -> nx.DiGraph:
    """A plain DiGraph of the map: node and edge attributes GraphML can hold.

    Nodes carry name, stage (id), stage_name, channel, critical, n,
    observations, expectation, reality, gap, spread, wide and their order in
    the journey; edges carry kind and label.  GraphML has no null, so a
    number that is not defined (a mean with n = 0) is left out.  Every text
    (ids included) is XML-safe: a character XML 1.0 forbids becomes U+FFFD,
    and an id that would then clash with another gets a ``~2``, ``~3``... suffix.
    """
    stage_names = {s.id: s.name for s in journey.stages}
    rows = {row.touchpoint: row for row in touchpoint_gaps(journey, flt)}
    node_ids = _safe_ids([tp.id for tp in journey.touchpoints])
    graph = nx.DiGraph(title=xml_safe(journey.title))
    for order, tp in enumerate(journey.journey_order()):
        stats = rows[tp.id].stats
        attributes = {
            "name": xml_safe(tp.name),
            "stage": xml_safe(tp.stage),
            "stage_name": xml_safe(stage_names[tp.stage]),
            "channel": tp.channel,
            "critical": tp.critical,
            "journey_order": order,
            "n": stats.n,
            "observations": stats.observations,
            "wide": stats.wide,
        }
        for key in ("expectation", "reality", "gap", "spread", "minimum", "adequacy"):
            value = getattr(stats, key)
            if value is not None:
                attributes[key] = float(value)
        graph.add_node(node_ids[tp.id], **attributes)
    for tr in journey.transitions:
        graph.add_edge(
            node_ids[tr.source], node_ids[tr.target], kind=tr.kind, label=xml_safe(tr.label)
        )
    return graph


def _safe_ids(ids: list[str]) -> dict[str, str]:
    """Each id made XML-safe, still distinct: ids that were safe keep their name."""
    safe = {i: i for i in ids if xml_safe(i) == i}
    taken = set(safe)
    for i in ids:
        if i in safe:
            continue
        base = candidate = xml_safe(i)
        number = 1
        while candidate in taken:
            number += 1
            candidate = f"{base}~{number}"
        safe[i] = candidate
        taken.add(candidate)
    return safe


def graphml_bytes(journey: JourneyMap, flt: ObservationFilter | None = None) -> bytes:
    """The map as GraphML (UTF-8).  A carriage return in a text is written as ``&#13;``:
    an XML parser turns a literal one into a line feed, so it would come back as ``\\n``."""
    buffer = io.BytesIO()
    nx.write_graphml(export_graph(journey, flt), buffer, encoding="utf-8")
    # The writer's own markup has no carriage return (it indents with "\n"), so
    # every one left is inside a text and the reference is valid there.
    return buffer.getvalue().replace(b"\r", b"&#13;")
