"""Source links get an outlet, an archived copy and their key in the check history.

Live-safe: nullable or empty columns, indexes built concurrently, and existing links backfilled
in short batches. Each link's publisher text finds or makes its outlet (by name, then by the
link's domain); the text itself stays on the link as typed, so nothing is lost. Roles get the
outlet and link-check permissions they need.
"""

from urllib.parse import urlsplit

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import briefs.models
from core.migration_operations import AddIndexConcurrently, backfill_in_batches
from sources.outlets import outlet_for_link
from sources.urlkeys import url_hash

ROLE_PERMISSIONS = {
    "Contributor": ["sources.view_outlet"],
    "Editor": [
        "sources.view_outlet",
        "sources.add_outlet",
        "sources.change_outlet",
        *(f"sources.{action}_outletdomain" for action in ("add", "change", "delete", "view")),
        "sources.view_linkstate",
        "sources.view_linkcheck",
    ],
}
ROLE_PERMISSIONS["Moderator"] = [*ROLE_PERMISSIONS["Editor"], "sources.delete_outlet", "sources.check_links"]


def link_outlets(apps, schema_editor):
    SourceLink = apps.get_model("briefs", "SourceLink")
    found = {}

    def update(batch):
        links = list(batch.only("pk", "url", "publisher", "outlet_id", "url_hash"))
        for link in links:
            link.url_hash = url_hash(link.url)
            if link.outlet_id is None:
                key = ((link.publisher or "").strip().casefold(), (urlsplit(link.url).hostname or "").lower())
                if key not in found:
                    found[key] = outlet_for_link(link.url, link.publisher, apps=apps)
                link.outlet = found[key]
        SourceLink.objects.bulk_update(links, ["url_hash", "outlet"])

    backfill_in_batches(SourceLink.objects.all(), update, batch_size=500)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("sources")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, dotted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [name.split(".")[1] for name in dotted]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="sources", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="sources"))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('briefs', '0011_pending_changes_and_locks'),
        ('sources', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='sourcelink',
            name='archive_url',
            field=models.URLField(blank=True, help_text="An archived copy of the page (e.g. the Wayback Machine's). Readers are sent there when the link is confirmed broken.", max_length=2000, validators=[briefs.models.validate_web_url], verbose_name='archived copy'),
        ),
        migrations.AddField(
            model_name='sourcelink',
            name='outlet',
            field=models.ForeignKey(blank=True, db_index=False, help_text="Who published it. Suggested from the link's address; filled in on save when left empty.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='links', to='sources.outlet'),
        ),
        migrations.AddField(
            model_name='sourcelink',
            name='url_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='sourcelink',
            name='publisher',
            field=models.CharField(blank=True, help_text="The publisher's name as written on this link. Readers see the outlet's name; this one only when the link has no outlet. Typing a new name here creates its outlet.", max_length=120, verbose_name='publisher as typed'),
        ),
        AddIndexConcurrently(
            model_name='sourcelink',
            index=models.Index(fields=['outlet', 'brief'], name='sourcelink_outlet_idx'),
        ),
        AddIndexConcurrently(
            model_name='sourcelink',
            index=models.Index(fields=['url_hash'], name='sourcelink_url_hash_idx'),
        ),
        migrations.RunPython(link_outlets, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(grant, revoke),
    ]
