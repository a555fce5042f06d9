"""Keep every process's term index fresh: any change to a term or alias moves the version key."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .matcher import invalidate_index
from .models import Term, TermAlias


@receiver([post_save, post_delete], sender=Term, dispatch_uid="glossary_term_changed")
@receiver([post_save, post_delete], sender=TermAlias, dispatch_uid="glossary_alias_changed")
def term_changed(sender, **kwargs):
    # Now for this process, and again on commit so no other process keeps an index
    # built from data read before the change was visible.
    invalidate_index()
    transaction.on_commit(invalidate_index)
