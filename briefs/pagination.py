"""Paging through long lists without COUNT(*): one extra row says whether there is a next page.

Counting every published brief costs more than rendering a page once there are
100,000 of them (a sequential scan on PostgreSQL, ~100 ms), and readers of the
home, tag and term lists only need "newer" and "older" links. Use it in a ListView
with `paginator_class = NoCountPaginator` and link pages with `page_obj.has_next`,
`has_previous`, `next_page_number` and `previous_page_number`; `paginator.count`
and `num_pages` still work, but they are the query this class avoids.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


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
