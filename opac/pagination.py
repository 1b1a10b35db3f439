"""Page links for a result list: first, last, and a window around the current page."""

from collections.abc import Callable
from dataclasses import dataclass

from catalog.fields import MAX_PAGE

WINDOW = 2


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None = a gap ("…")
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    links: list[PageLink]
    previous_url: str
    next_url: str


def page_count(total: int, page_size: int) -> int:
    return min(MAX_PAGE, max(1, -(-total // max(1, page_size))))


def paginate(page: int, total: int, page_size: int, url_for: Callable[[int], str]) -> Pagination | None:
    pages = page_count(total, page_size)
    if pages <= 1 and page <= 1:
        return None
    numbers = sorted({1, pages, *range(max(1, page - WINDOW), min(pages, page + WINDOW) + 1)})
    links: list[PageLink] = []
    for number in numbers:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, url_for(number), number == page))
    previous_url = url_for(min(page - 1, pages)) if page > 1 else ""
    next_url = url_for(page + 1) if page < pages else ""
    return Pagination(page, pages, links, previous_url, next_url)
