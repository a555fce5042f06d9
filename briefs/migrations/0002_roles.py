"""Editorial roles as Django groups. People are put in them by an administrator."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = ["brief", "briefpoint", "briefterm", "sourcelink"]

ROLES = {
    "Contributor": [
        *(f"briefs.{action}_{model}" for model in CONTENT for action in ("add", "change", "delete", "view")),
        "glossary.view_term",
        "glossary.view_termalias",
        "taggit.add_tag",
        "taggit.view_tag",
    ],
}
ROLES["Editor"] = [
    *ROLES["Contributor"],
    "briefs.edit_any_brief",
    *(f"glossary.{action}_{model}" for model in ("term", "termalias") for action in ("add", "change", "view")),
    "glossary.delete_termalias",
    "taggit.change_tag",
]
ROLES["Moderator"] = [*ROLES["Editor"], "briefs.publish_brief", "glossary.delete_term"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0001_initial"),
        ("glossary", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
