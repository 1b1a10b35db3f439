"""Template filters for the patron pages: localized numbers and vocabulary labels."""

from django import template
from django.utils.formats import number_format

from catalog.accessible import accessible_label as _accessible_label
from opac import labels

register = template.Library()


@register.filter
def grouped(value: int | float | None) -> str:
    """A number with the language's digit grouping (12 345 in Swedish, 12,345 in English)."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)


@register.filter
def format_label(code: str) -> str:
    return labels.format_label(code)


@register.filter
def accessible_label(code: str) -> str:
    return _accessible_label(code)


@register.filter
def format_icon(code: str) -> str:
    return labels.format_icon(code)


@register.filter
def language_label(code: str) -> str:
    return labels.language_label(code)


@register.filter
def status_label(code: str) -> str:
    return labels.status_label(code)


@register.filter
def cover_tint(pk: int) -> int:
    """One of six placeholder cover colours, stable per record."""
    return int(pk or 0) % 6 + 1


@register.filter
def http_url(url: str) -> str:
    """The URL when it is http(s); empty otherwise (never a javascript: link from stored data)."""
    from urllib.parse import urlsplit

    return url if urlsplit(str(url)).scheme in {"http", "https"} else ""
