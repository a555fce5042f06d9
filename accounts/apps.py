from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: the user admin, and what follows when a person's name or access changes."""

    name = "accounts"
    verbose_name = "Accounts"
