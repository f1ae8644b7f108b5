"""WTForms on Litestar: form data in, a validated form out; errors shown at the field in the user's language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from litestar import Request
from wtforms import Form

from participation.errors import DomainError
from participation.i18n import current_language

F = TypeVar("F", bound=Form)


class FormInput:
    """Litestar's form multi-dict with the `getlist` WTForms expects."""

    def __init__(self, data: Any) -> None:
        self._data = data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data.keys())

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def getlist(self, key: str) -> list[Any]:
        return [value for value in self._data.getall(key, []) if isinstance(value, str)]

    def get(self, key: str, default: Any = None) -> Any:
        values = self.getlist(key)
        return values[-1] if values else default


async def read_form(request: Request) -> FormInput:
    return FormInput(await request.form())


def bind_form(form_class: type[F], formdata: FormInput | None = None, **kwargs: Any) -> F:
    """A form whose built-in WTForms messages follow the request's language."""
    return form_class(formdata=formdata, meta={"locales": [current_language(), "de"]}, **kwargs)


def show_error(form: Form, error: DomainError, fallback: str | None = None, *,
               aliases: Mapping[str, str] | None = None) -> None:
    """Put a service's refusal onto the form: at the field the error names (or the field `aliases` maps that name
    to), else at the `fallback` field, else above the form. Every controller shows domain errors this way."""
    for name in (error.field, (aliases or {}).get(error.field or ""), fallback):
        if name and name in form:
            form[name].errors = [*form[name].errors, str(error)]
            return
    form.form_errors.append(str(error))
