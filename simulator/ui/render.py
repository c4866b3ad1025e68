"""Jinja2 templates and the shared page helpers of the dashboard and of every payer page.

The templates are the dashboard's own (`simulator/ui/templates/`) and each provider's (`templates/` in its
package, registered by its pages hook with `provider_templates(key, folder)` and named `<key>/<file>`); a
provider's page extends the shared `pay/base.html`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from simulator.jsonio import dumps_text
from simulator.engine.digits import is_digits

HERE = Path(__file__).resolve().parent
_PROVIDERS: dict[str, jinja2.BaseLoader] = {}
TEMPLATES = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(HERE / "templates")), jinja2.PrefixLoader(_PROVIDERS)]),
    autoescape=jinja2.select_autoescape()))
PER_PAGE = 50


def provider_templates(key: str, folder: Path) -> None:
    """Make a provider's template folder available as `<key>/<name>.html`."""
    _PROVIDERS[key] = jinja2.FileSystemLoader(str(folder))


def _pretty(value: object) -> str:
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return str(value)
    return dumps_text(value, indent=2)


def _compact(value: object) -> str:
    """One-line JSON in the provider's own spelling (non-ASCII kept); autoescaping keeps it HTML-safe."""
    return dumps_text(value, separators=(", ", ": "))


def safe_url(value: object) -> str:
    """A client-given URL as a page may link it: http(s) URLs and this server's own paths pass, anything else
    (javascript:, data:, vbscript:, //other-host) becomes "" and the template shows no link. Every template that
    renders a URL a client sent uses it: `{% if x|safe_url %}<a href="{{ x|safe_url }}">`."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if text[:8].lower().startswith(("http://", "https://")) and "\\" not in text[:10]:
        return text
    if text.startswith("/") and not text.startswith(("//", "/\\")):
        return text
    return ""


TEMPLATES.env.filters["pretty"] = _pretty
TEMPLATES.env.filters["safe_url"] = safe_url
TEMPLATES.env.filters["compact"] = _compact


def page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    """Render a template; `base` is the URL prefix of this simulator (scheme, host, port)."""
    context.setdefault("base", base_of(request))
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status)
    assert isinstance(response, HTMLResponse)
    return response


def not_found(request: Request, message: str) -> HTMLResponse:
    return page(request, "message.html", status=404, title="Not found", message=message)


def redirect(url: str) -> Response:
    """303 to `url`, only where a link could go (safe_url); elsewhere to the dashboard."""
    return RedirectResponse(safe_url(url) or "/_sim/ui", status_code=303)


def base_of(request: Request) -> str:
    """The base of links a page shows: the `link_base` the control app was given (--public-url, else the
    request's checked Host: simulator/security.py), else the request's own scheme and host."""
    link_base = getattr(request.app.state, "link_base", None)
    if link_base is None:
        return f"{request.url.scheme}://{request.url.netloc}"
    base: str = link_base(dict(request.headers))
    return base


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return max(1, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1


def paginate(items: Sequence[object], page_no: int, per_page: int = PER_PAGE) -> dict[str, object]:
    """A page of `items` (already in display order) and what the pager needs."""
    total = len(items)
    pages = max(1, -(-total // per_page))
    page_no = min(page_no, pages)
    start = (page_no - 1) * per_page
    return {"items": items[start:start + per_page], "page": page_no, "pages": pages, "total": total,
            "prev": page_no - 1 if page_no > 1 else None, "next": page_no + 1 if page_no < pages else None}


def value_at(data: object, path: str | None) -> object:
    """The value at a declared dotted path (`boleto.linha_digitavel`, `itens.0.valor`); None when absent."""
    if path is None:
        return None
    current = data
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and is_digits(part) and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current
