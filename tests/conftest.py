"""Shared fixtures: role users, a temporary MEDIA_ROOT, and service checks.

With CI=true a test that needs a missing service fails instead of skipping,
so a green CI run never hides an untested path.
"""

import importlib
import os

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from hypothesis import settings as hypothesis_settings

from . import commits
from .factories import UserFactory

commits.install()

# Property tests check rules, not speed (speed lives in `make bench`): no per-example deadline, which
# a busy machine would turn into spurious failures.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)"))


_content_types_reloaded = False


@pytest.fixture(autouse=True)
def _forget_content_type_ids(request):
    """A transactional test flushes and reloads content types; the next test must not trust cached ids."""
    global _content_types_reloaded
    if _content_types_reloaded:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        _content_types_reloaded = False
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        _content_types_reloaded = True


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need a password, not a slow key-derivation function: keep the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_page_cache():
    """The page cache lives in process memory: no test may see pages cached by another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def shared_counters(settings, tmp_path):
    """Each test has its own page-cache generation and matcher version: no test sees another's purge."""
    settings.SHARED_COUNTERS_DIR = tmp_path / "counters"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def ensure_roles():
    """Put the role groups back if a transactional test's flush emptied the database before this test.

    Under xdist such a test can run before others on the same worker; the flush keeps permissions
    (post_migrate recreates them) but not the groups the data migrations made.
    """
    if Group.objects.filter(name__in=["Contributor", "Editor", "Moderator"]).count() == 3:
        return
    roles = importlib.import_module("briefs.migrations.0002_roles").ROLES
    sources = importlib.import_module("briefs.migrations.0013_source_outlets").ROLE_PERMISSIONS
    extra = {role: list(sources.get(role, [])) for role in roles}
    extra["Moderator"].append("glossary.approve_term")
    for role, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in [*codenames, *extra.get(role, [])]:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def _member(role, username):
    ensure_roles()
    user = UserFactory(username=username, first_name=role)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def contributor(db):
    return _member("Contributor", "cora")


@pytest.fixture
def other_contributor(db):
    return _member("Contributor", "carl")


@pytest.fixture
def editor(db):
    return _member("Editor", "eddie")


@pytest.fixture
def other_editor(db):
    return _member("Editor", "erin")


@pytest.fixture
def moderator(db):
    return _member("Moderator", "mo")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)
