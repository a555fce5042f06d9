from django.db import migrations, models
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def count_words(apps, schema_editor):
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
    Brief.objects.update(
        word_count=word_count_sql("dek")
        + word_count_sql("body")
        + Coalesce(Subquery(point_words, output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [("briefs", "0015_merge_stored_body")]

    operations = [
        migrations.AddField(
            model_name="brief",
            name="word_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_words, migrations.RunPython.noop),
    ]
