"""What goes into a file a person opens in a spreadsheet.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (CSV injection: `=HYPERLINK(…)` in a
name becomes a link that sends data away). Every text cell of every export goes through
`csv_cell`, which prefixes such a cell with an apostrophe, the spreadsheets' own sign
for "this is text". Numbers Birge writes itself (a negative figure) are left alone."""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
