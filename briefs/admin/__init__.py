"""The newsroom's admin for briefs, one module per screen.

- `brief_admin`: the brief's change form and list (layout, permissions, live preview), with
  `brief_form` (the form and its conflict check), `inlines` (points, terms, links, corrections,
  notes), `brief_saving` (how the form is saved) and `bulk_actions` (workflow steps on a selection);
- `side_pages`: the side pages of a brief, all through the services with Django forms:
  `workflow_pages` (workflow steps, pending changes), `panel_pages` (locks, expiry, assignment,
  share links) and `revision_pages` (revisions), plus the preview;
- `lists`: the brief change list's columns, the moderation queue and "My briefs";
- `filters`: the change-list filters the desk links to;
- `tags`: tags with usage counts and merging.

Importing this package registers them with the admin site, and puts the desk on its index.
"""

from django.contrib import admin

from .. import desk
from . import brief_admin, lists, tags  # noqa: F401

admin.site.register_desk(desk.desk_for)
