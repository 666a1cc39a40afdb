"""AWS calls per request, counted by botocore's `before-call` event as the handlers make them.

    python -m scripts.bench.awscalls AWS_ENDPOINT   (prints JSON)

The handlers run in this process, against a running local cloud's embedded AWS: in-process, a
botocore hook sees every call. They are the same sources as in the zips. Run it in a process
of its own: it imports every handler with its function's environment.
"""

import importlib
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from scripts.bench.batches import checkout_batch
from scripts.bench.routes import ADMIN, ROUTES, USERS, Fixtures, Route
from scripts.in_process import LambdaContext, import_handler
from scripts.localcloud import system
from scripts.localcloud.gateway import proxy, routes
from scripts.localcloud.gateway.authorizer import CognitoAuthorizer
from scripts.token import id_token, identity_parameters


@dataclass
class CallLog:
    calls: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, model, **_: Any) -> None:
        self.calls.append((model.service_model.service_id.hyphenize(), model.name))

    def take(self) -> list[tuple[str, str]]:
        calls, self.calls = self.calls, []
        return calls


def load_handlers(functions: list[system.Function], aws_endpoint: str, log: CallLog) -> dict[str, Any]:
    """Imports each function's handler with its environment, its boto3 clients hooked by `log`."""
    os.environ.update(
        AWS_ENDPOINT_URL=aws_endpoint,
        AWS_DEFAULT_REGION=system.REGION,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        POWERTOOLS_TRACE_DISABLED="true",  # no daemon here; tracing makes no AWS calls of its own
        POWERTOOLS_METRICS_DISABLED="true",
    )
    boto3.setup_default_session(region_name=system.REGION)
    boto3.DEFAULT_SESSION.events.register("before-call", log)  # copied into every client made after
    handlers = {}
    for function in functions:
        module = import_handler(function, POWERTOOLS_LOG_LEVEL="CRITICAL")  # the figures, not the logs
        handlers[function.name] = getattr(module, function.handler.rsplit(".", 1)[1])
    return handlers


class InProcessApi:
    """API Gateway's routing, Cognito authorizer and proxy events, with the handlers called in
    this process."""

    def __init__(self, handlers: dict[str, Any], apis: tuple[system.Api, ...], aws_endpoint: str):
        identity = identity_parameters(aws_endpoint)
        pool_id = identity["user-pool-id"]
        authorizer = CognitoAuthorizer(
            system.REGION,
            pool_id,
            [identity["user-pool-client-id"]],
            f"{aws_endpoint}/{pool_id}/.well-known/jwks.json",
        )
        self.handlers = handlers
        self.resources = routes.load_resources(apis, {system.USER_POOL: authorizer})
        self.tokens = {
            caller: id_token(aws_endpoint, user, caller == ADMIN) for caller, user in USERS.items()
        }

    def request(
        self, method: str, path: str, body: Any, query: dict[str, str] | None, caller: str
    ) -> tuple[int, Any]:
        resource, parameters = routes.match(self.resources, path)
        claims = None
        if method in resource.guarded:
            claims = resource.authorizer.claims(self.tokens.get(caller))
            if claims is None:
                return 401, {"message": "Unauthorized"}
        event = proxy.proxy_event(
            method,
            path,
            resource=resource.path,
            path_parameters=parameters,
            headers=[("Content-Type", "application/json")],
            query=list((query or {}).items()),
            body=json.dumps(body).encode() if body is not None else None,
            claims=claims,
        )
        response = self.handlers[resource.function](event, LambdaContext(resource.function))
        return response["statusCode"], json.loads(response["body"]) if response.get("body") else None


def route_calls(api: InProcessApi, log: CallLog, route: Route, samples: int) -> list[list[tuple[str, str]]]:
    fixtures = Fixtures(api)
    found = []
    for _ in range(samples):
        request = route.prepare(fixtures)
        log.take()  # the setup's calls are not the route's
        fixtures.call(request, route.status)
        found.append(log.take())
    return found


def consumer_calls(handler: Any, log: CallLog, batch_size: int) -> dict[str, float]:
    """Calls per record for new events, and for the same events delivered again."""
    batch = checkout_batch(batch_size)
    log.take()
    context = LambdaContext(system.name("order", "consumer"))
    first = handler(batch, context)
    new = log.take()
    again = handler(batch, context)  # at-least-once delivery: the same records come back
    duplicate = log.take()
    if first["batchItemFailures"] or again["batchItemFailures"]:
        raise RuntimeError(f"the consumer failed records: {first} {again}")
    return {
        "new": len(new) / batch_size,
        "duplicate": len(duplicate) / batch_size,
        "operations": sorted(Counter(op for _, op in new + duplicate)),
    }


def count(aws_endpoint: str, samples: int = 3) -> dict[str, Any]:
    functions = [f for s in system.SERVICES for f in s.functions]
    log = CallLog()
    handlers = load_handlers(functions, aws_endpoint, log)
    baseline = Path(__file__).with_name("baseline")
    sys.path.insert(0, str(baseline))
    handlers[system.name("baseline")] = importlib.import_module("baseline").lambda_handler
    apis = (*(a for s in system.SERVICES for a in s.apis), baseline_api())
    api = InProcessApi(handlers, apis, aws_endpoint)
    routes = {}
    for route in ROUTES:
        found = route_calls(api, log, route, samples)
        per_request = [len(calls) for calls in found]
        every = [call for calls in found for call in calls]
        routes[route.name] = {
            "calls": max(per_request),
            "varies": min(per_request) != max(per_request),
            "by_service": dict(Counter(service for service, _ in found[-1])),
            "operations": [operation for _, operation in found[-1]],
            "scan": any(operation == "Scan" for _, operation in every),
        }
    consumer = consumer_calls(handlers[system.name("order", "consumer")], log, batch_size=10)
    return {"routes": routes, "consumer": consumer}


def baseline_api() -> system.Api:
    return system.Api(
        system.name("baseline"),
        system.name("baseline"),
        Path(__file__).with_name("baseline") / "openapi.yaml",
    )


def measure(aws_endpoint: str) -> dict[str, Any]:
    """`count` in a process of its own."""
    command = [sys.executable, "-m", "scripts.bench.awscalls", aws_endpoint]
    result = subprocess.run(command, cwd=system.ROOT, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"counting AWS calls failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])  # after whatever the handlers printed


if __name__ == "__main__":
    print(json.dumps(count(sys.argv[1])))
