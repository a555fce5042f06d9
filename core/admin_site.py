"""The newsroom's admin site: Django's, with a desk on its index and a guard every screen shares.

The index opens on the desk: what needs the signed-in person today. The apps fill it in
(`register_desk`), since this module sits below them and cannot import them.

A crafted POST naming objects by anything but a valid id (`_selected_action=abc` for a
numeric key) is refused with 400 before a queryset sees it, instead of failing deep inside a
bulk action.
"""

import json

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.urls import path

INTEGER_KEYS = ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField")


def _valid_ids(model_admin, values):
    """Every value is a key the model's primary key can hold (digits for numeric keys, UUIDs…)."""
    pk = model_admin.model._meta.pk
    numeric = pk.get_internal_type() in INTEGER_KEYS
    try:
        for value in values:
            pk.to_python(value)
            if numeric and (not value.isdigit() or int(value) > 2**63 - 1):
                return False
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class ChooserJsonView(AutocompleteJsonView):
    """Autocomplete results a model admin may order (`rank_choices(queryset, term)`), describe more
    fully (`autocomplete_result(obj)`) and end with a "create" choice
    (`autocomplete_create_option(request, term, results)`)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        rank = getattr(self.model_admin, "rank_choices", None)
        return rank(queryset, self.term) if rank else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        describe = getattr(self.model_admin, "autocomplete_result", None)
        return {**result, **describe(obj)} if describe else result

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        offer = getattr(self.model_admin, "autocomplete_create_option", None)
        if offer is None:
            return response
        data = json.loads(response.content)
        if data["pagination"]["more"]:
            return response  # the choice comes after the last page of matches
        option = offer(request, self.term, data["results"])
        if option is not None:
            data["results"].append(option)
        return JsonResponse(data)


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Briefs CMS"
    site_title = "Briefs CMS"
    index_title = "Newsroom"
    index_template = "admin/newsroom_index.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._desk = None

    def register_desk(self, read):
        """`read(user)` returns the desk shown on the index (see briefs.desk)."""
        self._desk = read

    def index(self, request, extra_context=None):
        desk = self._desk(request.user) if self._desk else None
        return super().index(request, {**(extra_context or {}), "desk": desk})

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)

        def checked(request, *args, **kwargs):
            if request.method == "POST" and isinstance(model_admin, admin.ModelAdmin):
                selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
                if not _valid_ids(model_admin, selected):
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

    def autocomplete_view(self, request):
        return ChooserJsonView.as_view(admin_site=self)(request)

    def get_urls(self):
        # "View on site" resolves only objects this person may see, and only to a public page.
        guarded = path("r/<path:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site_view))
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                guarded.name = "view_on_site"
                urls[index] = guarded
        return urls

    def view_on_site_view(self, request, content_type_id, object_id):
        """The public address of an object, for a person whose admin may show it; 404 otherwise, so
        a draft's address (its slug spells out its headline) is never revealed by the redirect."""
        from django.contrib.contenttypes.models import ContentType  # the admin config loads before models

        content_type = (
            ContentType.objects.filter(pk=content_type_id).first() if content_type_id.isdigit() else None
        )
        model_admin = self._registry.get(content_type.model_class()) if content_type else None
        if model_admin is None:
            raise Http404("Nothing to show.")
        obj = model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404("Nothing to show.")
        view_on_site = model_admin.view_on_site
        if callable(view_on_site):
            url = view_on_site(obj)
        else:
            url = obj.get_absolute_url() if view_on_site and hasattr(obj, "get_absolute_url") else None
        if not url:
            raise Http404("This item has no public page.")
        return HttpResponseRedirect(url)


class NewsroomAdminConfig(AdminConfig):
    default_site = "core.admin_site.NewsroomAdminSite"
