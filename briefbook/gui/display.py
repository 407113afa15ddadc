"""Whether the window can open here, said in one sentence instead of Qt's abort.

Without a display Qt prints four lines about platform plugins and aborts with
"Reinstalling the application may fix this problem", which sends a user the
wrong way. `no_display_sentence()` answers before Qt loads where the answer is
certain (Linux, no DISPLAY and no WAYLAND_DISPLAY); `watch_platform_start()`
covers the rest (a DISPLAY nobody answers at, a missing system library): it
turns Qt's fatal message into a sentence on stderr and exit status 1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

OFFSCREEN_HINT = (
    "to run the window without a screen, start it with QT_QPA_PLATFORM=offscreen "
    "(the command line needs no display: briefbook --help)"
)
NO_DISPLAY = f"no display was found (DISPLAY and WAYLAND_DISPLAY are not set); {OFFSCREEN_HINT}."


def no_display_sentence(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """The sentence to print instead of starting Qt, or None when a display may be there."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None  # Windows and macOS always have their own window system
    if env.get("QT_QPA_PLATFORM"):
        return None  # chosen explicitly (offscreen, vnc, eglfs...): Qt's own word counts then
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY


def sentence_for_qt_failure(messages: list[str], env: Mapping[str, str] | None = None) -> str:
    """One sentence for Qt's failure to start a platform plugin, from the lines Qt logged."""
    env = os.environ if env is None else env
    text = "\n".join(messages)
    for line in messages:
        if "could not connect to display" in line:
            if not env.get("DISPLAY"):
                return NO_DISPLAY
            return (f"no display was found at DISPLAY={env['DISPLAY']} (no X server answers there, or this "
                    f"user may not use it); {OFFSCREEN_HINT}.")
    if "xcb-cursor0" in text:
        return ("the window needs the system library libxcb-cursor0 (Debian and Ubuntu: sudo apt-get install "
                f"libxcb-cursor0), which is not installed; {OFFSCREEN_HINT}.")
    wanted = env.get("QT_QPA_PLATFORM")
    if wanted:
        return (f"Qt could not start its platform plugin \"{wanted}\" (QT_QPA_PLATFORM); "
                "set QT_QPA_PLATFORM=offscreen to run without a screen, or unset it.")
    return (f"Qt could not open a window on this display (its platform plugin failed to load: "
            f"a system library may be missing, see the README's system packages); {OFFSCREEN_HINT}.")


@contextmanager
def watch_platform_start(exit_with: Callable[[str], None] | None = None) -> Iterator[None]:
    """While the QApplication is made: Qt's fatal message about its platform plugin
    becomes `briefbook: <sentence>` on stderr and exit status 1 (Qt would abort next),
    and the lines Qt logs before it are kept back for that sentence."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    logged: list[str] = []

    def leave(sentence: str) -> None:
        sys.stderr.write(f"briefbook: {sentence}\n")
        sys.stderr.flush()
        os._exit(1)  # Qt aborts when the handler returns: leave first, with our status

    finish = exit_with or leave

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            finish(sentence_for_qt_failure([*logged, message]))
            return
        category = str(getattr(context, "category", "") or "")
        if category.startswith("qt.qpa") or "platform plugin" in message:
            logged.append(f"{category}: {message}" if category else message)
        else:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
        for line in logged:  # the window did open: Qt's notes go out as Qt would print them
            sys.stderr.write(line + "\n")
