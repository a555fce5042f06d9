"""The newsroom's admin for briefs, one module per screen.

- `brief_form`: the brief's change form (content, inlines, conflict check) and its list;
- `workflow_pages`: the side pages of a brief (workflow steps, assignment, share links,
  preview, revisions), all through the services with Django forms;
- `lists`: the moderation queue and "My briefs";
- `tags`: tags with usage counts and merging.

Importing this package registers them with the admin site.
"""

from . import brief_form, lists, tags  # noqa: F401
