"""Words that say "no", and jargon no customer should need.

The built-in list holds the library jargon of the talks this project grew
from and the common prohibitive forms, each with a suggested wording; the
map's own ``tone`` list extends it or overrides a term (compared without
regard to case).  Searched: touch point names and descriptions, rule texts,
observation quotes and notes.

Matching is by whole words and ignores case, with these decisions:

- never inside a longer word: no hit in "preference" or "paged", and a
  plural is a term of its own ("patrons" is in the list; "pages" of a book
  are no hit for "page", the staff member who fetches books);
- a hyphen or an apostrophe ends a word, so "reference-desk" and
  "patron's" are hits;
- a term written in capitals in the list (ILL, OCLC) matches only in
  capitals, so "ill" in "my son was ill" is no hit;
- the term ``no`` matches only where a sign starts: at the start of a
  text or a sentence ("No food or drink"), or after an opening quotation
  mark ("signed 'No food'"); in an observation's note, the observer's own
  words, only the quoted sign.  Never "no one", "no idea", "no problem"
  and the like.

No Qt.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from journeymap.model.entities import ToneTerm
from journeymap.model.journey import JourneyMap

JARGON, PROHIBITIVE = "jargon", "prohibitive"
#: How long a finding's text may be, "…" included.
TEXT_LIMIT = 120

#: The built-in list: the seed's jargon, then the prohibitive forms.
BUILTIN_TONE: tuple[ToneTerm, ...] = (
    ToneTerm("circulation", JARGON, "borrowing and returns"),
    ToneTerm("OCLC", JARGON, "other libraries' catalogue"),
    ToneTerm("ILL", JARGON, "borrowing from another library"),
    ToneTerm("periodicals", JARGON, "magazines and newspapers"),
    ToneTerm("call number", JARGON, "the number on the book's spine"),
    ToneTerm("call numbers", JARGON, "the numbers on the books' spines"),
    ToneTerm("reference", JARGON, "help finding information"),
    ToneTerm("page", JARGON, "a staff member who fetches books for you"),
    ToneTerm("patron", JARGON, "customer"),
    ToneTerm("patrons", JARGON, "customers"),
    ToneTerm(
        "no",
        PROHIBITIVE,
        'say what is welcome: "you are welcome to use your phone in the lobby"',
    ),
    ToneTerm("not allowed", PROHIBITIVE, "say where or when it is welcome"),
    ToneTerm("prohibited", PROHIBITIVE, "say where or when it is welcome"),
    ToneTerm("forbidden", PROHIBITIVE, "say where or when it is welcome"),
    ToneTerm("must not", PROHIBITIVE, 'ask and give the reason: "please … so that …"'),
    ToneTerm("only for", PROHIBITIVE, "say who it is for and what everyone else can use"),
)

# After "no" at the start these are everyday speech, not a prohibition.
_NOT_A_SIGN = ("one", "longer", "matter", "idea", "doubt", "problem", "problems", "way", "thanks")
_SENTENCE_END = re.compile("[.!?]+[\"'\u201d\u2019)]*\\s+|\n+")
# Quotes, brackets, bullets and dashes a sign or sentence may open with.
_OPENERS = "\"'\u201c\u2018(\u00ab*\u2022\u2013\u2014- \t"


class ToneFinding(NamedTuple):
    """One jargon or prohibitive term in one text of the map."""

    where: str  # the JSON path of the text, e.g. touchpoints[3].name
    touchpoint: str | None
    term: str
    kind: str
    suggest: str
    text: str  # the sentence holding it, at most TEXT_LIMIT characters
    start: int  # where the term starts in the whole text
    end: int


#: Keys of :func:`finding_record`, in the order JSON uses.
TONE_RECORD_KEYS = ("where", "touchpoint", "term", "kind", "suggest", "text")


def _norm(term: str) -> str:
    return " ".join(term.split()).casefold()


def tone_terms(journey: JourneyMap | None = None) -> list[ToneTerm]:
    """The built-in list, overridden and extended by the map's own, by term."""
    terms = {_norm(t.term): t for t in BUILTIN_TONE}
    for t in journey.tone if journey is not None else ():
        if _norm(t.term):
            terms[_norm(t.term)] = t
    return list(terms.values())


@functools.lru_cache(maxsize=1024)
def _pattern(term: str, starts: bool = True) -> re.Pattern[str]:
    words = term.split()
    body = r"\s+".join(re.escape(w) for w in words)
    if _norm(term) == "no":
        # A quoted sign anywhere ('No food'); with ``starts`` also the start of
        # the text or of a sentence, past quotes and bullets.
        sign = "(?<!\\w)[\"'\u201c\u2018\u00ab]\\s*"
        if starts:
            sign += rf"|(?:^|(?<=[.!?:;\n]))[{re.escape(_OPENERS)}]*"
        skip = "|".join(_NOT_A_SIGN)
        return re.compile(rf"(?:{sign})(?P<t>no)\s+(?!(?:{skip})\b)(?=\w)", re.IGNORECASE)
    flags = 0 if term.isupper() and len(term) > 1 else re.IGNORECASE
    return re.compile(rf"(?<!\w)(?P<t>{body})(?!\w)", flags)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start:end``, cut to TEXT_LIMIT around the term."""
    begin, finish = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            begin = m.end()
        elif m.start() >= end:
            finish = m.start() + len(m.group().rstrip())
            break
    sentence = " ".join(text[begin:finish].split())
    if len(sentence) <= TEXT_LIMIT:
        return sentence
    # Keep the term in view: start a little before it, "…" where cut.
    raw = " ".join(text[begin:start].split())
    offset = len(raw) + (1 if raw and text[start - 1 : start].isspace() else 0)
    lo = max(0, min(offset - 30, len(sentence) - (TEXT_LIMIT - 1)))
    if lo == 0:
        return sentence[: TEXT_LIMIT - 1] + "…"
    rest = sentence[lo:]
    if len(rest) <= TEXT_LIMIT - 1:
        return "…" + rest
    return "…" + rest[: TEXT_LIMIT - 2] + "…"


def _texts(journey: JourneyMap) -> Iterator[tuple[str, str | None, str]]:
    """Every searched text: its JSON path, its touch point and the text."""
    for i, tp in enumerate(journey.touchpoints):
        yield f"touchpoints[{i}].name", tp.id, tp.name
        yield f"touchpoints[{i}].description", tp.id, tp.description
    for i, rule in enumerate(journey.rules):
        yield f"rules[{i}].text", rule.touchpoint, rule.text
    for i, obs in enumerate(journey.observations):
        yield f"observations[{i}].quote", obs.touchpoint, obs.quote
        yield f"observations[{i}].note", obs.touchpoint, obs.note


def find_in_text(
    text: str,
    terms: Iterable[ToneTerm],
    where: str = "",
    touchpoint: str | None = None,
    *,
    starts: bool = True,
) -> list[ToneFinding]:
    """The findings in one text, by position (then by term for one position).

    Without ``starts`` (an observer's note: their words, not the service's)
    "no" counts only in a quoted sign, not at the start of a sentence.
    """
    found = []
    for term in terms:
        for m in _pattern(term.term, starts).finditer(text):
            s, e = m.span("t")
            found.append(
                ToneFinding(where, touchpoint, term.term, term.kind, term.suggest,
                            _sentence(text, s, e), s, e)
            )  # fmt: skip
    found.sort(key=lambda f: (f.start, -f.end, _norm(f.term)))
    return found


def tone_findings(journey: JourneyMap) -> list[ToneFinding]:
    """Jargon and prohibitive wording in the map, in file order of the texts."""
    terms = tone_terms(journey)
    findings: list[ToneFinding] = []
    for where, touchpoint, text in _texts(journey):
        if text:
            notes = where.endswith(".note")
            findings += find_in_text(text, terms, where, touchpoint, starts=not notes)
    return findings


def finding_record(finding: ToneFinding) -> dict[str, object]:
    """One finding as plain data for JSON."""
    return {key: getattr(finding, key) for key in TONE_RECORD_KEYS}
