"""Tag housekeeping for editors: merging duplicate tags ("LLMs", "llm") into one."""

from django.db import transaction
from taggit.models import Tag, TaggedItem


@transaction.atomic
def merge_tags(survivor: Tag, others) -> Tag:
    """Move every use of `others` to `survivor`, then delete them."""
    for other in others:
        if other.pk == survivor.pk:
            continue
        for item in TaggedItem.objects.filter(tag=other):
            duplicate = TaggedItem.objects.filter(
                tag=survivor, content_type_id=item.content_type_id, object_id=item.object_id
            ).exists()
            if duplicate:
                item.delete()
            else:
                item.tag = survivor
                item.save(update_fields=["tag"])
        other.delete()
    return survivor
