"""View > Zoom: the whole window's text larger or smaller, remembered between runs."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from briefbook.gui import settings

KEY = "view/zoomSteps"
#: One step is one point; the range keeps the window usable.
MIN_STEPS, MAX_STEPS = -4, 12
_base_size: float | None = None


def steps() -> int:
    value = settings.settings().value(KEY, 0)
    try:
        return max(MIN_STEPS, min(MAX_STEPS, int(value)))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def apply(new_steps: int | None = None) -> int:
    """Set the text size `new_steps` points from the normal one (None: the one remembered)."""
    global _base_size
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return 0
    chosen = steps() if new_steps is None else max(MIN_STEPS, min(MAX_STEPS, new_steps))
    if _base_size is None:
        if chosen == 0:
            return 0  # the normal size, never changed: nothing to tell every widget (start-up)
        _base_size = app.font().pointSizeF()
    font = app.font()
    font.setPointSizeF(_base_size + chosen)
    app.setFont(font)
    if new_steps is not None:
        settings.settings().setValue(KEY, chosen)
    return chosen


def zoom_by(delta: int) -> int:
    return apply(steps() + delta)
