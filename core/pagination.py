"""Page links for the public lists."""


class PaginatedMixin:
    """Adds `page_links`: page numbers with ellipses ("1 … 4 5 6 … 20") for the pagination nav."""

    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None and context.get("is_paginated"):
            context["page_links"] = list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            )
        return context
