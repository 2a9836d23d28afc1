"""Login is throttled: after five wrong passwords for a username from one address, that pair is locked with a
friendly Danish page (HTTP 429), even for the right password; other users and addresses are not affected."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_username_from_that_address(client):
    User.objects.create_user("signe", password="rigtig-kode-123")
    User.objects.create_user("mikkel", password="rigtig-kode-456")
    for _ in range(4):
        assert attempt(client, "signe", "forkert").status_code == 200  # the form again, with its message
    locked = attempt(client, "signe", "forkert")
    assert locked.status_code == 429
    assert "For mange forkerte forsøg" in locked.content.decode()
    assert attempt(client, "signe", "rigtig-kode-123").status_code == 429  # still locked
    assert attempt(client, "mikkel", "rigtig-kode-456").status_code == 302  # another user logs in
    assert attempt(client, "signe", "rigtig-kode-123", ip="198.51.100.9").status_code == 302  # another address


def test_a_successful_login_resets_the_count(client):
    User.objects.create_user("signe", password="rigtig-kode-123")
    for _ in range(4):
        attempt(client, "signe", "forkert")
    assert attempt(client, "signe", "rigtig-kode-123").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "signe", "forkert").status_code == 200
