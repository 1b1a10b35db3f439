"""Pluggable parts named in settings: one registry per kind, a mapping of name -> dotted path.

Search backends, availability providers and harvest protocols are all chosen this way
(settings.SEARCH_BACKENDS, AVAILABILITY_PROVIDERS, HARVEST_PROTOCOLS). An entry is a dotted path,
or a dict whose "BACKEND" is one (the other keys are the backend's options, as in Django's CACHES).
Each dotted path is imported and checked once per process; the system checks of the owning apps
report every broken entry at start-up instead of at the first request that needs it.
"""

from collections.abc import Mapping
from functools import cache
from typing import Generic, TypeVar, cast

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

T = TypeVar("T")


@cache
def _import_class(dotted: str) -> object:
    return import_string(dotted)


class Registry(Generic[T]):
    """The classes one setting names, each a subclass of ``base``."""

    # ``base`` is typed loosely: the bases are abstract, and mypy refuses those as type[T].
    def __init__(self, setting: str, base: type, kind: str) -> None:
        self.setting = setting
        self.base = base
        self.kind = kind

    def entries(self) -> Mapping[str, object]:
        return getattr(settings, self.setting)  # type: ignore[no-any-return]

    def names(self) -> list[str]:
        return list(self.entries())

    def get(self, name: str) -> type[T]:
        """The class registered as ``name``; ImproperlyConfigured when the name or class is wrong."""
        try:
            entry = self.entries()[name]
        except KeyError:
            known = ", ".join(self.names())
            raise ImproperlyConfigured(
                f"Unknown {self.kind} {name!r} (settings.{self.setting}: {known})."
            ) from None
        return self.load(dotted_path(entry))

    def load(self, dotted: str) -> type[T]:
        """The class at ``dotted``, which must be a subclass of the registry's base class."""
        try:
            found = _import_class(dotted)
        except ImportError as exc:
            raise ImproperlyConfigured(f"{self.kind} {dotted!r} cannot be imported: {exc}") from exc
        if not (isinstance(found, type) and issubclass(found, self.base)):
            raise ImproperlyConfigured(
                f"{self.kind} {dotted!r} is not a subclass of {self.base.__qualname__}."
            )
        return cast(type[T], found)

    def problems(self) -> list[checks.CheckMessage]:
        """One error per entry that does not name a usable class (for a system check)."""
        errors: list[checks.CheckMessage] = []
        for name, entry in self.entries().items():
            try:
                self.load(dotted_path(entry))
            except ImproperlyConfigured as exc:
                errors.append(
                    checks.Error(str(exc), obj=f"settings.{self.setting}[{name!r}]", id="samsok.E001")
                )
        return errors


def dotted_path(entry: object) -> str:
    """The dotted path of a registry entry: the entry itself, or its "BACKEND"."""
    if isinstance(entry, Mapping):
        return str(entry.get("BACKEND", ""))
    return str(entry)
