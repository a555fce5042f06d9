"""Numbers readers see (how many briefs a list has), cached per generation instead of counted per view.

On the home page of a large archive a COUNT(*) over the published briefs costs more than the
rest of the page. A stored count lives until the next purge or the next scheduled change,
and the paginator still checks it against the rows it reads (see CachedCountPaginator).
"""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property

from .generation import current_generation, page_cache
from .lifetimes import next_change_stamp, page_timeout


def _key(name, generation):
    return f"public-pages:{generation}:count:{name}"


def cached_count(name):
    return page_cache().get(_key(name, current_generation()))


def store_count(name, count):
    generation = current_generation()
    timeout = page_timeout()
    next_at = next_change_stamp(generation)
    if next_at is not None:
        timeout = min(timeout, int(next_at - timezone.now().timestamp()))
    if timeout > 0:
        page_cache().set(_key(name, generation), count, timeout)


class CachedCountPaginator(Paginator):
    """A Paginator whose count is cached per page-cache generation, and checked against the page.

    For lists that show page numbers ("1 … 4 5 6 … 20", `?page=last`): the count is computed
    once per generation instead of on every render. Each page reads one row more than it
    shows; when the rows disagree with the cached count (a write that recorded no change), the
    count is taken again and stored, so a stale count can never hide a brief or invent a page.
    `count_name` names the list, e.g. "home" or "tag:12".
    """

    def __init__(self, *args, count_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_name = count_name
        self.count_is_fresh = False

    @cached_property
    def count(self):
        count = cached_count(self.count_name)
        if count is None:
            count = self._recount()
        return count

    def _recount(self):
        count = Paginator.count.func(self)
        self.__dict__.update(count=count)
        self.__dict__.pop("num_pages", None)
        self.count_is_fresh = True
        store_count(self.count_name, count)
        return count

    def validate_number(self, number):
        from django.core.paginator import EmptyPage

        try:
            return super().validate_number(number)
        except EmptyPage:
            if self.count_is_fresh:
                raise
            self._recount()
            return super().validate_number(number)

    def page(self, number):
        if self.orphans:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) != min(self.per_page + 1, self.count - bottom) and not self.count_is_fresh:
            self._recount()
            number = self.validate_number(number)
        return self._get_page(rows[: max(0, min(self.per_page, self.count - bottom))], number, self)


class CachedCountMixin:
    """For a ListView: paginate with CachedCountPaginator under `get_count_name()`."""

    def get_count_name(self):
        raise NotImplementedError

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return CachedCountPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_name=self.get_count_name(),
            **kwargs,
        )
