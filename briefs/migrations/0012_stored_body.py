from django.db import migrations, models

from briefs.rendering import plain_text, render_body
from core.migration_operations import backfill_in_batches


def render_stored_bodies(apps, schema_editor):
    """Render the body of every brief that has one, batch by batch (one short transaction each)."""
    Brief = apps.get_model("briefs", "Brief")

    def render(batch):
        briefs = list(batch.only("pk", "body"))
        for brief in briefs:
            brief.body_html = render_body(brief.body)
            brief.body_text = plain_text(brief.body_html)
        Brief.objects.using(batch.db).bulk_update(briefs, ["body_html", "body_text"])

    backfill_in_batches(
        Brief.objects.using(schema_editor.connection.alias).exclude(body=""), render, batch_size=500
    )


class Migration(migrations.Migration):
    # Live-safe: the columns come with a constant default (no table rewrite on PostgreSQL) and
    # the bodies are rendered batch by batch.
    atomic = False

    dependencies = [
        ("briefs", "0011_pending_changes_and_locks"),
    ]

    operations = [
        migrations.AddField(
            model_name="brief",
            name="body_html",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="brief",
            name="body_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(render_stored_bodies, migrations.RunPython.noop, elidable=True),
    ]
