"""Notes (and their preview) as the meeting pack prints them.

The window renders the very blocks the PDF and Word exporters print
(`exporters.markdown.note_blocks`): paragraphs, lists (with task boxes) and
tables of bold, italic, struck-through, code and linked runs. What the
exports do not interpret (raw HTML, images) therefore shows as the same raw
text here, instead of the window promising what the pack does not do.

User text is data, never markup: every piece of it is escaped, and a link is
made only for web and mail addresses (`safe_href`); an image is never loaded.
"""

from __future__ import annotations

from exporters.markdown import TASK_MARKS, Block, BulletList, Para, Span, Table, note_blocks, safe_href
from exporters.text import escape

#: Paragraphs and lists of a card sit close together, as in the pack (Qt's
#: defaults put 12px around each, and around a list nested in an item).
_P = '<p style="margin-top:0; margin-bottom:4px">'
_LIST_MARGINS = ('style="margin-top:0; margin-bottom:4px"', 'style="margin-top:0; margin-bottom:0"')


def markdown_to_html(text: str) -> str:
    """Rich text for a QLabel/QTextBrowser of the note `text`; nothing in it becomes live markup."""
    return blocks_to_html(note_blocks(text))


def blocks_to_html(blocks: tuple[Block, ...]) -> str:
    out: list[str] = []
    _blocks(blocks, out)
    return "".join(out)


def _blocks(blocks: tuple[Block, ...], out: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Para):
            out.append(_P)
            _spans(block.spans, out)
            out.append("</p>")
        elif isinstance(block, Table):
            _table(block, out)
        else:
            _list(block, out, nested=False)


def _table(table: Table, out: list[str]) -> None:
    out.append('<table border="1" cellspacing="0" cellpadding="3" style="border-collapse:collapse; margin-bottom:4px">')
    for head, row in ((True, table.header), *((False, r) for r in table.rows)):
        out.append("<tr>")
        for c, cell in enumerate(row):
            align = table.align[c] if c < len(table.align) else "left"
            out.append(f'<{"th" if head else "td"} align="{align}">')
            _spans(cell, out)
            out.append("</th>" if head else "</td>")
        out.append("</tr>")
    out.append("</table>")


def _list(block: BulletList, out: list[str], nested: bool) -> None:
    margins = _LIST_MARGINS[nested]
    out.append(f'<ol start="{block.start}" {margins}>' if block.ordered else f"<ul {margins}>")
    for index, item in enumerate(block.items):
        out.append("<li>")
        task = block.task(index)
        if task is not None:
            out.append(TASK_MARKS[task] + " ")
        first = True
        for inner in item:
            if isinstance(inner, Para):
                if not first:  # a second paragraph of the item: on its own line, as the pack has it
                    out.append("<br>")
                _spans(inner.spans, out)
            elif isinstance(inner, Table):
                _table(inner, out)
            else:
                _list(inner, out, nested=True)
            first = False
        out.append("</li>")
    out.append("</ol>" if block.ordered else "</ul>")


def _spans(spans: tuple[Span, ...], out: list[str]) -> None:
    for s in spans:
        piece = escape(s.text).replace("\n", "<br>")
        if s.code:
            piece = f"<code>{piece}</code>"
        if s.strike:
            piece = f"<s>{piece}</s>"
        if s.bold:
            piece = f"<b>{piece}</b>"
        if s.italic:
            piece = f"<i>{piece}</i>"
        href = safe_href(s.href) if s.href else None
        if href:
            piece = f'<a href="{escape(href, quote=True)}">{piece}</a>'
        out.append(piece)
