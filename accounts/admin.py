"""The user admin, saying what readers see change: an author's name is printed on their briefs."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core import changes

# Fields of a person that readers see on the public site (bylines).
PUBLIC_FIELDS = {"first_name", "last_name", "username"}

User = get_user_model()


class UserAdmin(DjangoUserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and PUBLIC_FIELDS & set(form.changed_data):
            changes.record(changes.PEOPLE, [obj.pk])


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)
