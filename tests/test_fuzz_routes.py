"""Every registered route, fed hostile values, answers below 500.

One app with every bundled plugin and the demo data (so ids 1, 2, 3 exist),
walked as an admin and as a visitor.  For each rule Hypothesis draws path
values (0, negative, 2**31, 2**63, 20 digits, unicode, NUL, long text),
query parameters (every name the code reads, found in the source) and a body
(empty form, the route's own form with some fields made hostile, JSON arrays,
strings, numbers, deep nesting).  Derandomized, no shrinking: the same cases
every run, and a failure lists every route that failed, not the first.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import request
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from cms import create_app
from cms.extensions import db
from tests.conftest import PASSWORD, base_config, on_postgres

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_PER_ROUTE = 12
SKIP_ENDPOINTS = {"static", "auth.logout"}  # logout would end the walk's own session

HOSTILE_INTS = ["0", "-1", "-5", "2147483647", "2147483648", str(2**63 - 1), str(2**63), "9" * 20, "1", "2", "3"]
HOSTILE_TEXT = [
    "",
    " ",
    "q9",
    "abc",
    "1e309",
    "NaN",
    "1.5",
    "\x00",
    "a\x00b",
    "ü",
    "²",
    "٣",
    "\u202e",
    "a" * 5000,
    "0001-01-01",
    "9999-12-31",
    "2025-02-30",
    "0001-01-01T00:00",
    "../../etc/passwd",
    "%",
    "[]",
    "{}",
    "null",
    "true",
    "<script>",
    "' OR 1=1--",
    *HOSTILE_INTS,
]
# Surrogates cannot travel in a real request (the client refuses to encode them).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
hostile = st.one_of(st.sampled_from(HOSTILE_TEXT), st.integers(-(2**70), 2**70).map(str), text)
json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
)


def _query_names() -> list[str]:
    """Every query parameter name the views read, found in the source."""
    pattern = re.compile(r"""(?:args\.get|args\[|query_\w+|_bounded)\(?\s*["']([a-z_]+)["']""")
    names = {"page", "year", "tahun", "unit", "next", "lang", "q"}
    for path in [*ROOT.glob("cms/**/*.py"), *ROOT.glob("plugins/**/*.py")]:
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


QUERY_NAMES = _query_names()


class _FormFields(HTMLParser):
    """Field names and their current values from a page's forms."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag in ("input", "textarea") and name and attrs.get("type") != "file":
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs and name in self.fields:
                return
            self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and (self._select not in self.fields or "selected" in attrs):
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _fill(rule, values: dict[str, str]) -> str:
    def part(match):
        return values[match.group(2)]

    return re.sub(r"<(?:([^:<>]+):)?([^<>]+)>", part, rule.rule)


def _path_strategy(rule):
    parts = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            parts[name] = st.one_of(st.sampled_from(HOSTILE_INTS), st.integers(0, 2**70).map(str))
        elif hasattr(converter, "items"):  # <any(...)>
            parts[name] = st.sampled_from(sorted(converter.items))
        else:
            parts[name] = st.one_of(
                st.sampled_from(["x", "pratinjau", "1", "%00", "a" * 300, "ü", "9" * 20 + ".x", "².x"]),
                st.text(st.characters(exclude_characters="/?#%", exclude_categories=("Cs",)), min_size=1, max_size=30),
            )
    return st.fixed_dictionaries(parts)


def _fixed(rule, number: str, text: str = "x") -> dict[str, str]:
    """Path values: ``number`` for ids, a plausible value for the rest."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = number
        elif hasattr(converter, "items"):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = text
    return values


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def _body_strategy(form: dict[str, str]):
    names = sorted(form) or ["csrf_token", "title", "year", "page"]
    hostile_form = st.dictionaries(st.sampled_from(names), hostile, min_size=1, max_size=3).map(
        lambda bad: {**form, **bad}
    )
    json_body = st.recursive(
        json_scalar,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(names) | text, inner, max_size=3),
        max_leaves=8,
    )
    deep = st.integers(1, 400).map(_nested)
    return st.one_of(
        st.just(("form", {})),
        st.just(("form", dict(form))),
        hostile_form.map(lambda f: ("form", f)),
        json_body.map(lambda j: ("json", j)),
        deep.map(lambda j: ("json", j)),
        st.sampled_from([("raw", b"\xff\xfe\x00"), ("raw", b"{not json"), ("raw-json", b"[" * 5000)]),
    )  # deeper than the parser's recursion


class _Recording(ImmutableMultiDict):
    """Query args that note which names the view looked up."""

    seen: set[str] = set()

    def get(self, key, *args, **kwargs):
        _Recording.seen.add(key)
        return super().get(key, *args, **kwargs)

    def __getitem__(self, key):
        _Recording.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _Recording.seen.add(key)
        return super().__contains__(key)


def _record_query_names():
    request.args = _Recording(request.args.items(multi=True))


class _Errors(logging.Handler):
    """The app logs each unhandled exception before answering 500."""

    def __init__(self):
        super().__init__()
        self.last = None

    def emit(self, record):
        if record.exc_info:
            self.last = f"{record.exc_info[0].__name__}: {record.exc_info[1]}"[:300]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    app = create_app(base_config(tmp_path_factory.mktemp("fuzz"), CMS_PLUGINS=["inbox", "dip", "crosspost", "monev"]))
    with app.app_context():
        if on_postgres():
            db.drop_all()
        db.create_all()
        app.before_request_funcs.setdefault(None, []).insert(0, _record_query_names)
        result = app.test_cli_runner().invoke(args=["cms", "demo"])
        assert result.exit_code == 0, result.output
        from cms import accounts

        accounts.create_user("fuzz-admin@warta.test", "admin", PASSWORD)
        db.session.commit()
        yield app
        db.session.remove()
        if on_postgres():
            db.drop_all()
        db.engine.dispose()


def _sign_in(app, client):
    from cms.models import User

    user = db.session.scalar(db.select(User).where(User.email == "fuzz-admin@warta.test"))
    user.active, user.role = True, "admin"  # a fuzzed user form may have changed them
    db.session.commit()
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def _rules(app):
    return [r for r in sorted(app.url_map.iter_rules(), key=lambda r: r.rule) if r.endpoint not in SKIP_ENDPOINTS]


def _request(client, method, url, query, body):
    kind, payload = body
    if method == "GET":
        return client.get(url, query_string=query)
    if kind == "json":
        return client.open(url, method=method, query_string=query, json=payload)
    if kind in ("raw", "raw-json"):
        return client.open(
            url,
            method=method,
            query_string=query,
            data=payload,
            content_type="application/json" if kind == "raw-json" else "application/octet-stream",
        )
    return client.open(url, method=method, query_string=query, data=payload)


@pytest.mark.parametrize("who", ["admin", "visitor"])
def test_no_route_answers_5xx_to_hostile_input(fuzz_app, who):
    app = fuzz_app
    errors = _Errors()
    logging.getLogger("cms.errors").addHandler(errors)
    failures: list[str] = []
    client = app.test_client()
    try:
        for rule in _rules(app):
            if who == "admin":
                _sign_in(app, client)
            form: dict[str, str] = {}
            _Recording.seen = set()
            if "GET" in rule.methods:
                page = client.get(_fill(rule, {name: "1" for name in rule._converters}))
                if page.mimetype == "text/html":
                    parser = _FormFields()
                    parser.feed(page.get_data(as_text=True))
                    form = parser.fields
            methods = sorted(m for m in rule.methods if m in ("GET", "POST", "PUT", "PATCH", "DELETE"))
            names = sorted(_Recording.seen - {"lang"}) or QUERY_NAMES

            @settings(
                max_examples=EXAMPLES_PER_ROUTE,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(
                method=st.sampled_from(methods),
                path=_path_strategy(rule),
                query=st.dictionaries(st.sampled_from(names), hostile, max_size=3),
                body=_body_strategy(form),
            )
            @example(
                method=methods[-1], path=_fixed(rule, "1"), query=dict.fromkeys(names, "9" * 20), body=("json", [])
            )
            @example(
                method=methods[-1], path=_fixed(rule, "9" * 20), query=dict.fromkeys(names, "-5"), body=("form", {})
            )
            @example(method=methods[-1], path=_fixed(rule, "0"), query=dict.fromkeys(names, "q9"), body=("json", "x"))
            @example(
                method=methods[-1],
                path=_fixed(rule, "1", "9" * 20 + ".x"),
                query=dict.fromkeys(names, "²"),
                body=("form", dict.fromkeys(form, "9" * 20)),
            )
            @example(
                method=methods[-1],
                path=_fixed(rule, "1"),
                query={},
                body=("form", {**form, **dict.fromkeys(form, "0001-01-01")}),
            )
            def walk(method, path, query, body):
                url = _fill(rule, path)  # noqa: B023 -- walk runs within this iteration
                errors.last = None
                try:
                    status = _request(client, method, url, query, body).status_code
                except Exception as exc:  # the test client re-raised: same verdict as a 500
                    status, errors.last = 500, f"{type(exc).__name__}: {exc}"[:300]
                assert status < 500, f"{method} {url!r} query={query!r} body={body!r:.200} -> {status} {errors.last}"

            try:
                walk()
            except AssertionError as exc:
                failures.append(str(exc).splitlines()[0][:600])
            db.session.rollback()
    finally:
        logging.getLogger("cms.errors").removeHandler(errors)
    assert not failures, f"{len(failures)} routes answered 5xx:\n" + "\n".join(failures)
