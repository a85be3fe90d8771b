"""What goes into a file a person opens in a spreadsheet: the CSV and XLSX exports of
figures, with one header, one mark for a hidden figure and no live formula.

**Formulas.** A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
read as a formula by Excel, LibreOffice and Google Sheets (CSV injection: `=HYPERLINK(…)`
in an agency's name becomes a link that sends data away). Every text cell of every
export — titles, labels, filters, names — goes through `neutralise`, which prefixes such
a cell with an apostrophe, the spreadsheets' own sign for "this is text" (OWASP's advice;
the csv module quotes what needs quoting). Numbers are written as numbers, so a negative
figure stays a number. The XLSX is written by XlsxWriter with text through `write_string`
only, and with the workbook told never to turn a string into a formula or a link.

**Figures.** A `birge.privacy.disclosure.Figure` that is hidden is written as
`SUPPRESSED_MARK` ("x", the same in every language; the header's suppression line says
what it means), never its value. A shown one is written as a number, a whole number
without decimals. Rates are written as the page rounds them: the caller passes
`rounded(figure, places)` with the page's places (percentages as percent numbers, the
column's label saying "%"), so an export gives away nothing the page does not.

**Header.** Every export begins with what it is, the period, the filters, the
suppression rule (`suppression_rule`) and the time of extraction in Baku time; then each
table under its title. CSV is UTF-8 with a byte-order mark (so that Excel reads
Azerbaijani and Russian right), numbers with a decimal point; XLSX has one sheet per
table, each with the header above it. The file's name is neutral ASCII and the answer is
not stored by any cache."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter
from django.http import HttpResponse
from django.utils.translation import gettext

from birge.privacy.disclosure import Figure

# OWASP's list, the full-width forms some spreadsheets also read as a formula's start,
# and a line feed (a cell whose second line is a formula).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
SUPPRESSED_MARK = "x"
BAKU = ZoneInfo("Asia/Baku")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

Cell = str | int | float | Decimal | date | Figure | None


@dataclass(frozen=True)
class ExportTable:
    title: str  # shown above the table (CSV: a line; XLSX: its own sheet)
    columns: Sequence[str]  # header labels, already translated
    rows: Sequence[Sequence[object]]  # cells: see `Cell`


@dataclass(frozen=True)
class ExportHeader:
    title: str  # what it is ("National statistics")
    period: str  # "2026-01-01 – 2026-06-30" as the page says it
    filters: Sequence[tuple[str, str]]  # (label, value) pairs, translated
    suppression: str  # the rule as a sentence: suppression_rule(min_cell)
    extracted_at: datetime  # aware; written in Baku time


def suppression_rule(min_cell: int) -> str:
    """The rule as the header states it, naming the threshold and the mark."""
    return gettext(
        "So that nobody can be recognised, counts below %(min_cell)s are hidden, and so "
        "is any figure that would let one be worked out (a rate resting on one, a part "
        "of a shown total); a hidden figure is marked “%(mark)s”."
    ) % {"min_cell": min_cell, "mark": SUPPRESSED_MARK}


def neutralise(text: str) -> str:
    """`text` made inert in a spreadsheet: prefixed with an apostrophe when it begins
    like a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: object) -> str:
    """A cell already turned into text by its caller: neutralised unless it is exactly a
    number (which a spreadsheet reads as that number, not as a formula)."""
    text = "" if value is None else str(value)
    return text if _NUMBER.fullmatch(text) else neutralise(text)


def rounded(figure: Figure | None, places: int) -> Figure | None:
    """`figure` rounded to `places` decimals, as the page shows it; hidden stays hidden."""
    if figure is None or figure.value is None:
        return figure
    return Figure(round(figure.value, places), suppressed=figure.suppressed)


def extracted_text(moment: datetime) -> str:
    """A moment in Baku time, with its offset: 2026-12-03 21:05:00+04:00."""
    return moment.astimezone(BAKU).isoformat(sep=" ", timespec="seconds")


def _number(value: float | int | Decimal) -> int | float:
    if isinstance(value, int):
        return value
    number = float(value)
    if math.isfinite(number) and number.is_integer():
        return int(number)
    return number


def _value(cell: object) -> int | float | date | str | None:
    """A cell as written: a number, a date, text (not yet neutralised) or nothing."""
    if isinstance(cell, Figure):
        if cell.suppressed:
            return SUPPRESSED_MARK
        return None if cell.value is None else _number(cell.value)
    if cell is None:
        return None
    if isinstance(cell, bool):  # not a number for a reader: say it in words upstream
        return str(cell)
    if isinstance(cell, int | float | Decimal):
        if isinstance(cell, float | Decimal) and not math.isfinite(float(cell)):
            return None
        return _number(cell)
    if isinstance(cell, date):  # a datetime is a date too
        if isinstance(cell, datetime):
            return extracted_text(cell)
        return cell
    return str(cell)


def header_lines(header: ExportHeader) -> list[tuple[str, str]]:
    """The header as (label, value) lines, translated, not yet neutralised."""
    return [
        ("Birge", header.title),
        (gettext("Period"), header.period),
        *[(str(label), str(value)) for label, value in header.filters],
        (gettext("Suppression"), header.suppression),
        (gettext("Extracted"), extracted_text(header.extracted_at)),
    ]


def _attachment(response: HttpResponse, filename: str, extension: str) -> HttpResponse:
    stem = _FILENAME_UNSAFE.sub("-", filename.rsplit(".", 1)[0] if "." in filename else filename)
    stem = stem.strip("-.") or "birge-export"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


def _csv_text(value: int | float | date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def csv_response(
    *, filename: str, header: ExportHeader, tables: Sequence[ExportTable]
) -> HttpResponse:
    """The header's lines, then each table (its title, its columns, its rows), a blank
    line between them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for label, value in header_lines(header):
        writer.writerow([neutralise(label), neutralise(value)])
    for table in tables:
        writer.writerow([])
        writer.writerow([neutralise(str(table.title))])
        writer.writerow([neutralise(str(column)) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_text(_value(cell)) for cell in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type=CSV_TYPE)
    return _attachment(response, filename, "csv")


def _sheet_name(index: int, title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, no apostrophe at either
    end; unique through the number in front."""
    name = _SHEET_NAME_UNSAFE.sub(" ", f"{index}. {title}")[:31]
    return name.rstrip("' ") or str(index)


def xlsx_response(
    *, filename: str, header: ExportHeader, tables: Sequence[ExportTable]
) -> HttpResponse:
    """One sheet per table (one sheet with the header alone when there is none): the
    header's lines, a blank line, the table's title, its columns and its rows."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    lines = header_lines(header)

    def write(
        sheet: Any, row: int, col: int, value: int | float | date | str | None, fmt: Any = None
    ) -> None:
        if value is None:
            return
        if isinstance(value, str):
            sheet.write_string(row, col, neutralise(value), fmt)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, day)
        else:
            sheet.write_number(row, col, value, fmt)

    for index, table in enumerate(tables or [None], start=1):
        title = "Birge" if table is None else str(table.title)
        sheet = workbook.add_worksheet(_sheet_name(index, title))
        for row, (label, value) in enumerate(lines):
            write(sheet, row, 0, label, bold)
            write(sheet, row, 1, value)
        if table is None:
            continue
        top = len(lines) + 1
        write(sheet, top, 0, title, bold)
        for col, column in enumerate(table.columns):
            write(sheet, top + 1, col, str(column), bold)
        for r, cells in enumerate(table.rows, start=top + 2):
            for col, cell in enumerate(cells):
                write(sheet, r, col, _value(cell))
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, max(len(table.columns) - 1, 1), 16)
    workbook.close()
    response = HttpResponse(output.getvalue(), content_type=XLSX_TYPE)
    return _attachment(response, filename, "xlsx")


def export_response(
    *, format: str, filename: str, header: ExportHeader, tables: Sequence[ExportTable]
) -> HttpResponse:
    """`csv_response` or `xlsx_response` by `format` ("csv" or "xlsx")."""
    respond = xlsx_response if format == "xlsx" else csv_response
    return respond(filename=filename, header=header, tables=tables)
