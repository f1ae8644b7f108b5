"""The OpenAPI schema documents the JSON API only, and a schema-driven fuzzer (schemathesis) finds no 5xx and no
response that breaks the schema there; a wrong method is a 405 that names the allowed ones."""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from litestar.testing import TestClient

from tests.factories import PASSWORD
from tests.test_authorization import walk_ids  # noqa: F401 - the walk's fixture: an office, a centre, a survey …

#: Examples per operation: enough to try odd ids, filters and languages; the whole run stays within seconds.
MAX_EXAMPLES = 15


async def test_the_schema_documents_the_json_api_and_no_html_page(client):
    schema = (await client.get("/api/schema/openapi.json")).json()
    paths = schema["paths"]
    assert "/api/districts" in paths and "/api/surveys/{survey_id}/results" in paths and "/api/jobs/{job_id}" in paths
    assert [path for path in paths if not path.startswith("/api/")] == []
    for path, operations in paths.items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                assert "text/html" not in answer.get("content", {}), f"{method} {path} {status} declares HTML"


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("DELETE", "/anmelden", {"GET", "POST"}),
    ("PUT", "/api/districts", {"GET"}),
    ("POST", "/umfrage/1/danke", {"GET"}),
])
async def test_a_wrong_method_is_405_with_the_allowed_methods(client, method, path, allowed):
    response = await client.request(method, path)
    assert response.status_code == 405
    assert allowed <= {m.strip() for m in response.headers["allow"].split(",")}


def test_schemathesis_finds_no_server_error_and_no_schema_violation(settings, walk_ids):  # noqa: F811
    from participation.app import create_app

    # The app on its own engine, served from the test client's thread: schemathesis and Hypothesis drive it
    # synchronously. The data comes from the walk (committed), so documented answers have something to show.
    with TestClient(create_app(settings), base_url="http://testserver.local",
                    raise_server_exceptions=False) as app_client:
        app_client.get("/")
        signed_in = app_client.post("/anmelden", data={
            "email": "buero@example.org", "password": PASSWORD, "_csrf_token": app_client.cookies["fd_csrf"]},
            follow_redirects=False)
        assert signed_in.status_code == 303
        schema = schemathesis.openapi.from_dict(app_client.get("/api/schema/openapi.json").json())
        failures: list[str] = []
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 6

        for operation in operations:
            @given(case=operation.as_strategy())
            @hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                                 suppress_health_check=list(HealthCheck))
            def exercise(case) -> None:
                kwargs = case.as_transport_kwargs(base_url="http://testserver.local")
                response = app_client.request(
                    kwargs["method"], kwargs["url"], params=kwargs.get("params"), headers=kwargs.get("headers"),
                    json=kwargs.get("json"))
                try:
                    case.validate_response(response)
                except Exception as error:  # schemathesis's failure group: what broke, and how to repeat it
                    failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {error}")

            exercise()
        assert not failures, "\n".join(failures[:20])
