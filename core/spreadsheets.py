"""Files for spreadsheets, one way for every export: CSV with ";" (what a German Excel
expects) and a byte order mark (so it reads UTF-8), and one guard against formulas.

A cell that starts like a formula (= + - @, or a tab or carriage return, which spreadsheets
skip before looking) is written with a leading apostrophe, so a company name like
"=HYPERLINK(...)" stays text (CSV injection); openpyxl would even store it as a formula.
The import takes the apostrophe off again (`unguarded`).
"""

import csv
import io
from collections.abc import Iterable

from tablib import Dataset

CSV_DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unguarded(text: str) -> str:
    """A cell read back from one of our files, without the apostrophe `safe_cell` added."""
    if text[:1] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def dataset_csv(dataset: Dataset) -> bytes:
    """A tablib dataset (already made of safe cells) as our CSV."""
    return (BOM + dataset.export("csv", delimiter=CSV_DELIMITER)).encode("utf-8")
