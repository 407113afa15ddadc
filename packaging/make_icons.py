"""Render packaging/icons/briefbook.svg to the PNG sizes desktops ask for, the
Windows .ico and the window's own icon (resources/icons/briefbook.png), with Qt's
own SVG renderer and image writers (no other tool needed).

    uv run python packaging/make_icons.py

The results are committed (the build does not need to render them); run this
again after changing the SVG. The macOS .icns is made on a Mac from these PNGs
(packaging/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent / "icons"
WINDOW_ICON = Path(__file__).resolve().parents[1] / "resources" / "icons" / "briefbook.png"  # the window's own
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "briefbook.svg"))
    if not renderer.isValid():
        print("make_icons: briefbook.svg is not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        folder = ICONS / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        render(renderer, size).save(str(folder / "briefbook.png"), "PNG")
    render(renderer, 256).save(str(WINDOW_ICON), "PNG")
    # Qt's ICO writer stores one image; Windows scales it (the 256 px one looks right at every size).
    render(renderer, 256).save(str(ICONS / "briefbook.ico"), "ICO")
    print(f"rendered {', '.join(map(str, SIZES))} px and briefbook.ico into {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
