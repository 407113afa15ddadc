"""Page numbers for the Word document, from laying it out with LibreOffice when it is installed.

A DOCX carries no page layout: Word computes page numbers only when it
updates its fields, and a document that asks for that on opening prompts the
reader every time. So the export lays the finished document out once with
LibreOffice (headless, its own temporary profile), reads from the PDF it
makes on which page each bookmark landed (the headings of the contents, the
notes the summary page points to), and writes the document again with those
numbers as the fields' shown results. Without LibreOffice the numbers are
left blank (the export dialog says so); nothing fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from db.model.errors import Cancelled
from exporters.book_model import CANCELLED, CancelCheck

#: Word bookmarks become PDF named destinations (LibreOffice 7.4 and later).
_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
_TIMEOUT = 180.0  # seconds: a 1,500-page book takes LibreOffice about a minute
_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Kids\s*\[([^\]]*)\]", re.S)
_DESTS = re.compile(rb"/Dests\s+(\d+)\s+0\s+R")
_DEST = re.compile(rb"/(?:#5F|5F|_)Toc(bb\d+)\s*\[\s*(\d+)\s+0\s+R")


def libreoffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def bookmark_pages(docx: bytes, cancelled: CancelCheck | None = None) -> dict[str, int] | None:
    """Anchor -> page number of the document laid out by LibreOffice; None if that cannot be done."""
    program = libreoffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="briefbook-layout-") as tmp:
        folder = Path(tmp)
        source = folder / "book.docx"
        source.write_bytes(docx)
        command = [program, "--headless", "--norestore", "--nologo",
                   f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", _FILTER, "--outdir", str(folder), str(source)]
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        except OSError:
            return None
        deadline = time.monotonic() + _TIMEOUT
        try:
            while proc.poll() is None:
                if cancelled is not None and cancelled():
                    raise Cancelled(CANCELLED)
                if time.monotonic() > deadline:
                    return None
                time.sleep(0.05)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        try:
            pdf = (folder / "book.pdf").read_bytes()
        except OSError:
            return None
    return _pages_of_destinations(pdf)


def _pages_of_destinations(pdf: bytes) -> dict[str, int] | None:
    """Parse LibreOffice's own (uncompressed) page tree and named destinations."""
    kids = _PAGES.search(pdf)
    dests = _DESTS.search(pdf)
    if kids is None or dests is None:
        return None
    order = {int(n): i + 1 for i, n in enumerate(re.findall(rb"(\d+)\s+0\s+R", kids.group(1)))}
    start = pdf.find(b"\n%d 0 obj" % int(dests.group(1)))
    if start < 0:
        return None
    end = pdf.find(b"endobj", start)
    out: dict[str, int] = {}
    for name, obj in _DEST.findall(pdf[start:end]):
        page = order.get(int(obj))
        if page is not None:
            out[name.decode("ascii")] = page
    return out or None
