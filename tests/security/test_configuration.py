"""Production configuration is safe by default."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "briefs.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://briefs.example.com",
    "EMAIL_HOST": "smtp.example.com",
}


def manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_allowed_hosts():
    env = {**PRODUCTION, "ALLOWED_HOSTS": ""}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0


@pytest.mark.django_db
def test_unknown_host_header_is_a_400(client):
    assert client.get("/", HTTP_HOST="evil.test").status_code == 400


@pytest.mark.django_db
def test_public_pages_send_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.django_db
def test_admin_login_never_redirects_off_site(client, django_user_model):
    django_user_model.objects.create_user("staffer", password="a-long-enough-password", is_staff=True)
    response = client.post(
        reverse("admin:login") + "?next=https://evil.test/steal",
        {"username": "staffer", "password": "a-long-enough-password", "next": "https://evil.test/steal"},
    )
    assert response.status_code == 302
    assert "evil.test" not in response["Location"]
