"""Moderators approve term definitions (and so terms themselves)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("glossary")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="glossary", codename="approve_term")
    group, _ = Group.objects.get_or_create(name="Moderator")
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Moderator"):
        group.permissions.remove(*group.permissions.filter(codename="approve_term"))


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0002_glossary_intelligence"),
        ("briefs", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
