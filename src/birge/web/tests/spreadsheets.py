"""Reading an export as the tests do: a CSV's rows, and an XLSX's XML as text (where a
live formula would be an `<f>` element)."""

import csv
import io
import zipfile


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so that spreadsheets read UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def xlsx_xml(response) -> str:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )
