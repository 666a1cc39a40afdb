"""The APIs' router (shop_common.rest_router): which route takes a request, what a route reads
of it, where its exceptions go, and the proxy result it answers with."""

import pytest

from shop_common.rest_router import Request, Response, RestRouter
from tests.helpers import api_event


@pytest.fixture
def app():
    app = RestRouter()

    @app.get("/basket")
    def list_baskets():
        return Response(200, "list")

    @app.get("/basket/<user_name>")
    def get_basket(user_name):
        return Response(200, f"basket of {user_name}")

    @app.post("/basket/checkout")
    def check_out():
        return Response(202, "checkout")

    @app.delete("/basket/<user_name>")
    def delete_basket(user_name):
        return Response(204)

    @app.get("/order/<user_name>/<order_id>")
    def get_order(user_name, order_id):
        return Response(200, f"{order_id} of {user_name}")

    @app.not_found
    def no_route():
        return Response(404, "no route")

    return app


def body(app: RestRouter, method: str, path: str) -> tuple[int, str]:
    result = app.resolve(api_event(method, path))
    return result["statusCode"], result["body"]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/basket", (200, "list")),
        ("GET", "/basket/", (200, "list")),  # trailing slashes are ignored
        ("GET", "/basket/ana", (200, "basket of ana")),
        ("GET", "/basket/ana//", (200, "basket of ana")),
        ("POST", "/basket/checkout", (202, "checkout")),  # a path without placeholders first
        ("GET", "/basket/checkout", (200, "basket of checkout")),  # the route of that method
        ("GET", "/basket/a%2Bb%40x.io", (200, "basket of a%2Bb%40x.io")),  # still percent-encoded
        ("GET", "/basket/a b'<>[]{}|^~!*é", (200, "basket of a b'<>[]{}|^~!*é")),  # Powertools' characters
        ("GET", '/basket/a"b', (404, "no route")),  # and no others, as with Powertools
        ("GET", "/basket/a\\b", (404, "no route")),
        ("GET", "/basket/a€", (404, "no route")),
        ("GET", "/order/ana/o-1", (200, "o-1 of ana")),
        ("DELETE", "/basket/ana", (204, "")),
        ("GET", "/basket/ana/more", (404, "no route")),  # a placeholder is one segment
        ("GET", "/order/ana", (404, "no route")),
        ("PUT", "/basket/ana", (404, "no route")),  # no route of that method
        ("GET", "/baskets", (404, "no route")),
        ("GET", "/", (404, "no route")),
    ],
)
def test_a_request_goes_to_the_route_of_its_method_and_path(app, method, path, expected):
    assert body(app, method, path) == expected


def test_the_routes_are_listed_as_written(app):
    assert [(r.method, r.path) for r in app.routes] == [
        ("GET", "/basket"),
        ("GET", "/basket/<user_name>"),
        ("POST", "/basket/checkout"),
        ("DELETE", "/basket/<user_name>"),
        ("GET", "/order/<user_name>/<order_id>"),
    ]


def test_an_answer_carries_its_headers_as_multi_value_headers():
    app = RestRouter()
    app.get("/x")(lambda: Response(200, '{"a":1}', {"Content-Type": "application/json", "ETag": '"3"'}))
    assert app.resolve(api_event("GET", "/x")) == {
        "statusCode": 200,
        "body": '{"a":1}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"], "ETag": ['"3"']},
    }


class Refused(Exception):
    pass


class Forbidden(Refused):
    pass


def test_an_exception_goes_to_the_handler_of_its_nearest_class():
    app = RestRouter()
    app.exception_handler(Exception)(lambda error: Response(500, "unexpected"))
    app.exception_handler(Refused)(lambda error: Response(400, f"refused: {error}"))

    @app.get("/forbidden")
    def forbidden():
        raise Forbidden("no")

    @app.get("/broken")
    def broken():
        raise KeyError("x")

    assert body(app, "GET", "/forbidden") == (400, "refused: no")
    assert body(app, "GET", "/broken") == (500, "unexpected")


def test_a_route_that_answers_no_response_is_an_error_its_handler_answers():
    # GIVEN a route that returns a dict (as Powertools' resolver would have serialised)
    app = RestRouter()
    app.exception_handler(Exception)(lambda error: Response(500, f"unexpected: {error}"))

    @app.get("/dict")
    def answers_a_dict():
        return {"status": "ok"}

    # THEN the client gets the 500 of the handler, not a result API Gateway cannot read
    assert body(app, "GET", "/dict") == (500, "unexpected: GET /dict returned dict")


def test_without_a_handler_an_exception_propagates_and_so_does_a_missing_route():
    app = RestRouter()

    @app.get("/broken")
    def broken():
        raise Refused("no")

    with pytest.raises(Refused):
        app.resolve(api_event("GET", "/broken"))
    with pytest.raises(LookupError):
        app.resolve(api_event("GET", "/nowhere"))


def test_the_request_is_there_while_a_route_runs_only():
    app = RestRouter()
    seen = []

    @app.post("/x")
    def x():
        seen.append(app.request)
        return Response(200)

    event = api_event("POST", "/x", {"a": 1}, query={"limit": "5"}, headers={"X-Thing": "t"})
    app.resolve(event)
    (request,) = seen
    assert (request.method, request.path, request.event) == ("POST", "/x", event)
    assert request.query("limit") == "5" and request.query("nextToken") is None
    assert request.header("x-thing") == request.header("X-THING") == "t"
    assert request.body == '{"a": 1}' and not request.is_base64_encoded
    with pytest.raises(RuntimeError):
        app.request  # noqa: B018


def test_every_value_of_a_header_is_read_whatever_the_case_of_its_name():
    event = api_event("PUT", "/x", {})
    event["multiValueHeaders"] |= {"If-Match": ['"1"', '"2"'], "if-match": ['"3"']}
    event["headers"]["If-Match"] = '"2"'
    assert sorted(Request(event).header_values("IF-MATCH")) == ['"1"', '"2"', '"3"']
    event = api_event("PUT", "/x", {})
    event["multiValueHeaders"] = None
    event["headers"]["if-match"] = '"4"'
    assert Request(event).header_values("If-Match") == ['"4"']
    assert Request(api_event("GET", "/x")).header_values("If-Match") == []
