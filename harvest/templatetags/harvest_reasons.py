"""`{{ reason|harvest_reason }}`: a stored harvest reason in the reader's language (harvest.reasons)."""

from django import template

from harvest.reasons import translated

register = template.Library()


@register.filter
def harvest_reason(text: str) -> str:
    return translated(str(text or ""))
