"""What the local API Gateway itself answers, as API Gateway does."""

import socket

import pytest

from tests.e2e.conftest import eventually


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/nowhere"), ("PATCH", "/product"), ("POST", "/order"), ("GET", "/"), ("TRACE", "/product")],
)
def test_unknown_routes_and_methods_are_403_missing_authentication_token(http, method, path):
    response = http.request(method, path)
    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}


def test_every_response_carries_a_request_id_and_a_trace_id(http):
    response = http.get("/product", params={"limit": 1})
    assert response.headers["x-amzn-RequestId"]
    assert response.headers["X-Amzn-Trace-Id"].startswith("Root=1-")


def test_an_incoming_trace_is_continued(http):
    root = "1-5759e988-bd862e3fe1be46a994272793"
    response = http.get(
        "/product", params={"limit": 1}, headers={"X-Amzn-Trace-Id": f"Root={root};Sampled=1"}
    )
    assert response.headers["X-Amzn-Trace-Id"] == f"Root={root};Sampled=1"


def test_request_lines_are_logged_with_method_path_status_and_duration(cloud, http):
    http.get("/product/logged-request")

    def logged():
        """the request's line is in the console (written just after the answer)"""
        return [line for line in cloud.output.read_text().splitlines() if "/product/logged-request" in line]

    lines = eventually(logged, timeout=5)
    assert lines[-1].startswith("GET /product/logged-request 404 ") and " ms" in lines[-1]


def test_an_unsampled_trace_stays_unsampled_and_unrecorded(cloud, http):
    root = "1-5759e988-00000000000000000000abcd"
    response = http.get(
        "/product", params={"limit": 1}, headers={"X-Amzn-Trace-Id": f"Root={root};Sampled=0"}
    )
    assert response.headers["X-Amzn-Trace-Id"] == f"Root={root};Sampled=0"
    assert root not in (cloud.state / "traces.jsonl").read_text()


def test_a_malformed_content_length_is_a_400(cloud):
    host, port = cloud.api.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"POST /product HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
        assert connection.recv(1024).startswith(b"HTTP/1.1 400")
