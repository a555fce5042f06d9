"""Failed admin logins lock one account from one address; colleagues behind that address still sign in."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


@pytest.fixture
def staffer(django_user_model):
    return django_user_model.objects.create_user("staffer", password=PASSWORD, is_staff=True)


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_an_account_is_locked_after_five_failures_with_a_clear_message(client, staffer):
    for _ in range(5):
        attempt(client, "staffer", "wrong")
    response = attempt(client, "staffer", PASSWORD)
    assert response.status_code == 429
    assert "Sign-in temporarily locked" in response.text
    assert "_auth_user_id" not in client.session


def test_a_locked_account_still_signs_in_from_its_owners_address(client, staffer):
    for _ in range(5):
        attempt(client, "staffer", "wrong", ip="198.51.100.1")
    assert attempt(client, "staffer", PASSWORD, ip="198.51.100.1").status_code == 429
    assert attempt(client, "staffer", PASSWORD, ip="192.0.2.99").status_code == 302


def test_failures_from_a_shared_address_do_not_lock_out_colleagues_behind_it(client, staffer):
    for _ in range(5):
        attempt(client, "intruder", "wrong", ip="203.0.113.50")
    assert attempt(client, "intruder", "wrong", ip="203.0.113.50").status_code == 429
    assert attempt(client, "staffer", PASSWORD, ip="203.0.113.50").status_code == 302


def test_a_sign_in_whose_next_was_refused_lands_on_the_admin_index(client, staffer):
    response = client.post(
        reverse("admin:login") + "?next=https://evil.example/",
        {"username": "staffer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_superuser_can_unlock_an_account(client, staffer):
    for _ in range(5):
        attempt(client, "staffer", "wrong")
    call_command("axes_reset_username", "staffer")
    call_command("axes_reset_ip", "203.0.113.7")
    assert attempt(client, "staffer", PASSWORD).status_code == 302


def test_weak_passwords_are_refused(django_user_model):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = django_user_model(username="newbie")
    for weak in ["password123", "short", "12345678901234"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
