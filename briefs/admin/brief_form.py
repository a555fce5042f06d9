"""The brief's form, with a stale-save check so two people never silently overwrite each other,
and a hero image kept across a refused post."""

from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.formats import date_format

from .. import kept_upload, locks
from ..images import HeroImageField
from ..models import Brief
from ..revisions import last_change
from ..tagging import check_tags


class BriefAdminForm(forms.ModelForm):
    """The brief form, with the version it was opened at so a stale save is refused, not merged."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hero_kept = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Brief
        fields = ["headline", "slug", "dek", "tags", "hero_image", "hero_alt", "hero_credit", "body"]
        field_classes = {"hero_image": HeroImageField}
        widgets = {
            "headline": forms.TextInput(attrs={"class": "brief-headline"}),
            "dek": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        check_tags(tags)
        return tags

    user = None  # set by the admin: who is saving (a lock held by someone else refuses the save)
    step_problem = None  # set by the admin: why the workflow button pressed with this save cannot work
    moving = False  # set by the admin: a no-JavaScript "Move" button, which reorders and does not save

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_name = None
        if "hero_image" in self.fields:  # not when the form is only shown
            # The input sits in a fieldset whose legend names it; axe and some readers want it on the input.
            self.fields["hero_image"].widget.attrs.setdefault("aria-label", "Hero image")
            if self.is_bound:
                self.use_kept_upload()
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version
        pending_tags = getattr(self.instance, "_pending_tags", None)
        if pending_tags is not None:  # a published brief: the form opens on its pending changes
            self.initial["tags"] = [SimpleNamespace(name=name) for name in pending_tags]

    def use_kept_upload(self):
        """The hero image chosen on an earlier, refused post of this form, unless another is chosen."""
        token = self.data.get(self.add_prefix("hero_kept"))
        choosing = self.files.get(self.add_prefix("hero_image")) or self.data.get("hero_image-clear")
        if not token or choosing:
            return
        upload = kept_upload.restore(token, user=self.user)
        if upload is None:
            return
        self.files = self.files.copy()
        self.files[self.add_prefix("hero_image")] = upload
        self.kept_name = upload.name

    def keep_upload(self):
        """After a refused post: keep a checked upload for the next one, and say so on the field."""
        if "hero_image" not in self.fields:
            return
        if self.kept_name is None:
            upload = getattr(self, "cleaned_data", {}).get("hero_image")
            if not isinstance(upload, UploadedFile) or "hero_image" in self.errors:
                return
            data = self.data.copy()
            data[self.add_prefix("hero_kept")] = kept_upload.keep(upload, user=self.user)
            self.data, self.kept_name = data, upload.name
        note = (
            f"Kept from your last try: “{self.kept_name}”. It is saved with the brief; choose another "
            "file to replace it."
        )
        self.fields["hero_image"].help_text = self["hero_image"].help_text = note

    def is_valid(self):
        return super().is_valid() and not self.moving

    def clean(self):
        cleaned = super().clean()
        if self.step_problem:
            raise ValidationError(self.step_problem, code="step")
        if not self.instance.pk:
            return cleaned
        holder = locks.active_lock(self.instance)
        if holder is not None and self.user is not None and holder.holder_id != self.user.pk:
            raise ValidationError(locks.describe(holder), code="locked")
        # Locked until the admin's transaction commits, so two saves cannot both pass this check.
        current = (
            Brief.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True)
        )
        current = current.first()
        if cleaned.get("opened_version") != current:
            when, who = last_change(self.instance)
            name = (who.get_full_name() or who.get_username()) if who else "Someone"
            at = date_format(timezone.localtime(when), "j F Y, H:i") if when else "a moment ago"
            # The next save is a deliberate one, made after seeing this message.
            data = self.data.copy()
            data[self.add_prefix("opened_version")] = current
            self.data = data
            raise ValidationError(
                f"{name} changed this brief on {at}, after you opened it. Nothing was saved. "
                "Your changes are kept below: compare them with the current version (open the brief "
                "in a new tab), then save again to replace it.",
                code="stale",
            )
        return cleaned
