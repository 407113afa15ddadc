"""The house style both renderers share: colours, the page, type sizes and spacing.

Format-neutral values only: colours as "#rrggbb", the page in millimetres,
type sizes and paragraph spacing in points. The PDF (`exporters.pdf_styles`)
and the Word document (`exporters.docx_styles`) turn them into their own
units, so the two formats cannot drift apart. Nothing here imports ReportLab
or python-docx.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from db.model.values import STATUS_COLOURS, STATUS_LABELS

# -- colours -----------------------------------------------------------------------------------

NAVY = "#1b2f4e"  # headings, table heads, the cover's band
ACCENT = "#7a1f2b"  # the rule under the cover's band (and the cover's kind)
GREY = "#5b6573"  # secondary text: where an entry sits, bylines, header and footer
RULE = "#c8ced6"  # hairlines
TINT = "#eef3f9"  # behind talking points
LINK = "#1f4e9a"
HEADING_4 = "#2d3f5c"
ENTRY_TEXT = "#222222"  # a commitment's own text
EXCERPT = "#333333"  # a source's excerpt
COVER_SUBTITLE = "#c9d4e5"  # the plan's name, on the cover's band
TOTAL_ROW = "#f3f5f8"  # behind the totals of the status summary
WHITE = "#ffffff"
BLACK = "#000000"
UNKNOWN_STATUS = "#888888"


#: Printed where the marking goes when a book has none, so a forgotten marking shows.
NOT_MARKED = "NOT MARKED"


def status_colour(status: str) -> str:
    """The colour of a status ("#rrggbb"); grey for one this version does not know."""
    return STATUS_COLOURS.get(status, UNKNOWN_STATUS)


def status_label(status: str) -> str:
    """The label of a status; the stored value for one this version does not know."""
    return STATUS_LABELS.get(status, status)


#: Column heads of the status summary: two lines where the full label is too wide
#: (a word is never split).
SHORT_STATUS_LABELS: dict[str, str] = {"with_challenges": "With\nchallenges", "not_started": "Not\nstarted",
                                       "not_pursued": "Not\npursued"}
#: The width of a status column in the status table (mm), wide enough in both formats that no
#: word of its heading breaks in two ("challenges" in the bold sans at 8 pt is 14.6 mm, and the
#: cells' padding is 2.8 mm in the PDF, 2.5 mm in Word); tests/test_export_pack.py measures it.
STATUS_COLUMN_MM: dict[str, float] = {"with_challenges": 17.8}
STATUS_COLUMN_DEFAULT_MM = 15.5


def status_column_widths_mm(statuses: Iterable[str]) -> list[float]:
    """The widths of the status table's count columns, then of its total column (mm)."""
    return [STATUS_COLUMN_MM.get(s, STATUS_COLUMN_DEFAULT_MM) for s in statuses] + [STATUS_COLUMN_DEFAULT_MM]

# -- the page: A4 ----------------------------------------------------------------------------

PAGE_W_MM = 210
PAGE_H_MM = 297
MARGIN_L_MM = MARGIN_R_MM = 22
MARGIN_T_MM = 24
MARGIN_B_MM = 22
TEXT_W_MM = PAGE_W_MM - MARGIN_L_MM - MARGIN_R_MM

# -- type ------------------------------------------------------------------------------------


class Role(NamedTuple):
    """One kind of paragraph: its type size and the space before and after it, in points."""

    size: float
    before: float = 0
    after: float = 0


BODY = Role(10.5, after=4)
HEADINGS = (  # levels 1 to 4
    Role(17, 6, 10),
    Role(13, 14, 3),
    Role(11.5, 10, 2),
    Role(10.5, 8, 2),
)
ENTRY_TEXT_ROLE = Role(10.5, 3, 6)
TALKING = Role(10.5, 2, 6)
META = Role(8.5, after=4)  # status, counts, lead office, citations
LABEL = Role(8.5, 7, 2)  # "TALKING POINTS", "SOURCES"
SOURCE_MORE = Role(8.5, after=1)  # where a source was published, its address, quotes
CELL = Role(8.5)
CELL_HEAD = Role(8)
STEER_BODY = Role(10, after=2)  # the steering page: purpose, objectives, press line
STEER_BODY_LEADING = 13
STEER_LINE = Role(9, after=2)  # a key message, ask or risk
STEER_LINE_LEADING = 11.0
COVER_LABEL = Role(8, before=9)
COVER_VALUE = Role(11.5)
TOC = (  # contents lines, levels 1 and 2
    Role(10.5, before=7),
    Role(10, before=1.5),
)

COVER_KIND_SIZE = 20  # "MEETING BRIEF", on the cover's band
COVER_SUBTITLE_SIZE = 11
COVER_TITLE_SIZE = 25
HEADER_SIZE = 8  # header and footer text
MARKING_SIZE = 9  # the classification marking, in the header and the footer
#: A meeting pack that is not approved says so on every page (issue 25): a diagonal watermark, and in the header.
DRAFT_WATERMARK = "DRAFT"
DRAFT_HEADER = "DRAFT — not approved"
DRAFT_COLOUR = "#b00020"  # the header's words
DRAFT_WATERMARK_GREY = "#d9d9d9"  # light enough to read the page through

SOURCE_INDENT = 22  # points: a source's details sit under its title, past its [n]
TOC2_INDENT = 16  # points: second-level contents lines
