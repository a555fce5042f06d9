"""Shared fixtures: role users, a temporary MEDIA_ROOT, and service checks.

With CI=true a test that needs a missing service fails instead of skipping,
so a green CI run never hides an untested path.
"""

import os

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from .factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)"))


@pytest.fixture(autouse=True)
def empty_page_cache():
    """The page cache lives in process memory: no test may see pages cached by another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _member(role, username):
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
def moderator(db):
    return _member("Moderator", "mo")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)
