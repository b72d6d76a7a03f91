"""HTTP security headers for every response."""

from __future__ import annotations

from flask import abort, request
from werkzeug.datastructures import ImmutableMultiDict

# No inline scripts or styles: all JS and CSS ship as files in the repo.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def visitor_cookies(config) -> tuple[str, str]:
    """The cookies that make a request one visitor's own (the session, which
    also keeps a chosen language, and remember-me): a page for such a request
    is never shared by the shared cache, nginx or any other cache."""
    return config.get("SESSION_COOKIE_NAME", "session"), config.get("REMEMBER_COOKIE_NAME", "remember_token")


def apply_security_headers(response):
    """Add each header a view has not set itself (one pass over the headers,
    not one per name: this runs on every response)."""
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    headers.extend([(name, value) for name, value in SECURITY_HEADERS if name.lower() not in present])
    if request.is_secure:
        headers.setdefault(*HSTS)
    return response


def refuse_nul_bytes():
    """A NUL character is never valid input (PostgreSQL rejects it in text).
    A path holding one is no page (404); query strings (searches, filters)
    are cleaned; a submitted form gets a 400 naming the field instead of
    failing deeper down."""
    if "\x00" in request.path:  # no page's address holds one (slugs, ids, file names)
        abort(404)
    if any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
        request.args = ImmutableMultiDict(
            (k.replace("\x00", ""), v.replace("\x00", "")) for k, v in request.args.items(multi=True)
        )
    if request.method in ("POST", "PUT", "PATCH"):
        for name, values in request.form.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                abort(400, f"Isian '{name[:40]}' berisi karakter yang tidak valid.")
