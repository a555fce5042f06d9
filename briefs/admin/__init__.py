"""The newsroom's admin for briefs, one module per screen.

- `brief_form`: the brief's change form (content, inlines, conflict check) and its list;
- `workflow_pages`: the side pages of a brief (workflow steps, assignment, share links,
  preview, revisions), all through the services with Django forms;
- `lists`: the brief change list's columns, the moderation queue and "My briefs";
- `filters`: the change-list filters the desk links to;
- `tags`: tags with usage counts and merging.

Importing this package registers them with the admin site, and puts the desk on its index.
"""

from django.contrib import admin

from .. import desk
from . import brief_form, lists, tags  # noqa: F401

admin.site.register_desk(desk.desk_for)
