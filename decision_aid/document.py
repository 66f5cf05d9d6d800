"""What a document is made of (the record note, its appendix, the letters): data only, so that
the modules that write documents (note.py, summary.py) and those that show them share one shape."""

from __future__ import annotations

from dataclasses import dataclass

from . import contract as c


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    verbatim: str | None = None  # the user's own words, shown as typed
    plain: bool = False  # items are lines (an address block), not a bulleted list
    show_title: bool = True  # letters run on without headings between their parts


@dataclass(frozen=True)
class Document:
    kind: str  # contract.DOCUMENTS: note, warning_letter, strategy_notice
    title: str
    short: str  # the name on buttons
    filename: str  # the stem of a downloaded file
    sections: tuple[Section, ...]

    @property
    def letter(self) -> bool:
        return self.kind not in (c.NOTE, c.REASONING_DOC)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(iso: str) -> str:
    """27 November 2026: the form a letter uses (the note keeps ISO dates for sorting)."""
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"
