"""The project as a whole: settings, migrations and the two commands' building blocks."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def run_django(code, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "briefs_cms.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_debug_the_site_refuses_to_start_without_a_secret_key():
    result = run_django("print('started')", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_debug_a_throwaway_key_is_generated():
    result = run_django("from django.conf import settings; print(settings.SECRET_KEY[:4])", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "dev-"


def test_database_url_selects_the_database():
    result = run_django(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/briefs",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_migrations_unapply_and_reapply_cleanly():
    call_command("migrate", "briefs", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Contributor", "Editor", "Moderator"}
