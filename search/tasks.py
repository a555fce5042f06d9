"""Index refreshes, queued after the changes that need them (see search.apps): ids, or None for all."""

from django.tasks import task

from . import indexing


@task
def refresh_brief_entries(brief_ids=None):
    return indexing.update_search_vector(brief_ids)


@task
def refresh_publication_times(brief_ids=None):
    indexing.refresh_publication(brief_ids)


@task
def refresh_term_entries(term_ids=None):
    indexing.refresh_terms(term_ids)


def _ids(ids):
    return None if ids is None else sorted(ids)


def on_brief_content(ids):
    refresh_brief_entries.enqueue(_ids(ids))


def on_brief_visibility(ids):
    refresh_publication_times.enqueue(_ids(ids))


def on_terms(ids):
    refresh_term_entries.enqueue(_ids(ids))
