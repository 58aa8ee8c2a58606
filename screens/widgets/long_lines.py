"""Lines holding one long token (an absolute path, a portal URL, an ssh command) drawn so that they can be read
and retyped at 80 columns: the home folder shown as ~, and a line broken only at a space or after `/`, `?` or
`&`, never inside a word; what is broken continues two columns further in. Copy keys hand out the whole line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from rich.console import Console, ConsoleOptions
from rich.text import Text

HANG = 2  # how much further in a broken line continues
AFTER_SEPARATOR = re.compile(r"(?<=[/?&])")


def tilde(line: str, home: Path | None = None) -> str:
    """The home folder as ~ where a path starts with it (not inside quotes, where a shell would not expand it)."""
    base = re.escape(str(home or Path.home()))
    return re.sub(rf"(?<![\w'\"~/]){base}(?=/)", "~", line)


def _pieces(word: str, width: int) -> Iterator[str]:
    """A word too long for `width`, cut after its separators (a cut mid-word only when a piece alone is longer)."""
    current = ""
    for piece in AFTER_SEPARATOR.split(word):
        while len(piece) > width:  # no separator for a whole line: nothing meaningful to break at
            if current:
                yield current
                current = ""
            yield piece[:width]
            piece = piece[width:]
        if current and len(current) + len(piece) > width:
            yield current
            current = ""
        current += piece
    if current:
        yield current


def wrap(line: str, width: int) -> list[str]:
    """`line` in rows of at most `width`: at spaces, long words after `/?&`; rows after the first start HANG in."""
    rows: list[str] = []
    current = ""
    for word in line.split(" "):
        room = width - (HANG if rows else 0)
        if current and len(current) + 1 + len(word) <= room:
            current += " " + word
            continue
        if current:
            rows.append(current)
            current = ""
            room = width - HANG
        if len(word) <= room:
            current = word
            continue
        *whole, current = _pieces(word, width - HANG)
        rows += whole
    rows.append(current)
    return [row if index == 0 else " " * HANG + row for index, row in enumerate(rows)]


class LongLines:
    """A Rich renderable: each line wrapped with `wrap` at the width it is drawn at, `indent` columns in."""

    def __init__(self, lines: Iterable[str], *, indent: int = 2, style: str = ""):
        self.lines = [tilde(line) for line in lines]
        self.indent = indent
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        for line in self.lines:
            for row in wrap(line, max(options.max_width - self.indent, 20)):
                yield Text(" " * self.indent + row, style=self.style, no_wrap=True, overflow="crop")
