"""The action plan and the tone finder: the analysis, then the real commands."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.fileio.jsonformat import dumps, loads
from journeymap.model.actionplan import ACTION_RECORD_KEYS, action_record, action_rows
from journeymap.model.entities import ToneTerm
from journeymap.model.journey import JourneyMap
from journeymap.model.tone import BUILTIN_TONE, TEXT_LIMIT, find_in_text, tone_findings
from tests.conftest import make_small_map
from tests.test_cli import assert_clean_failure, run

# Priorities of the small map (reach x gap, worked out by hand):
#   t-sign: every customer enters there, reach 1, gap 2.5   -> 2.5
#   t-desk: all come from t-sign, reach 1, gap 2             -> 2.0
#   t-kiosk: t-desk splits evenly (two unshared transitions, the loop back
#            does not count), reach 0.5, gap 2                -> 1.0
#   t-web: no transition, reach 0, gap -1                     -> 0.0
#   t-exit: no expectation, no gap                            -> none, last
ACTIONS = [
    # id, touch point, kind, status, owner, due
    ("a1", "t-kiosk", "continue", "proposed", "", None),
    ("a2", "t-exit", "stop", "proposed", "", None),
    ("a3", "t-desk", "improve", "done", "Jo", "2026-11-30"),
    ("a4", "t-sign", "continue", "proposed", "Ana", "2026-12-01"),
    ("a5", "t-desk", "stop", "agreed", "Ana", None),
    ("a6", "t-desk", "start", "doing", "", "2027-01-15"),
    ("a7", "t-sign", "continue", "proposed", "", None),
    ("a8", "t-web", "stop", "proposed", "", None),
    ("a9", "t-exit", "start", "proposed", "", None),
]
NO_SUGGEST = next(t.suggest for t in BUILTIN_TONE if t.term == "no")
PLAN_ORDER = ["a4", "a7", "a5", "a6", "a3", "a1", "a8", "a2", "a9"]


def _document(
    actions=ACTIONS, rules=(), tone=(), texts: dict[str, dict[str, str]] | None = None
) -> dict:
    """The small map as a version 2 document with these actions, rules and tone list;
    ``texts`` sets fields of touch points and observations by id."""
    doc = json.loads(dumps(make_small_map()))
    for record in doc["touchpoints"] + doc["observations"]:
        record.update((texts or {}).get(record["id"], {}))
    doc["actions"] = [
        {"id": aid, "touchpoint": tp, "kind": kind, "text": f"{kind} at {tp} ({aid})",
         "owner": owner, "status": status, **({"due": due} if due else {})}
        for aid, tp, kind, status, owner, due in actions
    ]  # fmt: skip
    doc["rules"] = [
        {"id": f"r{i}", "touchpoint": tp, "color": "red", "text": text}
        for i, (tp, text) in enumerate(rules, start=1)
    ]
    doc["tone"] = [{"term": t, "kind": k, "suggest": s} for t, k, s in tone]
    return doc


def _journey(**kwargs) -> JourneyMap:
    return loads(json.dumps(_document(**kwargs)))


def _write(tmp_path: Path, **kwargs) -> Path:
    path = tmp_path / "decisions.journey.json"
    path.write_text(json.dumps(_document(**kwargs)), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# The action plan


def test_actions_by_priority_then_kind_then_file_order():
    rows = action_rows(_journey())
    assert [r.action for r in rows] == PLAN_ORDER
    assert [r.priority for r in rows] == [2.5, 2.5, 2.0, 2.0, 2.0, 1.0, 0.0, None, None]
    assert [r.gap for r in rows] == [2.5, 2.5, 2.0, 2.0, 2.0, 2.0, -1.0, None, None]


def test_kind_order_is_stop_start_improve_continue_within_one_priority():
    actions = [
        ("k1", "t-desk", "continue", "proposed", "", None),
        ("k2", "t-desk", "improve", "proposed", "", None),
        ("k3", "t-desk", "start", "proposed", "", None),
        ("k4", "t-desk", "stop", "proposed", "", None),
        ("k5", "t-exit", "continue", "proposed", "", None),
        ("k6", "t-exit", "stop", "proposed", "", None),
    ]
    assert [r.action for r in action_rows(_journey(actions=actions))] == [
        "k4", "k3", "k2", "k1", "k6", "k5"
    ]  # fmt: skip


def test_status_filter_keeps_the_order():
    journey = _journey()
    assert [r.action for r in action_rows(journey, statuses=["doing", "agreed"])] == ["a5", "a6"]
    assert [r.action for r in action_rows(journey, statuses=["done"])] == ["a3"]
    assert [r.action for r in action_rows(journey, statuses=[])] == PLAN_ORDER


def test_action_record_keys_and_values():
    rows = action_rows(_journey())
    first = action_record(rows[0])
    assert list(first) == list(ACTION_RECORD_KEYS) == [
        "action", "touchpoint", "stage", "name", "kind", "text", "owner", "due", "status",
        "gap", "priority",
    ]  # fmt: skip
    assert first == {
        "action": "a4", "touchpoint": "t-sign", "stage": "s-arrive",
        "name": "Find the entrance", "kind": "continue", "text": "continue at t-sign (a4)",
        "owner": "Ana", "due": "2026-12-01", "status": "proposed", "gap": 2.5, "priority": 2.5,
    }  # fmt: skip
    web = action_record(rows[6])
    # reach 0 x gap -1 is -0.0, written as 0.0
    assert (web["action"], web["priority"], str(web["priority"])) == ("a8", 0.0, "0.0")
    assert action_record(rows[-1])["due"] is None


# ---------------------------------------------------------------------------
# The tone finder


def _hits(text: str, terms=BUILTIN_TONE) -> list[tuple[str, str]]:
    return [(f.term, text[f.start : f.end]) for f in find_in_text(text, terms)]


def test_builtin_jargon_with_its_suggestion():
    journey = _journey(texts={"t-desk": {"name": "Circulation desk"}})
    (finding,) = tone_findings(journey)
    assert finding.where == "touchpoints[1].name"
    assert finding.touchpoint == "t-desk"
    assert (finding.term, finding.kind) == ("circulation", "jargon")
    assert finding.suggest == "borrowing and returns"
    assert finding.text == "Circulation desk"


@pytest.mark.parametrize(
    "text, hits",
    [
        ("My preference is the quiet room.", []),
        ("The book was paged from storage.", []),
        ("Two pages were torn.", []),
        ("He was ill last week; illness happens.", []),  # ILL only in capitals
        ("Send an ILL request via OCLC.", [("ILL", "ILL"), ("OCLC", "OCLC")]),
        ("Ask at the Reference-desk.", [("reference", "Reference")]),  # a hyphen ends a word
        ("A PATRON'S card", [("patron", "PATRON")]),
        ("Patrons queue here", [("patrons", "Patrons")]),
        ("Find the call\nnumber first", [("call number", "call\nnumber")]),
        ("Periodicals upstairs", [("periodicals", "Periodicals")]),
    ],
)
def test_whole_words_only(text, hits):
    assert _hits(text) == hits


@pytest.mark.parametrize(
    "text, hits",
    [
        ("No food or drink", [("no", "No")]),
        ('"No phones" says the sign.', [("no", "No")]),
        ("Sign at the door: no dogs. There is no cafe.", [("no", "no")]),
        ("No one helped me. No idea where to go. No problem.", []),
        ("Nobody was there", []),
        ("No, thanks", []),
        ("Signed 'NO cell phones', \u2018no food\u2019 and \"No bags\".",
         [("no", "NO"), ("no", "no"), ("no", "No")]),
        ("I don't know; no matter", []),
        ("Bags are not allowed; eating is prohibited and forbidden.",
         [("not allowed", "not allowed"), ("prohibited", "prohibited"),
          ("forbidden", "forbidden")]),
        ("You must not enter. Only for members.", [("must not", "must not"),
                                                    ("only for", "Only for")]),
    ],
)  # fmt: skip
def test_prohibitive_forms(text, hits):
    assert _hits(text) == hits


def test_the_maps_own_list_overrides_and_extends():
    journey = _journey(
        texts={"t-desk": {"name": "Circulation desk", "description": "Next to the stacks."}},
        tone=[
            ("Circulation", "jargon", "Borrow and return"),
            ("stacks", "jargon", "shelves"),
            ("closed", "prohibitive", "say when it opens"),
        ],
    )
    found = [(f.where, f.term, f.suggest) for f in tone_findings(journey)]
    assert found == [
        ("touchpoints[1].name", "Circulation", "Borrow and return"),
        ("touchpoints[1].description", "stacks", "shelves"),
    ]
    # An override written in capitals matches in capitals only, as the built-in ILL.
    assert _hits("circulation", [ToneTerm("CIRCULATION", "jargon", "x")]) == []


def test_where_paths_over_every_searched_text():
    journey = _journey(
        texts={
            "t-web": {"description": "Opening hours. Patron login for renewals."},
            "o3": {"quote": "I asked at reference and waited."},
            "o5": {"note": "Sign says 'No food' at the door."},
            "o6": {"note": "No pencils by the kiosk."},  # the observer's words, no sign
        },
        rules=[(None, "Food is not allowed anywhere."), ("t-desk", "ID is shown at circulation.")],
    )
    found = [(f.where, f.touchpoint, f.term, f.kind, f.text) for f in tone_findings(journey)]
    assert found == [
        ("touchpoints[4].description", "t-web", "patron", "jargon",
         "Patron login for renewals."),
        ("rules[0].text", None, "not allowed", "prohibitive", "Food is not allowed anywhere."),
        ("rules[1].text", "t-desk", "circulation", "jargon", "ID is shown at circulation."),
        ("observations[2].quote", "t-desk", "reference", "jargon",
         "I asked at reference and waited."),
        ("observations[4].note", "t-desk", "no", "prohibitive",
         "Sign says 'No food' at the door."),
    ]  # fmt: skip


def test_sentence_cut_to_120_characters_keeping_the_term():
    short = "The circulation desk."
    assert find_in_text(short, BUILTIN_TONE)[0].text == short
    early = "The circulation desk " + "is busy " * 30 + "today."
    text = find_in_text(early, BUILTIN_TONE)[0].text
    assert len(text) == TEXT_LIMIT == 120
    assert text.startswith("The circulation desk is busy") and text.endswith("…")
    late = "Wait " * 40 + "at the circulation desk " + "and wait " * 20 + "more."
    text = find_in_text(late, BUILTIN_TONE)[0].text
    assert len(text) == 120 and text.startswith("…") and text.endswith("…")
    assert "at the circulation desk" in text
    end = "Wait " * 40 + "at the circulation desk."
    text = find_in_text(end, BUILTIN_TONE)[0].text
    assert len(text) <= 120 and text.startswith("…") and text.endswith("circulation desk.")


# ---------------------------------------------------------------------------
# The commands, run as a user would


def test_actions_command_json(tmp_path):
    result = run("actions", str(_write(tmp_path)), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["action"] for r in records] == PLAN_ORDER
    assert all(list(r) == list(ACTION_RECORD_KEYS) for r in records)
    assert records[2] == {
        "action": "a5", "touchpoint": "t-desk", "stage": "s-find", "name": "Ask at the desk",
        "kind": "stop", "text": "stop at t-desk (a5)", "owner": "Ana", "due": None,
        "status": "agreed", "gap": 2.0, "priority": 2.0,
    }  # fmt: skip
    assert records[-1]["priority"] is None and records[-1]["gap"] is None


def test_actions_command_status_and_csv(tmp_path):
    path = _write(tmp_path)
    result = run("actions", str(path), "--status", "agreed", "--status", "done", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(f'"{k}"' for k in ACTION_RECORD_KEYS)
    assert result.stdout.splitlines()[2] == (
        '"a3","t-desk","s-find","Ask at the desk","improve","improve at t-desk (a3)","Jo",'
        '"2026-11-30","done","2.0","2.0"'
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["action"] for r in rows] == ["a5", "a3"]
    # No priority: empty cells (every cell still quoted).
    result = run("actions", str(path), "--status", "proposed", "--format", "csv")
    assert result.stdout.splitlines()[-1].endswith(',"proposed","",""')


def test_actions_command_text_and_bad_status(tmp_path):
    path = _write(tmp_path)
    result = run("actions", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Small library: action plan")
    body = [line for line in lines[3:]]
    assert [line.rsplit("(", 1)[1].rstrip(")") for line in body] == PLAN_ORDER
    assert body[0].split()[0] == "2.50" and body[-1].split()[0] == "-"
    assert_clean_failure(run("actions", str(path), "--status", "maybe"), "invalid choice")
    assert_clean_failure(run("actions", str(tmp_path / "none.journey.json")), "none.journey.json")


def test_tone_command_json_and_text(tmp_path):
    path = _write(
        tmp_path,
        texts={"t-desk": {"name": "Circulation desk"}, "o1": {"quote": "No food, says the sign."}},
        tone=[("entrance", "jargon", "way in")],
    )
    result = run("tone", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"where": "touchpoints[0].name", "touchpoint": "t-sign", "term": "entrance",
         "kind": "jargon", "suggest": "way in", "text": "Find the entrance"},
        {"where": "touchpoints[1].name", "touchpoint": "t-desk", "term": "circulation",
         "kind": "jargon", "suggest": "borrowing and returns", "text": "Circulation desk"},
        {"where": "observations[0].quote", "touchpoint": "t-sign", "term": "no",
         "kind": "prohibitive", "suggest": NO_SUGGEST,
         "text": "No food, says the sign."},
    ]  # fmt: skip
    text = run("tone", str(path)).stdout.splitlines()
    assert text[0] == "Small library: 3 tone findings (2 jargon, 1 prohibitive)"
    assert text[3] == "touchpoints[1].name (Circulation desk): jargon 'circulation' -> " + (
        "borrowing and returns"
    )


def test_commands_on_the_sample_import_no_qt_matplotlib_or_scipy(library_path):
    code = (
        "import sys, contextlib, io; from journeymap.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    for fmt in ('json', 'csv', 'text'): assert main(['actions', {str(library_path)!r}, "
        "'--format', fmt]) == 0\n"
        f"    for fmt in ('json', 'text'): assert main(['tone', {str(library_path)!r}, "
        "'--format', fmt]) == 0\n"
        "assert out.getvalue().count('Circulation') >= 2, out.getvalue()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'matplotlib', 'scipy')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
