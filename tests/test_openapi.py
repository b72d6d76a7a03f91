"""``/api/v1/openapi.json`` describes the public API, and the API keeps to it.

Schemathesis generates requests from the document (valid ones and, in
negative mode, invalid ones) and runs them against the WSGI app loaded with
the demo data: no 5xx, bodies match the schemas, bad values are refused with
a 4xx.  Seeded (``derandomize``) so a run is repeatable.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from cms import openapi
from cms.plugins import hook

EXAMPLES = 60  # per operation and mode: the whole run stays well under a minute


@pytest.fixture
def demo_app(app):
    hook().cms_demo_data()
    return app


def test_document_is_assembled_from_plugins(demo_app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/dip", "/api/v1/dip/{entry_id}", "/api/v1/openapi.json"} <= set(spec["paths"])
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/dip"]["get"]["parameters"]}
    assert params["per_page"]["maximum"] == 100 and params["page"]["minimum"] == 1
    entry_id = spec["paths"]["/api/v1/dip/{entry_id}"]["get"]["parameters"][0]["schema"]
    assert entry_id["maximum"] == 2**31 - 1
    assert "DipEntry" in spec["components"]["schemas"] and "Error" in spec["components"]["schemas"]


def test_document_without_the_plugin_has_no_dip_paths(make_app):
    app = make_app(enabled=["inbox"])
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert not any(path.startswith("/api/v1/dip") for path in spec["paths"])


def test_hook_cms_openapi_paths(make_app):
    from cms import hookimpl

    class Extra:
        @hookimpl
        def cms_openapi_paths(self):
            return {"paths": {"/api/v1/contoh": {"get": {"responses": {"200": {"description": "ok"}}}}}}

    app = make_app(plugins=[Extra()], enabled=["dip"])
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/contoh" in paths and "/api/v1/dip" in paths


def test_a_path_described_twice_is_refused():
    fragment = {"paths": {"/api/v1/x": {}}}
    with pytest.raises(openapi.SpecClash, match="/api/v1/x"):
        openapi.build([fragment, fragment])
    with pytest.raises(openapi.SpecClash, match="outside"):
        openapi.build([{"paths": {"/admin/x": {}}}])
    with pytest.raises(openapi.SpecClash, match="schemas/Error"):
        openapi.build([{"components": {"schemas": {"Error": {}}}}])


def test_bad_query_values_are_a_400_naming_the_parameter(demo_app, client):
    cases = [
        ("page=0", "page"),
        ("page=99999999999999999999", "page"),
        ("page=", "page"),
        ("per_page=-1", "per_page"),
        ("tahun=99999999999999999999", "tahun"),
        ("tahun=abc", "tahun"),
        ("unit=99999999999999999999", "unit"),
        ("page=%C2%B2", "page"),  # "²" passes isdigit(), not int()
        ("kategori=rahasia", "kategori"),
        ("kategori=", "kategori"),
    ]
    for query, param in cases:
        response = client.get(f"/api/v1/dip?{query}")
        assert response.status_code == 400 and response.is_json, query
        assert f"'{param}'" in response.get_json()["error"], query


def test_huge_or_zero_ids_are_a_json_404(demo_app, client):
    for entry_id in ("99999999999999999999", "2147483648", "0"):
        response = client.get(f"/api/v1/dip/{entry_id}")
        assert response.status_code == 404 and response.get_json()["error"]


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_error(demo_app, mode):
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    if mode is GenerationMode.NEGATIVE:
        checks.append(negative_data_rejection)
    operations = _operations(demo_app)
    assert len(operations) >= 2
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            case.call_and_validate(checks=checks)

        run()


def test_every_demo_entry_matches_the_schema(demo_app):
    """Generated ids and years rarely hit a real entry; walk the demo data itself."""
    from datetime import date

    from cms.extensions import db
    from plugins.dip.models import DipEntry

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    ops = {op.label: op for op in _operations(demo_app)}
    ids = db.session.scalars(db.select(DipEntry.id).where(DipEntry.published_at.is_not(None))).all()
    assert len(ids) >= 5
    for entry_id in ids:
        response = (
            ops["GET /api/v1/dip/{entry_id}"]
            .Case(path_parameters={"entry_id": entry_id})
            .call_and_validate(checks=checks)
        )
        assert response.json()["id"] == entry_id
    listing = ops["GET /api/v1/dip"]
    for query in ({"tahun": date.today().year, "per_page": 2}, {"q": "laporan"}, {"kategori": "berkala", "page": 1}):
        data = listing.Case(query=query).call_and_validate(checks=checks).json()
        assert data["items"], query
