"""Paging through long lists without COUNT(*): one extra row says whether there is a next page.

Counting every published brief costs more than rendering a page once there are
100,000 of them (a sequential scan on PostgreSQL, ~100 ms), and readers of the
home, tag and term lists only need "newer" and "older" links. Use it in a ListView
with `paginator_class = NoCountPaginator` and link pages with `page_obj.has_next`,
`has_previous`, `next_page_number` and `previous_page_number`; `paginator.count`
and `num_pages` still work, but they are the query this class avoids.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

from briefs_cms.caching import cached_count, store_count


class NoCountPage(Page):
    def __init__(self, object_list, number, paginator, *, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def next_page_number(self):
        if not self._has_next:
            raise EmptyPage("That page contains no results")
        return self.number + 1

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class NoCountPaginator(Paginator):
    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage("That page contains no results")
        return NoCountPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)


class CachedCountPaginator(Paginator):
    """A Paginator whose count is cached per page-cache generation, and checked against the page.

    For lists that show page numbers ("1 … 4 5 6 … 20", `?page=last`): the count is
    computed once per generation (`briefs_cms.caching.cached_count`) instead of on every
    render. Each page reads one row more than it shows; when the rows disagree with the
    cached count (a bulk write that sent no signal), the count is taken again and stored,
    so a stale count can never hide a brief or invent a page. `count_name` names the
    list, e.g. "home" or "tag:12".
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
