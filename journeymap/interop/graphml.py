"""GraphML for Gephi, yEd and networkx: touch points with their gap numbers."""

from __future__ import annotations

import io

import networkx as nx

from journeymap.model.analysis import ObservationFilter, touchpoint_gaps
from journeymap.model.journey import JourneyMap


def export_graph(journey: JourneyMap, flt: ObservationFilter | None = None) -> nx.DiGraph:
    """A plain DiGraph of the map: node and edge attributes GraphML can hold.

    Nodes carry name, stage (id), stage_name, channel, critical, n,
    observations, expectation, reality, gap, spread, wide and their order in
    the journey; edges carry kind and label.  GraphML has no null, so a
    number that is not defined (a mean with n = 0) is left out.
    """
    stage_names = {s.id: s.name for s in journey.stages}
    rows = {row.touchpoint: row for row in touchpoint_gaps(journey, flt)}
    graph = nx.DiGraph(title=journey.title)
    for order, tp in enumerate(journey.journey_order()):
        stats = rows[tp.id].stats
        attributes = {
            "name": tp.name,
            "stage": tp.stage,
            "stage_name": stage_names[tp.stage],
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
        graph.add_node(tp.id, **attributes)
    for tr in journey.transitions:
        graph.add_edge(tr.source, tr.target, kind=tr.kind, label=tr.label)
    return graph


def graphml_bytes(journey: JourneyMap, flt: ObservationFilter | None = None) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(export_graph(journey, flt), buffer, encoding="utf-8")
    return buffer.getvalue()
