"""The user admin, saying what readers see change: an author's name is printed on their briefs."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core import changes

from . import services

# Fields of a person that readers see on the public site (bylines).
PUBLIC_FIELDS = {"first_name", "last_name", "username"}

User = get_user_model()


class UserAdmin(DjangoUserAdmin):
    """Saving a person says what changed: a byline readers see, or access that was taken away."""

    list_display = ["username", "email", "first_name", "last_name", "access"]

    @admin.display(description="access", ordering="is_staff")
    def access(self, obj):
        """In words: a red ✖ for "not staff" reads as an error."""
        if not obj.is_active:
            return "Deactivated"
        if obj.is_superuser:
            return "Administrator"
        return "Newsroom staff" if obj.is_staff else "No admin access"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        user = self.get_object(request, object_id) if object_id else None
        request._access_before = services.access_of(user) if user else None
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and PUBLIC_FIELDS & set(form.changed_data):
            changes.record(changes.PEOPLE, [obj.pk])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the roles (groups) are saved here
        before = getattr(request, "_access_before", None)
        if change and before and services.lost_access(before, services.access_of(form.instance)):
            ended = services.end_access(form.instance)
            self.message_user(
                request,
                f"{form.instance} lost access: {ended} session{'s' if ended != 1 else ''} ended, and the "
                "share links they created were revoked.",
            )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)
