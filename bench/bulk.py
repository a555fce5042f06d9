"""Fast inserts of many rows: COPY on PostgreSQL, batched executemany elsewhere.

Rows are plain tuples in the order of the given fields; every other column gets
the field's default, so a field added later with a default needs no change here.
"""

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone

BATCH_SIZE = 5000


class MissingColumnError(ValueError):
    pass


def _column_defaults(model, given):
    """(columns, constant values) for the model's columns not in `given`."""
    now = timezone.now()
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.name in given or field.attname in given or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.default is not NOT_PROVIDED:
            value = field.get_default()
        elif field.null:
            value = None
        elif field.empty_strings_allowed and field.blank:
            value = ""
        else:
            raise MissingColumnError(f"{model.__name__}.{field.name} has no default; give it a value.")
        columns.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return columns, tuple(values)


def insert_rows(model, fields, rows):
    """Insert `rows` (iterables of values for `fields`) into `model`'s table; return the count."""
    given = set(fields)
    columns = [model._meta.get_field(name).column for name in fields]
    extra_columns, extra_values = _column_defaults(model, given)
    columns += extra_columns
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *extra_values))
                    count += 1
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608
            batch = []
            for row in rows:
                batch.append((*row, *extra_values))
                if len(batch) >= BATCH_SIZE:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def reserve_ids(model, n):
    """`n` fresh primary keys for `model`, so parents and children can be written in one pass."""
    if n <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, n],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite and others: take the next free block (generation runs alone in its transaction).
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {table}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + n))
