"""Parsed fonts kept between runs: the same font as parsing gives, and never a failed export."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from db.briefing.facade import Briefing
from exporters import font_cache
from exporters.fonts import FONT_DIR

ROOT = Path(__file__).resolve().parents[1]
SERIF = FONT_DIR / "LiberationSerif-Regular.ttf"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(font_cache, "cache_dir", lambda: folder)
    return folder


def _same_font(a: TTFont, b: TTFont) -> None:
    assert set(vars(a)) == set(vars(b))
    for key in vars(a):
        if key not in ("face", "state", "encoding"):
            assert getattr(a, key) == getattr(b, key), key
    fa, fb = vars(a.face), vars(b.face)
    assert set(fa) == set(fb)
    for key in fa:
        if key == "_pdfScale":
            assert [fa[key](v) for v in (0, 1, 977, 2048)] == [fb[key](v) for v in (0, 1, 977, 2048)]
        else:
            assert fa[key] == fb[key], key
            assert type(fa[key]) is type(fb[key]), key


def test_a_font_from_the_cache_is_the_font_reportlab_parses(cache: Path) -> None:
    parsed = TTFont("BB-Test", str(SERIF))
    first = font_cache.load_font("BB-Test", SERIF)  # parses and stores
    assert len(list(cache.iterdir())) == 1
    cached = font_cache.load_font("BB-Test", SERIF)  # from the cache
    _same_font(parsed, first)
    _same_font(parsed, cached)


def test_a_damaged_cache_entry_is_parsed_again(cache: Path) -> None:
    font_cache.load_font("BB-Test", SERIF)
    (entry,) = cache.iterdir()
    for damage in (b"", b"\x00garbage", entry.read_bytes()[: entry.stat().st_size // 2]):
        entry.write_bytes(damage)
        _same_font(TTFont("BB-Test", str(SERIF)), font_cache.load_font("BB-Test", SERIF))


def test_a_changed_font_file_is_not_served_from_the_cache(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "Face.ttf"
    copy.write_bytes(SERIF.read_bytes())
    font_cache.load_font("BB-A", copy)
    copy.write_bytes((FONT_DIR / "LiberationSans-Bold.ttf").read_bytes())
    font = font_cache.load_font("BB-B", copy)
    assert font.face.name == TTFont("x", str(copy)).face.name != TTFont("y", str(SERIF)).face.name


def test_an_unwritable_cache_folder_costs_nothing_but_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setattr(font_cache, "cache_dir", lambda: blocker / "fonts")
    _same_font(TTFont("BB-Test", str(SERIF)), font_cache.load_font("BB-Test", SERIF))


def _export(db: Path, out: Path, cache_home: Path) -> bytes:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    subprocess.run(
        [sys.executable, "-m", "briefbook", "export", "--db", str(db), "--plan", "-o", str(out), "--quiet"],
        cwd=ROOT, env=env, check=True, timeout=120,
    )
    # The dates and the file identifier differ from run to run; nothing else may.
    return re.sub(rb"\(D:\d+\+00'00'\)|/ID \n?\[<[0-9a-f]+><[0-9a-f]+>\]", b"", out.read_bytes())


def test_an_export_with_a_warm_cache_is_the_same_pdf(seeded_path: Path, tmp_path: Path) -> None:
    home = tmp_path / "cache-home"
    cold = _export(seeded_path, tmp_path / "cold.pdf", home)
    assert list((home / "briefbook" / "fonts").iterdir())
    warm = _export(seeded_path, tmp_path / "warm.pdf", home)
    assert warm == cold


def _rewrite_entry(entry: Path, change: Callable[[dict[str, Any]], None]) -> None:
    stored = marshal.loads(entry.read_bytes())
    change(stored["attrs"])
    entry.write_bytes(marshal.dumps(stored))


@pytest.mark.parametrize(
    "damage",
    [
        lambda a: a.update(unitsPerEm=0),
        lambda a: a["table"].pop("glyf"),
        lambda a: a.pop("charWidths"),
        lambda a: a.update(hmetrics=a["hmetrics"][:10]),
        lambda a: a["table"]["loca"].update(offset=10**9),
        lambda a: a.update(charToGlyph={65: 10**7}),
        lambda a: a.update(ascent="tall"),
    ],
    ids=["units-per-em-0", "no-glyf-table", "no-widths", "short-metrics", "table-past-the-end", "bad-glyph", "ascent-text"],
)
def test_a_wellformed_but_wrong_entry_is_a_miss_and_the_pdf_still_comes_out(
    cache: Path, seeded: Briefing, damage: Callable[[dict[str, Any]], None]
) -> None:
    from exporters.book import build_plan_book
    from exporters.fonts import FONT_DIR as fonts_dir
    from exporters.pdf import render_pdf

    font_cache.load_font("BB-Test", SERIF)
    (entry,) = cache.iterdir()
    _rewrite_entry(entry, damage)
    _same_font(TTFont("BB-Test", str(SERIF)), font_cache.load_font("BB-Test", SERIF))
    # Every shipped face with a wrong entry: the export parses them again and succeeds.
    for path in sorted(fonts_dir.glob("*.ttf")):
        font_cache.load_font("BB-Probe", path)
    for other in cache.iterdir():
        _rewrite_entry(other, damage)
    from exporters import fonts

    for name, file_name in fonts._FACE_FILES.items():
        font = font_cache.load_font(name + "-probe", fonts_dir / file_name)
        assert font.face.unitsPerEm > 0 and "glyf" in font.face.table
    pdf = render_pdf(build_plan_book(seeded, seeded.plans()[0].id))
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
