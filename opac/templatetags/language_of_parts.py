"""WCAG 3.1.2 Language of Parts: ``lang`` and ``dir`` on a title or name in another language.

    <a href="…"{{ hit.title_lang|lang_dir }}>…</a>   ->   <a href="…" lang="ar-Latn">…</a>

The value is a catalog.language_tags.TextLanguage or a {"lang", "dir"} dict (as search hits and
Cluster.data carry them). Only what differs from the page is written: a Swedish title on a
Swedish page gets nothing, an Arabic one ``lang="ar" dir="rtl"``, a Swedish one on an Arabic page
``lang="sv" dir="ltr"``.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_bidi

from catalog.language_tags import TextLanguage

register = template.Library()


@register.filter
def lang_dir(value: object) -> SafeString | str:
    if isinstance(value, TextLanguage):
        lang, direction = value.lang, value.dir
    elif isinstance(value, dict):
        lang, direction = str(value.get("lang") or ""), str(value.get("dir") or "")
    else:
        return ""
    page = (get_language() or "").lower()
    out = format_html(' lang="{}"', lang) if lang and lang.lower() != page else ""
    if direction in ("ltr", "rtl") and (direction == "rtl") != get_language_bidi():
        out = format_html('{} dir="{}"', out, direction)
    return out
