"""The exports as a person opens them: no live formula in CSV or XLSX whatever a name
holds, the header (period, filters, suppression rule, time of extraction) in each
language, a hidden figure as its mark and never its value, numbers as numbers."""

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from birge.privacy.disclosure import SUPPRESSED, Figure
from birge.web.exports import (
    SUPPRESSED_MARK,
    ExportHeader,
    ExportTable,
    csv_response,
    export_response,
    neutralise,
    rounded,
    suppression_rule,
    xlsx_response,
)

DANGEROUS = [
    '=HYPERLINK("http://x","y")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
MOMENT = datetime(2026, 12, 3, 17, 5, tzinfo=UTC)


def header(title="National statistics", filters=(("Region", "Bakı"),)) -> ExportHeader:
    return ExportHeader(
        title=title,
        period="2026-01-01 – 2026-06-30",
        filters=list(filters),
        suppression=suppression_rule(10),
        extracted_at=MOMENT,
    )


def table(rows, title="Cases by region", columns=("Region", "Cases", "Rate (%)")):
    return ExportTable(title=title, columns=list(columns), rows=rows)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def xlsx_parts(response) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        }


def xlsx_strings(parts: dict[str, str]) -> list[str]:
    """Every text cell: the shared strings (and any inline string), unescaped."""
    texts = re.findall(r"<t(?: [^>]*)?>(.*?)</t>", "".join(parts.values()), flags=re.S)
    return [
        t.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for t in texts
    ]


def test_neutralise_prefixes_every_formula_start_and_leaves_other_text():
    for text in DANGEROUS:
        assert neutralise(text) == "'" + text
    assert neutralise("Bakı") == "Bakı"
    assert neutralise("2026-01-01 – 2026-06-30") == "2026-01-01 – 2026-06-30"


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_a_csv_cell_from_any_source_is_never_a_live_formula(dangerous):
    response = csv_response(
        filename="figures.csv",
        header=header(title=dangerous, filters=[(dangerous, dangerous)]),
        tables=[table([[dangerous, 12, 50.0]], title=dangerous, columns=[dangerous, "n", "%"])],
    )

    rows = csv_rows(response)
    cells = [cell for row in rows for cell in row if cell]
    written = [cell for cell in cells if dangerous in cell]
    # The title, the filter's label and value, the table's title, a column and a cell.
    assert len(written) == 6
    assert all(cell == "'" + dangerous for cell in written)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_an_xlsx_cell_from_any_source_is_never_a_live_formula(dangerous):
    response = xlsx_response(
        filename="figures.xlsx",
        header=header(title=dangerous, filters=[(dangerous, dangerous)]),
        tables=[table([[dangerous, 12, -3]], title=dangerous, columns=[dangerous, "n", "%"])],
    )

    parts = xlsx_parts(response)
    assert "xl/sharedStrings.xml" in parts
    assert not any("<f>" in xml or "<f " in xml for xml in parts.values())
    texts = [text for text in xlsx_strings(parts) if dangerous.strip() in text]
    assert texts
    assert all(text.startswith("'") for text in texts)
    assert not any(
        text.startswith(("=", "+", "-", "@", "\t", "\r")) for text in xlsx_strings(parts)
    )


def test_numbers_stay_numbers_and_a_negative_one_is_not_text():
    tables = [table([["Bakı", -3, 12.5], ["Gəncə", Decimal("14"), None]])]

    rows = csv_rows(csv_response(filename="f.csv", header=header(), tables=tables))
    assert ["Bakı", "-3", "12.5"] in rows
    assert ["Gəncə", "14", ""] in rows

    sheet = xlsx_parts(xlsx_response(filename="f.xlsx", header=header(), tables=tables))[
        "xl/worksheets/sheet1.xml"
    ]
    assert re.search(r'<c r="B\d+"[^>]*><v>-3</v></c>', sheet)  # a number cell, no t="s"
    assert re.search(r'<c r="C\d+"[^>]*><v>12.5</v></c>', sheet)


def test_a_suppressed_figure_is_the_mark_never_its_value():
    hidden = Figure(7, suppressed=True)  # even one that carries a value by mistake
    tables = [table([["Bakı", Figure(120), Figure(33.3)], ["Şəki", hidden, SUPPRESSED]])]

    rows = csv_rows(csv_response(filename="f.csv", header=header(), tables=tables))
    assert ["Bakı", "120", "33.3"] in rows
    assert ["Şəki", SUPPRESSED_MARK, SUPPRESSED_MARK] in rows
    assert not any("7" in cell for row in rows if row and row[0] == "Şəki" for cell in row)

    parts = xlsx_parts(xlsx_response(filename="f.xlsx", header=header(), tables=tables))
    assert SUPPRESSED_MARK in xlsx_strings(parts)
    numbers = re.findall(
        r'<c r="\w+"(?: s="\d+")?><v>([^<]*)</v>', parts["xl/worksheets/sheet1.xml"]
    )
    assert numbers == ["120", "33.3"]


def test_rates_are_written_as_the_page_rounds_them():
    assert rounded(Figure(100 * 2 / 3), 0) == Figure(67)
    assert rounded(Figure(33.333), 1) == Figure(33.3)
    assert rounded(SUPPRESSED, 1) == SUPPRESSED
    assert rounded(None, 1) is None
    rows = csv_rows(
        csv_response(
            filename="f.csv",
            header=header(),
            tables=[table([["Bakı", Figure(12), rounded(Figure(100 * 2 / 3), 0)]])],
        )
    )
    assert ["Bakı", "12", "67"] in rows


@pytest.mark.parametrize(
    ("language", "labels", "rule", "mark"),
    [
        ("en", ["Period", "Suppression", "Extracted"], "counts below 10", "“x”"),
        ("az", ["Dövr", "Gizlətmə", "Çıxarılma vaxtı"], "10 həddindən az", "“x”"),
        ("ru", ["Период", "Скрытие", "Время выгрузки"], "меньше 10", "«x»"),
    ],
)
def test_the_header_names_period_filters_rule_and_time_in_each_language(
    language, labels, rule, mark
):
    with translation.override(language):
        tables = [table([["Bakı", 12, 50]])]
        rows = csv_rows(csv_response(filename="f.csv", header=header(), tables=tables))
        parts = xlsx_parts(xlsx_response(filename="f.xlsx", header=header(), tables=tables))

    head = {row[0]: row[1] for row in rows[:5]}
    assert head["Birge"] == "National statistics"
    assert head[labels[0]] == "2026-01-01 – 2026-06-30"
    assert head["Region"] == "Bakı"
    assert rule in head[labels[1]] and mark in head[labels[1]]
    assert head[labels[2]] == "2026-12-03 21:05:00+04:00"  # Baku time
    assert rows[6:9] == [["Cases by region"], ["Region", "Cases", "Rate (%)"], ["Bakı", "12", "50"]]
    texts = xlsx_strings(parts)
    assert all(label in texts for label in labels)
    assert "2026-12-03 21:05:00+04:00" in texts


def test_the_file_is_an_attachment_with_a_neutral_name_kept_by_no_cache():
    for respond, extension in ((csv_response, "csv"), (xlsx_response, "xlsx")):
        response = respond(filename="Gülnarə =x/../.csv", header=header(), tables=[])
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename=")
        assert disposition.isascii()
        assert re.fullmatch(
            r'attachment; filename="[A-Za-z0-9._-]+\.' + extension + '"', disposition
        )
        assert response["Cache-Control"] == "no-store"


def test_an_xlsx_has_one_sheet_per_table_each_with_the_header():
    long_title = "Victims by sex and age band: a title much longer than Excel allows"
    response = export_response(
        format="xlsx",
        filename="stats",
        header=header(),
        tables=[table([["Bakı", 12, 50]], title=long_title), table([[date(2026, 1, 2), 1, 2]])],
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    parts = xlsx_parts(response)
    workbook = parts["xl/workbook.xml"]
    names = re.findall(r'<sheet name="([^"]+)"', workbook)
    assert len(names) == 2 and all(len(name) <= 31 for name in names)
    assert "2026-12-03 21:05:00+04:00" in xlsx_strings(parts)
    assert "<v>" in parts["xl/worksheets/sheet2.xml"]  # the date, as a date (a number)


def test_export_response_writes_csv_by_default():
    response = export_response(format="csv", filename="f", header=header(), tables=[])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="f.csv"'
