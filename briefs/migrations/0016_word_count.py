from django.db import migrations, models
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.migration_operations import backfill_in_batches


def count_words(apps, schema_editor):
    """Count every brief's words, batch by batch (one short transaction each)."""
    from briefs.reading import word_count_sql

    Brief = apps.get_model("briefs", "Brief")
    BriefPoint = apps.get_model("briefs", "BriefPoint")
    point_words = (
        BriefPoint.objects.filter(brief=OuterRef("pk"))
        .order_by()
        .values("brief")
        .annotate(words=Sum(word_count_sql("text")))
        .values("words")
    )
    words = (
        word_count_sql("dek")
        + word_count_sql("body")
        + Coalesce(Subquery(point_words, output_field=IntegerField()), Value(0))
    )

    def count(batch):
        batch.using(schema_editor.connection.alias).update(word_count=words)

    backfill_in_batches(Brief.objects.using(schema_editor.connection.alias), count)


class Migration(migrations.Migration):
    # Live-safe: the column comes with a constant default (no table rewrite on PostgreSQL) and
    # the words are counted batch by batch.
    atomic = False

    dependencies = [("briefs", "0015_merge_stored_body")]

    operations = [
        migrations.AddField(
            model_name="brief",
            name="word_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_words, migrations.RunPython.noop),
    ]
