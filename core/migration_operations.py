"""Migration operations that are safe on a live database.

The rule for every migration that touches a large table (see docs/operations.md):
indexes are built with `AddIndexConcurrently` in a migration with `atomic = False`, so
PostgreSQL keeps taking writes while it builds; data is backfilled with `backfill_in_batches`,
one short transaction per batch, never one UPDATE over the whole table. On SQLite (the
embedded, single-machine default) both fall back to the plain operations.
"""

from django.contrib.postgres.operations import AddIndexConcurrently as PostgresAddIndexConcurrently
from django.db import migrations, transaction


class AddIndexConcurrently(PostgresAddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL; a plain index elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


def backfill_in_batches(queryset, update, *, batch_size=2000, using=None):
    """Run `update(batch_queryset)` over `queryset` in primary-key order, one transaction per batch.

    Each batch locks at most `batch_size` rows for a moment, so readers and writers of a live
    site are never held up behind one long UPDATE. Returns how many rows were visited."""
    done, last = 0, None
    queryset = queryset.order_by("pk")
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return done
        with transaction.atomic(using=using or queryset.db):
            update(queryset.model._default_manager.filter(pk__in=ids))
        done += len(ids)
        last = ids[-1]
