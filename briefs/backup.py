"""Full content backups with Django's own serializers.

A backup is one JSON document: every brief, point, link, outlet, term, alias, tag,
workflow record and revision, the accounts and roles they refer to, and the
list of media files they use. Natural keys stand in for content types and
permissions, which differ between databases; everything else keeps its id so
revision history and links between records survive a restore exactly.
"""

import hashlib
import json

from django.apps import apps
from django.core import serializers
from django.db import transaction

from core import changes

FORMAT = "briefs-cms-backup/1"
# What a newsroom would lose: content, history and the people behind it.
# Outlets come before the links that name them; link checks are rebuilt by the checker.
APPS = [
    "auth.group",
    "auth.user",
    "taggit",
    "glossary",
    "sources.outlet",
    "sources.outletdomain",
    "briefs",
    "reversion",
    "admin.logentry",
]


def _models():
    found = []
    for label in APPS:
        if "." in label:
            found.append(apps.get_model(label))
        elif apps.is_installed(label) or label in {a.label for a in apps.get_app_configs()}:
            found.extend(apps.get_app_config(label).get_models())
    # Proxy models (admin views such as the moderation queue) are the same rows again.
    return [model for model in found if not model._meta.proxy and model._meta.managed]


def dump_records():
    records = []
    for model in _models():
        queryset = model._default_manager.order_by("pk")
        data = serializers.serialize(
            "python", queryset, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
        records.extend(data)
    return json.loads(json.dumps(records, default=str))


def media_files(records):
    from django.db.models import FileField

    names = set()
    for model in _models():
        file_fields = [f.name for f in model._meta.fields if isinstance(f, FileField)]
        if not file_fields:
            continue
        label = model._meta.label_lower
        for record in records:
            if record["model"] == label:
                names.update(record["fields"][f] for f in file_fields if record["fields"].get(f))
    return sorted(names)


def checksum(records=None):
    """A fingerprint of all content: equal before a backup and after its restore."""
    records = dump_records() if records is None else records
    canonical = json.dumps(records, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def create_backup():
    records = dump_records()
    return {
        "format": FORMAT,
        "checksum": checksum(records),
        "media": media_files(records),
        "records": records,
    }


class RestoreError(Exception):
    pass


@transaction.atomic
def restore_backup(backup):
    if backup.get("format") != FORMAT:
        raise RestoreError(f"This file is not a Briefs CMS backup (expected format {FORMAT}).")
    from briefs.models import Brief

    if Brief.objects.exists():
        raise RestoreError("The database already holds briefs; restore into an empty database.")
    # Roles created by migrations are replaced by the ones in the backup.
    apps.get_model("auth.group").objects.all().delete()
    payload = json.dumps(backup["records"])
    objects = serializers.deserialize("json", payload, handle_forward_references=True)
    deferred = []
    for obj in objects:
        obj.save()
        if obj.deferred_fields:
            deferred.append(obj)
    for obj in deferred:
        obj.save_deferred_fields()
    _reset_sequences()
    apps.get_model("contenttypes.contenttype").objects.clear_cache()
    restored = checksum()
    if restored != backup["checksum"]:
        raise RestoreError("The restored content does not match the backup's checksum; nothing was restored.")
    # Everything is new: every index, count, rendition and cached page follows.
    changes.record_many(
        {kind: changes.ALL for kind in (changes.TERMS, changes.BRIEF_CONTENT, changes.HERO_IMAGE)}
    )
    return restored


def _reset_sequences():
    """Point id sequences past the restored ids (inside the restore's transaction)."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), _models()):
            cursor.execute(statement)
