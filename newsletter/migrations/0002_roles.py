"""Newsletter permissions for the editorial roles: editors read, moderators manage sending and
subscribers. Superusers have every permission anyway."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [f"newsletter.view_{model}" for model in ("subscriber", "issue", "delivery", "digestcontent")]
ROLES = {
    "Editor": READ,
    "Moderator": [
        *READ,
        "newsletter.manage_sending",
        "newsletter.export_subscriber",
        "newsletter.erase_subscriber",
    ],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="newsletter"))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("briefs", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
