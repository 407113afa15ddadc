"""Export speed, measured as whole commands side by side in one run.

    uv run python tests/bench/bench_export.py [--rounds 3] [--commitments 2000]

Two books: the seeded Japan-Italy plan (with its notes and sources) and a
synthetic plan of 2,000 commitments with about 3 notes and 2 sources each
(`tests/bench/synth.py`). For each, the median of a few rounds of:

- ours PDF:    `briefbook export --plan -o book.pdf`
- bare:        `tests/bench/bare_reportlab.py`, the same text laid out with no features
- ours DOCX:   `briefbook export --plan -o book.docx --no-page-numbers` (the work pandoc does)
- ours DOCX paged: the same with the contents' page numbers, i.e. with the
  LibreOffice layout pass (`exporters.docx_pages`), when LibreOffice is installed
- LibreOffice: `soffice --headless --convert-to pdf book.docx` (our DOCX)
- pandoc:      `pandoc book.md -o book.docx`, the same content written as Markdown
- principal's PDF (synthetic only): `briefbook export --meeting "Meeting 1" -o pack.pdf`, the
  principal's brief of a 40-item agenda in the 2,000-commitment file

and the peak resident memory of our export commands. The project's modules and
the libraries both sides import are compiled first, as in any installed copy
(`tests/bench/bytecode.py`): where the environment forbids writing bytecode
caches (PYTHONDONTWRITEBYTECODE), every command would otherwise compile them
again. Targets (issue 4):
ours PDF <= 1.5x bare; ours PDF faster than LibreOffice (>= 2.5x on the
seeded plan); ours DOCX <= 2x pandoc; RSS < 500 MB; (issue 21) the 40-item principal's PDF < 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from exporters.book import BookOptions, build_plan_book  # noqa: E402
from exporters.book_model import (  # noqa: E402
    Book,
    ChangesPart,
    EntriesPart,
    SourcesPart,
    SummaryPart,
    TextPart,
)
from exporters.markdown import Block, BulletList, Para  # noqa: E402

# -- the same text, for the references ------------------------------------------------------------


def _block_lines(blocks: tuple[Block, ...], out: list[tuple[str, str]]) -> None:
    for b in blocks:
        if isinstance(b, Para):
            out.append(("p", "".join(s.text for s in b.spans)))
        elif isinstance(b, BulletList):
            for item in b.items:
                for inner in item:
                    if isinstance(inner, Para):
                        out.append(("bullet", "".join(s.text for s in inner.spans)))
                    else:
                        _block_lines((inner,), out)


def flatten(book: Book) -> list[tuple[str, str]]:
    """The book's text as (kind, text) lines: h1-h4, p, bullet."""
    out: list[tuple[str, str]] = [("h1", book.cover.title)]
    out += [("p", f"{f.label}: {f.value}") for f in book.cover.fields]
    for part in book.parts:
        if isinstance(part, SummaryPart):
            out.append(("h1", part.title))
            out += [("p", f"{r.ref} {r.title}: " + ", ".join(map(str, r.counts))) for r in part.rows]
        elif isinstance(part, TextPart):
            out.append(("h1", part.title))
            _block_lines(part.blocks, out)
        elif isinstance(part, EntriesPart):
            if part.title:
                out.append(("h1", part.title))
            for e in part.entries:
                out.append((f"h{min(e.level, 4)}", e.heading))
                if e.context:
                    out.append(("p", e.context))
                if e.status:
                    out.append(("p", f"Status: {e.status.label} {e.status.changed_on}"))
                _block_lines(e.text, out)
                _block_lines(e.points, out)
                for g in e.note_groups:
                    out.append(("h4", g.label))
                    for n in g.notes:
                        _block_lines(n.blocks, out)
                for c in e.citations:
                    out.append(("p", f"[{c.number}] {c.title} — {c.quote}"))
        elif isinstance(part, ChangesPart):
            out.append(("h1", part.title))
            for ch in part.changes:
                out.append(("p", f"{ch.when} {ch.ref} {ch.title} {ch.what}"))
                _block_lines(ch.detail, out)
        elif isinstance(part, SourcesPart):
            out.append(("h1", part.title))
            for s in part.sources:
                out.append(("p", f"[{s.number}] {s.title}. {s.outlet}, {s.published}. {s.url_text}"))
                if s.excerpt:
                    out.append(("p", s.excerpt))
                out += [("p", f"Cited at {q.ref}: {q.quote}") for q in s.quotes]
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#<>!|])")


def markdown(lines: list[tuple[str, str]]) -> str:
    out: list[str] = []
    for kind, text in lines:
        text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
        if kind.startswith("h"):
            out.append("#" * int(kind[1]) + " " + text)
        elif kind == "bullet":
            out.append("- " + text)
        else:
            out.append(text)
        out.append("")
    return "\n".join(out)


# -- running whole commands ------------------------------------------------------------------------


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command.

    The memory comes from GNU time where it is installed: Linux carries the
    spawning process's own peak into a child it starts directly, so wait4()
    would report this (large) benchmark's size for any smaller command.
    """
    time_cmd = shutil.which("time", path="/usr/bin:/bin")
    full = [time_cmd, "-f", "BB-PEAK-KB %M", *cmd] if time_cmd else cmd
    start = time.perf_counter()
    proc = subprocess.Popen(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    peaks = re.findall(r"^BB-PEAK-KB (\d+)$", err, re.MULTILINE)
    return elapsed, (int(peaks[-1]) if peaks else usage.ru_maxrss) / 1024


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def bench_case(name: str, db: Path, work: Path, rounds: int, soffice: str | None, pandoc: str | None,
               meeting: str | None = None) -> dict:
    from db.briefing.facade import Briefing

    with Briefing.open(db, read_only=True) as briefing:
        plan_id = briefing.plans()[0].id
        book = build_plan_book(briefing, plan_id, options=BookOptions(generated_on="2025-01-01"))
    lines = flatten(book)
    text_json = work / f"{name}.json"
    text_json.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
    md = work / f"{name}.md"
    md.write_text(markdown(lines), encoding="utf-8")

    py = sys.executable
    ours_pdf = work / f"{name}.pdf"
    ours_docx = work / f"{name}.docx"
    lo_dir = work / f"lo-{name}"
    lo_dir.mkdir(exist_ok=True)
    commands: dict[str, list[str]] = {
        "ours_pdf": [py, "-m", "briefbook", "export", "--db", str(db), "--plan", plan_id, "-o", str(ours_pdf), "--quiet"],
        "bare_reportlab": [py, str(ROOT / "tests" / "bench" / "bare_reportlab.py"), str(text_json),
                           str(work / f"{name}-bare.pdf")],
        "ours_docx": [py, "-m", "briefbook", "export", "--db", str(db), "--plan", plan_id, "-o", str(ours_docx),
                      "--quiet", "--no-page-numbers"],
    }
    if soffice:
        commands["ours_docx_paged"] = [py, "-m", "briefbook", "export", "--db", str(db), "--plan", plan_id, "-o",
                                       str(work / f"{name}-paged.docx"), "--quiet"]
        profile = (work / "lo-profile").as_uri()
        commands["libreoffice"] = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                                   "--outdir", str(lo_dir), str(ours_docx)]
    if pandoc:
        commands["pandoc"] = [pandoc, str(md), "-o", str(work / f"{name}-pandoc.docx")]
    if meeting:
        commands["principal_pdf"] = [py, "-m", "briefbook", "export", "--db", str(db), "--meeting", meeting, "-o",
                                     str(work / f"{name}-principal.pdf"), "--quiet"]

    times: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, float] = {k: 0.0 for k in commands}
    for cmd in commands.values():  # warm-up: caches, LibreOffice's profile
        run(cmd, cwd=ROOT)
    keys = list(commands)
    for round_no in range(rounds):
        # A different command goes first each round: whatever one leaves behind
        # (LibreOffice's processes winding down, a cold cache) does not always
        # fall on the same next command.
        shift = round_no % len(keys)
        for key in keys[shift:] + keys[:shift]:
            cmd = commands[key]
            t, m = run(cmd, cwd=ROOT)
            times[key].append(t)
            rss[key] = max(rss[key], m)
    med = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "name": name,
        "entries": sum(1 for _ in book.entries()),
        "pages_ours": pages(ours_pdf),
        "pages_bare": pages(work / f"{name}-bare.pdf"),
        "pages_lo": pages(lo_dir / f"{name}.pdf") if soffice else None,
        "median_s": med,
        "min_s": {k: min(v) for k, v in times.items()},
        "rss_mb": rss,
    }
    return result


def report(r: dict) -> None:
    m = r["median_s"]
    print(f"\n== {r['name']}: {r['entries']} entries; PDF pages: ours {r['pages_ours']}, bare {r['pages_bare']}"
          + (f", LibreOffice {r['pages_lo']}" if r["pages_lo"] else ""))
    for key, t in m.items():
        print(f"  {key:15} {t:7.2f} s (fastest {r['min_s'][key]:5.2f} s)   peak RSS {r['rss_mb'][key]:6.0f} MB")
    lo = r["min_s"]
    print(f"  ours PDF / bare ReportLab   = {m['ours_pdf'] / m['bare_reportlab']:.2f}x   (target <= 1.5x; "
          f"fastest runs: {lo['ours_pdf'] / lo['bare_reportlab']:.2f}x)")
    if "libreoffice" in m:
        print(f"  LibreOffice / ours PDF      = {m['libreoffice'] / m['ours_pdf']:.2f}x faster (target > 1x; >= 2.5x seeded)")
    if "pandoc" in m:
        print(f"  ours DOCX / pandoc          = {m['ours_docx'] / m['pandoc']:.2f}x   (target <= 2x)")
    if "ours_docx_paged" in m:
        print(f"  ours DOCX with page numbers = {m['ours_docx_paged']:.2f} s (LibreOffice lays it out once)")
    print(f"  peak RSS of our exports     = {max(r['rss_mb']['ours_pdf'], r['rss_mb']['ours_docx']):.0f} MB (target < 500 MB)")
    if "principal_pdf" in m:
        print(f"  40-item principal's PDF     = {m['principal_pdf']:.2f} s   (target < 3 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--commitments", type=int, default=2000)
    ap.add_argument("--keep", action="store_true", help="keep the work folder (to look at the files)")
    ap.add_argument("--only", choices=("seeded", "synthetic"), help="measure one of the two books")
    args = ap.parse_args()

    from briefbook.services.seeding import init_file
    from tests.bench.bytecode import compile_for_bench
    from tests.bench.synth import make_synthetic

    # The bare script imports ReportLab too: both sides run from byte-code, as installed copies do.
    compile_for_bench(("db", "exporters", "briefbook"),
                      ("reportlab", "docx", "markdown_it", "mdurl", "platformdirs", "PIL"))
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pandoc = shutil.which("pandoc")
    if not soffice:
        print("LibreOffice not found: apt-get install -y libreoffice-writer-nogui")
    if not pandoc:
        print("pandoc not found: apt-get install -y pandoc")
    try:
        seeded = work / "seeded.sqlite"
        init_file(seeded).close()
        synthetic = work / "synthetic.sqlite"
        if args.only != "seeded":
            n = args.commitments
            make_synthetic(synthetic, commitments=n, notes=3 * n, sources=2 * n, links_per_source=1, meetings=1,
                           agenda_per_meeting=40)
        print(f"python {sys.version.split()[0]}, work folder {work}, {args.rounds} rounds (median), whole commands")
        for name, db in (("seeded", seeded), ("synthetic", synthetic)):
            if args.only in (None, name):
                report(bench_case(name, db, work, args.rounds, soffice, pandoc,
                                  meeting="Meeting 1" if name == "synthetic" else None))
    finally:
        if args.keep:
            print(f"\nfiles kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
