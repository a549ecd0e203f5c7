"""Measurements as CSV, the one format of both the export and the import.

UTF-8 with a byte order mark (so that Excel reads the accents), ``;`` as separator (the
French Excel default), French headers, one row per measurement. Plain strings in and out:
what the cells mean (indicators, territories, secrecy) is decided by the caller.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, fields

BOM = "\ufeff"
DELIMITER = ";"


@dataclass(frozen=True)
class MeasurementRow:
    action: str
    indicator_id: str
    indicator: str
    period: str
    territory_kind: str
    territory: str
    value: str
    unit: str
    source: str
    comment: str
    status: str


#: The headers, in the order of MeasurementRow's fields.
HEADERS: tuple[str, ...] = (
    "Action",
    "Identifiant indicateur",
    "Indicateur",
    "Période",
    "Type de territoire",
    "Territoire",
    "Valeur",
    "Unité",
    "Source",
    "Commentaire",
    "État",
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(MeasurementRow))


class MeasurementCsvError(ValueError):
    """A file that is not a measurements CSV at all; the message is French."""


@dataclass(frozen=True)
class CsvLine:
    """One data line of an uploaded file, with its line number in the file (1 = headers)."""

    number: int
    row: MeasurementRow | None
    error: str = ""  # a line that cannot be a row (wrong number of columns)


def write_measurements(rows: Iterable[MeasurementRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([getattr(row, name) for name in FIELD_NAMES])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _normalise(header: str) -> str:
    return " ".join(header.replace(BOM, "").split()).casefold()


def read_measurements(data: bytes) -> list[CsvLine]:
    """The data lines of a file written by ``write_measurements`` (or edited in a
    spreadsheet and saved again as CSV UTF-8). Blank lines are skipped; a line with the
    wrong number of cells comes back with its ``error``. A file that is not this format at
    all raises MeasurementCsvError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MeasurementCsvError(
            "Le fichier n'est pas encodé en UTF-8 : dans Excel, enregistrez-le au format "
            "« CSV UTF-8 (délimité par des points-virgules) »."
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITER)
    try:
        header = next(reader, None)
        if header is None:
            raise MeasurementCsvError("Le fichier est vide.")
        expected = [_normalise(h) for h in HEADERS]
        if [_normalise(h) for h in header] != expected:
            if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
                raise MeasurementCsvError(
                    "Le séparateur des colonnes doit être le point-virgule (;)."
                )
            raise MeasurementCsvError(
                "La première ligne doit contenir exactement les colonnes de l'export : "
                + " ; ".join(HEADERS)
                + "."
            )
        lines = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            number = reader.line_num
            if len(cells) != len(HEADERS):
                error = f"{len(cells)} colonnes au lieu de {len(HEADERS)}."
                lines.append(CsvLine(number, None, error))
                continue
            lines.append(CsvLine(number, MeasurementRow(*(c.strip() for c in cells))))
    except csv.Error as exc:
        raise MeasurementCsvError(f"Ligne {reader.line_num} : CSV illisible ({exc}).") from exc
    return lines
