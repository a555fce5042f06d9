import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class AddIndexOnPostgres(migrations.AddIndex):
    """A GIN index exists only on PostgreSQL; on SQLite the state changes and the schema does not."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('briefs', '0001_initial'),
        ('glossary', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='BriefSearchEntry',
            fields=[
                ('brief', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='briefs.brief')),
                ('extra', models.TextField(blank=True, help_text="The brief's points and glossary term names, as searchable text.")),
                ('vector', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'brief search entry',
                'verbose_name_plural': 'brief search entries',
            },
        ),
        migrations.CreateModel(
            name='TermSearchEntry',
            fields=[
                ('term', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='glossary.term')),
                ('aliases', models.TextField(blank=True, help_text="The term's aliases, as searchable text.")),
                ('vector', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'term search entry',
                'verbose_name_plural': 'term search entries',
            },
        ),
        AddIndexOnPostgres(
            model_name='briefsearchentry',
            index=django.contrib.postgres.indexes.GinIndex(fields=['vector'], name='search_brief_vector_gin'),
        ),
        AddIndexOnPostgres(
            model_name='termsearchentry',
            index=django.contrib.postgres.indexes.GinIndex(fields=['vector'], name='search_term_vector_gin'),
        ),
    ]
