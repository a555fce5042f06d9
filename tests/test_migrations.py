"""Migrations are safe on a live database (the rule in docs/operations.md)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations import AddField, AddIndex, CreateModel
from django.db.migrations.loader import MigrationLoader

from core.migration_operations import AddIndexConcurrently

# Released before the rule was written down; every site has run them. New migrations follow the rule.
BEFORE_THE_RULE = {("briefs", "0004_workflow"), ("glossary", "0002_glossary_intelligence")}
OURS = {"accounts", "briefs", "core", "glossary", "pagecache", "search", "newsletter", "sources"}


def our_migrations():
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if app in OURS:
            yield app, name, migration


@pytest.mark.django_db
def test_an_index_on_an_existing_table_is_built_concurrently_outside_a_transaction():
    created_in = {}
    offenders = []
    for app, name, migration in our_migrations():
        if (app, name) in BEFORE_THE_RULE:
            continue
        for operation in migration.operations:
            if isinstance(operation, CreateModel):
                created_in[(app, operation.name.lower())] = name
            elif isinstance(operation, AddField):
                model = (app, operation.model_name.lower())
                if created_in.get(model) != name and operation.field.db_index and not operation.field.unique:
                    offenders.append(f"{app}.{name}: {operation.name} adds an index while adding a column")
            elif isinstance(operation, AddIndex):
                model = (app, operation.model_name.lower())
                if created_in.get(model) == name:
                    continue  # a table created in this very migration is empty
                if not isinstance(operation, AddIndexConcurrently) or migration.atomic:
                    offenders.append(f"{app}.{name}: {operation.index.name}")
    assert offenders == []


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
