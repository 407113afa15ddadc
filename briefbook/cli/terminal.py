"""Text from a file reaches a terminal as text, never as terminal commands.

A note, a title or a lock's user name can hold escape sequences (`\\x1b]0;...`
retitles the window, `\\x1b[2J` clears it, a C1 control or a bidi override
disguises what follows). When a person's terminal is the reader, every
control character but newline and tab is shown as U+FFFD instead; scripts
reading a pipe get the bytes unchanged (their JSON escapes controls itself).
"""

from __future__ import annotations

from typing import Any, TextIO

_SHOWN = "\ufffd"
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_TABLE = {c: _SHOWN for c in _CONTROLS if c not in (0x09, 0x0A)}


def printable(text: str) -> str:
    return text.translate(_TABLE)


class PrintableStream:
    """A text stream that writes `printable(text)` to the terminal stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, fileno...
        return getattr(self._stream, name)


def guard(stream: TextIO) -> TextIO:
    """`stream` itself for a pipe or a file, a `PrintableStream` over it for a terminal."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return PrintableStream(stream) if tty else stream  # type: ignore[return-value]
