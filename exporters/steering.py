"""The steering page of a meeting pack: what the principal reads if they read nothing else.

Purpose, objectives, key messages, their likely asks each with our response,
the main risks and the press line, on one page whatever the size of the
agenda. Key messages are chosen: the notes marked key; where none is, one
line per agenda item (its first line to take, else its first talking
point). Each line is a note's first sentence, whole where it fits the lines
the page can give it, otherwise cut at a word with an ellipsis; never cut
mid-word. What does not fit is counted in a sentence that says where it is.

The page is measured here, with the sans's own widths (`exporters.measure`),
so the PDF and the Word file print the same lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from exporters.book_model import BriefPart, KeyLine
from exporters.measure import fit_words, lines_needed

#: Note kinds a key message is drawn from.
MESSAGE_KINDS = ("talking_point", "line_to_take", "press_line")
ASK_KIND = "if_raised"
RISK_KIND = "risk"

# The page as both renderers set it (points): A4 less the margins, the sizes of exporters.style.
PAGE_HEIGHT = 711.0  # 297 mm less 24 mm and 22 mm
TEXT_WIDTH = 470.0  # 166 mm
LINE_SIZE = 9.0  # a steering line's type
LINE_LEADING = 11.0
LINE_GAP = 1.0  # after each line
REF_COLUMN = 52.0  # the reference hangs in its own column
PAGE_COLUMN = 28.0  # the page number at the right
LINE_WIDTH = TEXT_WIDTH - REF_COLUMN - PAGE_COLUMN
BODY_SIZE, BODY_LEADING = 10.0, 13.0  # purpose, objectives, press line
HEADING = 31.0  # the page's title (its leading and the space after it)
LABEL = 20.0  # "KEY MESSAGES" and the space before it
NOTICE = 15.5  # a line saying what more the items hold
#: What is kept in reserve for the difference between the estimate and either layout.
SAFETY = 1.0  # the estimate runs a little high in both layouts (measured: 2-3 %)
#: At least this many asks and risks stay when the page is full (the rest are counted): a key
#: message for every item comes first.
MIN_ASKS = MIN_RISKS = 2


class Candidate(NamedTuple):
    """A note that may be a line of the steering page."""

    kind: str
    key: bool
    item: int  # agenda number
    ref: str
    label: str
    sentence: str  # its first sentence
    response: str  # an ask: our response's first sentence
    anchor: str
    note_id: str


def first_sentence(text: str) -> str:
    """The first sentence of `text` (all of it when it has no sentence end)."""
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?。！？])(?:\s|$)", text)
    return m.group(1) if m else text


def choose(candidates: Sequence[Candidate]) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
    """(key messages, asks, risks), in agenda order, before fitting."""
    messages = [c for c in candidates if c.kind in MESSAGE_KINDS]
    chosen = [c for c in messages if c.key]
    if not chosen:  # none marked key: one line per agenda item, its first line to take, else talking point
        by_item: dict[int, Candidate] = {}
        for kind in ("line_to_take", "talking_point"):
            for c in messages:
                if c.kind == kind and c.item not in by_item:
                    by_item[c.item] = c
        chosen = [by_item[i] for i in sorted(by_item)]
    asks = [c for c in candidates if c.kind == ASK_KIND]
    asks = [c for c in asks if c.key] or asks
    risks = [c for c in candidates if c.kind == RISK_KIND]
    risks = [c for c in risks if c.key] or risks
    return chosen, asks, risks


def _height(purpose_lines: int, objectives: Sequence[str], press_line: str, groups: Sequence[Sequence[str]],
            notices: int) -> float:
    h = HEADING
    if purpose_lines:
        h += LABEL + purpose_lines * BODY_LEADING
    if objectives:
        h += LABEL + sum(lines_needed(o, BODY_SIZE, TEXT_WIDTH - 14) for o in objectives) * BODY_LEADING
    for texts in groups:
        if texts:
            h += LABEL + sum(lines_needed(t, LINE_SIZE, LINE_WIDTH) * LINE_LEADING + LINE_GAP for t in texts)
    if press_line:
        h += LABEL + lines_needed(press_line, BODY_SIZE, TEXT_WIDTH) * BODY_LEADING
    return h + notices * NOTICE


def _lines(cands: Sequence[Candidate], lines: int, ask: bool) -> list[KeyLine]:
    out: list[KeyLine] = []
    for c in cands:
        if ask:  # their ask, then our response, each on as many lines as a line may take
            text = fit_words(c.sentence, LINE_SIZE, LINE_WIDTH, lines)
            response = fit_words(c.response, LINE_SIZE, LINE_WIDTH, lines) if c.response else ""
        else:
            text, response = fit_words(c.sentence, LINE_SIZE, LINE_WIDTH, lines), ""
        out.append(KeyLine(c.ref, c.label, text, c.anchor, c.note_id, c.item, response))
    return out


def _texts(lines: Sequence[KeyLine]) -> list[str]:
    out: list[str] = []
    for k in lines:
        out.append(k.text)
        if k.response:
            out.append("Response: " + k.response)
    return out


def steering_part(anchor: str, purpose: str, objectives: Sequence[str], press_line: str,
                  candidates: Sequence[Candidate], notices: Sequence[str], title: str = "Summary") -> BriefPart:
    """The steering page, fitted to one page (see the module doc)."""
    messages, asks, risks = choose(candidates)
    purpose_text = fit_words(purpose, BODY_SIZE, TEXT_WIDTH, 6) if purpose else ""
    purpose_lines = lines_needed(purpose_text, BODY_SIZE, TEXT_WIDTH) if purpose_text else 0
    objectives = [fit_words(o, BODY_SIZE, TEXT_WIDTH - 14, 2) for o in objectives if o.strip()]
    press = fit_words(press_line, BODY_SIZE, TEXT_WIDTH, 3) if press_line.strip() else ""
    budget = PAGE_HEIGHT * SAFETY
    n_messages, n_asks, n_risks = len(messages), len(asks), len(risks)
    lines = 2

    def layout() -> tuple[list[KeyLine], list[KeyLine], list[KeyLine], list[str]]:
        km = _lines(messages[:n_messages], lines, ask=False)
        ak = _lines(asks[:n_asks], lines, ask=True)
        rk = _lines(risks[:n_risks], lines, ask=False)
        said = list(notices)
        more = [f"{total - shown} more {noun}{'s' if total - shown != 1 else ''}"
                for total, shown, noun in ((len(messages), n_messages, "key message"), (len(asks), n_asks, "ask"),
                                           (len(risks), n_risks, "risk")) if total > shown]
        if more:  # one line, so that saying it takes no room from what it counts
            said.append("Set out in the items: " + (", ".join(more[:-1]) + " and " if len(more) > 1 else "")
                        + more[-1] + ".")
        return km, ak, rk, said

    while True:
        km, ak, rk, said = layout()
        h = _height(purpose_lines, objectives, press, (_texts(km), _texts(ak), _texts(rk)), len(said))
        if h <= budget:
            break
        # Too long for one page: first one line each, then fewer risks and asks, then fewer messages.
        if lines > 1:
            lines = 1
        elif n_risks > MIN_RISKS:
            n_risks -= 1
        elif n_asks > MIN_ASKS:
            n_asks -= 1
        elif n_risks > 1 or n_asks > 1:  # a key message for every item before a second ask or risk
            n_risks, n_asks = min(n_risks, 1), min(n_asks, 1)
        elif n_messages > 1:
            n_messages -= 1
        elif n_risks or n_asks:
            n_risks, n_asks = max(0, n_risks - 1), max(0, n_asks - 1)
        else:
            break
    if not km and not ak and not rk and not notices:
        said.append("No key messages, asks or risks have been written for this agenda yet.")
    return BriefPart(anchor, title, purpose_text, tuple(km), tuple(ak), tuple(rk), tuple(said),
                     tuple(objectives), press, lines)
