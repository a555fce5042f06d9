"""Tags in the admin: usage counts, renaming, and merging duplicates into one ("LLMs", "llm")."""

from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from taggit import admin as taggit_admin
from taggit.models import Tag

from core import changes

from ..tags import merge_tags


class TagAdmin(taggit_admin.TagAdmin):
    """Taggit's admin (rename by editing) with a merge that keeps one of the tags and deletes the rest."""

    list_display = ["name", "slug", "usage"]
    actions = ["merge_into_one"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_usage=Count("taggit_taggeditem_items", distinct=True))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes.record(changes.TAGS, [obj.pk])

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        changes.record(changes.TAGS, [pk])

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        changes.record(changes.TAGS, pks)

    @admin.display(description="Used", ordering="_usage")
    def usage(self, obj):
        return obj._usage

    @admin.action(description="Merge selected tags into one of them…", permissions=["change"])
    def merge_into_one(self, request, queryset):
        tags = list(queryset.order_by("name"))
        if len(tags) < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        survivor = next((t for t in tags if str(t.pk) == request.POST.get("survivor")), None)
        if request.POST.get("confirm") and survivor:
            merge_tags(survivor, tags)
            self.message_user(
                request, f"Merged {len(tags) - 1} tag(s) into “{survivor.name}”.", messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "tags": tags,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)


if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
