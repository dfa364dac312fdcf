"""``journeymap tone``: jargon and words that say "no", with a suggested wording.  No Qt."""

from __future__ import annotations

import argparse
import sys

from journeymap.cli.commands import EXIT_OK, json_array, load_or_fail, reports_errors
from journeymap.model.journey import JourneyMap
from journeymap.model.tone import ToneFinding, finding_record, tone_findings


@reports_errors
def tone_command(options: argparse.Namespace) -> int:
    """Every finding, in file order of the texts searched."""
    journey = load_or_fail(options.map)
    findings = tone_findings(journey)
    if options.format == "json":
        out = json_array([finding_record(f) for f in findings])
    else:
        out = tone_text(journey, findings)
    sys.stdout.write(out)
    sys.stdout.flush()
    return EXIT_OK


def tone_text(journey: JourneyMap, findings: list[ToneFinding]) -> str:
    """Two lines a finding: where, the term and the suggestion; then the sentence."""
    jargon = sum(f.kind == "jargon" for f in findings)
    lines = [
        f"{journey.title}: {len(findings)} tone findings "
        f"({jargon} jargon, {len(findings) - jargon} prohibitive)"
    ]
    names = {tp.id: tp.name for tp in journey.touchpoints}
    for f in findings:
        place = f.where
        if f.touchpoint is not None and f.touchpoint in names:
            place += f" ({' '.join(names[f.touchpoint].split())})"
        lines.append(f"{place}: {f.kind} {f.term!r} -> {f.suggest}")
        lines.append(f"    {f.text}")
    return "\n".join(lines) + "\n"
