"""Store brief vectors out of line (TOAST) so the entry table stays narrow.

A search reads the entries of every matching brief before ranking a few of them;
with ~2 kB vectors stored inline, a common word meant reading most of the table.
With a low toast_tuple_target the heap holds ids and pointers only (about 60 MB
instead of 135 MB at 100,000 briefs), and only ranked rows fetch their vectors.
PostgreSQL only; nothing to do elsewhere.
"""

from django.db import migrations


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_briefsearchentry SET (toast_tuple_target = 128)")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_briefsearchentry RESET (toast_tuple_target)")


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(narrow, widen, elidable=False),
    ]
