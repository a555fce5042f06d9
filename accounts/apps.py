from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: the user admin, and what follows when a person's name or access changes."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import services

        # Django's own sign-in and sign-out say who holds which session; nothing else listens.
        def signed_in(sender, request, user, **kwargs):
            services.remember_session(user, request.session.session_key)

        def signed_out(sender, request, user, **kwargs):
            services.forget_session(request.session.session_key)

        user_logged_in.connect(signed_in, dispatch_uid="accounts:signed-in", weak=False)
        user_logged_out.connect(signed_out, dispatch_uid="accounts:signed-out", weak=False)
