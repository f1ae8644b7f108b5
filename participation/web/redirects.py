"""Redirects by route name, so a path is written once (in its route decorator)."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Request
from litestar.response import Redirect


def redirect_to(
    request: Request, name: str, *, fragment: str = "", query: dict[str, str] | None = None, status_code: int = 303,
    **path_params: object,
) -> Redirect:
    """A redirect to the route called `name` with its path parameters, an optional query and #fragment.

    303 (See Other) is the answer to a form post; pass `status_code=302` for a plain GET redirect.
    """
    path = request.app.route_reverse(name, **path_params)
    if query:
        path += f"?{urlencode(query)}"
    if fragment:
        path += f"#{fragment}"
    return Redirect(path, status_code=status_code)
