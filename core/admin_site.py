"""The newsroom's admin site: Django's, with a guard every admin screen shares.

A crafted POST naming objects by anything but their numeric id (`_selected_action=abc`)
is refused with 400 before a queryset sees it, instead of failing deep inside a bulk action.
"""

import re

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponseBadRequest

NUMERIC_ID = re.compile(r"^[0-9]{1,18}$")


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Briefs CMS"
    site_title = "Briefs CMS"
    index_title = "Newsroom"

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        def checked(request, *args, **kwargs):
            if request.method == "POST":
                selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
                if any(not NUMERIC_ID.match(value) for value in selected):
                    return HttpResponseBadRequest(
                        "The selection names items by something other than their id. Nothing was changed; "
                        "go back to the list and select the items again.",
                        content_type="text/plain; charset=utf-8",
                    )
            return guarded(request, *args, **kwargs)

        checked.__wrapped__ = guarded
        for name in ("csrf_exempt", "admin_site"):
            if hasattr(guarded, name):
                setattr(checked, name, getattr(guarded, name))
        return checked


class NewsroomAdminConfig(AdminConfig):
    default_site = "core.admin_site.NewsroomAdminSite"
