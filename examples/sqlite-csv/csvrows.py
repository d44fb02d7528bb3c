"""`csv_rows`: a CSV file as an SQLite virtual table, in Python.

    .load ./csvrows
    CREATE VIRTUAL TABLE people USING csv_rows('people.csv');
    SELECT name FROM people WHERE age > 30;

Column names come from the file's header line; values are text, or
integers and reals where a cell reads as one."""

import csv
from collections.abc import Iterator

from sqlite import SqlValue, table


def _cell(text: str) -> SqlValue:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


@table
class csv_rows:
    def __init__(self, path: str) -> None:
        self.path = path
        with open(path, newline="", encoding="utf-8") as f:
            self.columns = next(csv.reader(f))

    def rows(self) -> Iterator[tuple[SqlValue, ...]]:
        with open(self.path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            for record in reader:
                yield tuple(_cell(c) for c in record)
