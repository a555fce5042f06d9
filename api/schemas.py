"""Shapes of the Content API's answers; the OpenAPI schema is generated from them."""

from datetime import datetime

from ninja import Schema
from pydantic import Field


class Error(Schema):
    detail: str = Field(description="What went wrong, in words.")


class Tag(Schema):
    name: str
    slug: str


class TagWithCount(Tag):
    count: int = Field(description="Number of published briefs with this tag.")


class Rendition(Schema):
    url: str
    width: int
    height: int
    format: str


class Image(Schema):
    url: str
    width: int | None
    height: int | None
    alt: str
    credit: str
    renditions: list[Rendition] = Field(description="Resized copies, when the site makes them.")


class BriefSummary(Schema):
    slug: str
    headline: str
    dek: str
    tags: list[Tag]
    image: Image | None
    published_at: datetime
    updated_at: datetime = Field(description="Last substantive update, or the publication time.")
    url: str = Field(description="Canonical address of the brief on the website.")
    api_url: str


class TermSummary(Schema):
    slug: str
    name: str
    definition: str
    url: str
    api_url: str


class SourceLink(Schema):
    kind: str = Field(description="primary, paper, code or coverage.")
    url: str
    publisher: str
    title: str


class Correction(Schema):
    text: str
    date: datetime


class BriefDetail(BriefSummary):
    author: str
    points: list[str]
    body_html: str = Field(description="The body rendered from Markdown and sanitized.")
    body_text: str = Field(description="The body as plain text.")
    terms: list[TermSummary]
    links: list[SourceLink]
    corrections: list[Correction]
    expired: bool = Field(
        description="True once the brief has left the lists (its page stays, marked out of date)."
    )
    superseded_by: str | None = Field(
        description="API address of the newer brief that replaces this one, when it is published."
    )


class TermDetail(TermSummary):
    aliases: list[str]
    related: list[TermSummary]
    brief_count: int = Field(description="How many published briefs use the term.")
    briefs: list[BriefSummary] = Field(description="The newest 20 published briefs that use the term.")
    briefs_url: str = Field(description="The full, paginated list of briefs using the term.")


class Page(Schema):
    count: int
    next: str | None = Field(description="Address of the next page, if any.")
    previous: str | None = Field(description="Address of the previous page, if any.")


class BriefPage(Page):
    results: list[BriefSummary]


class TermPage(Page):
    results: list[TermSummary]


class TagList(Schema):
    results: list[TagWithCount]
