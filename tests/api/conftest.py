import pytest


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """These tests make many authors; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
