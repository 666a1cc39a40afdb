"""Injects a fault where moto answers the services' clients, as if AWS had answered (or not) so.

An error answer comes back as AWS sends it, so botocore's standard retry mode treats it as it
would in AWS; a timeout or a lost connection is raised where the HTTP call would be made; a
carried-out try first reaches moto, then loses its answer (or kills the function). Backoff
delays are recorded, not slept.
"""

import contextlib
import json
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scripts.faults.catalogue import Fault


class FunctionDied(BaseException):
    """The function stops here, as a Lambda cut off by its timeout: no handler catches this."""


@dataclass
class Injector:
    """Stands between botocore and moto: each request to `fault.service` meets the fault."""

    fault: Fault
    attempts: int = 0  # requests to the faulty service, retries included
    calls: int = 0  # of which first attempts
    backoff: list[float] = field(default_factory=list)

    def handle(self, real: Callable[[Any], Any], request: Any) -> Any:
        service = request.url.split("://", 1)[-1].split(".", 1)[0]
        if service != self.fault.service:
            return real(request)
        self.attempts += 1
        progress = request.headers.get("amz-sdk-request", b"attempt=1")  # "attempt=2; max=2"
        progress = progress.decode() if isinstance(progress, bytes) else progress
        attempt = int(progress.replace(" ", "").split(";")[0].removeprefix("attempt="))
        self.calls += attempt == 1
        meets = self.fault.meets(attempt)
        if meets.answer is not None:
            status, code = meets.answer
            body = {"__type": code, "message": f"injected {code}"}
            headers = {"x-amzn-ErrorType": code, "Content-Type": "application/x-amz-json-1.1"}
            return status, headers, json.dumps(body)
        if meets.failed_entry:
            return _first_entry_failed(real, request)
        response = real(request) if meets.carried_out else None
        if meets.crashes:
            raise FunctionDied(request.url)
        if meets.raises is not None:
            import botocore.exceptions

            raise getattr(botocore.exceptions, meets.raises)(endpoint_url=request.url)
        return response if meets.carried_out else real(request)


def _first_entry_failed(real: Callable[[Any], Any], request: Any) -> tuple[int, dict[str, str], str]:
    """PutEvents answers 200 and refuses its first entry; the others (if any) are published."""
    from botocore.awsrequest import AWSPreparedRequest

    sent = json.loads(request.body)
    entries = [{"ErrorCode": "InternalFailure", "ErrorMessage": "injected failure"}]
    if len(sent["Entries"]) > 1:
        body = json.dumps({**sent, "Entries": sent["Entries"][1:]}).encode()
        headers = {**request.headers, "Content-Length": str(len(body))}
        rest = AWSPreparedRequest(request.method, request.url, headers, body, stream_output=False)
        status, headers, answer = real(rest)
        if status != 200:
            return status, headers, answer
        entries += json.loads(answer)["Entries"]
    body = {"FailedEntryCount": sum("ErrorCode" in e for e in entries), "Entries": entries}
    return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(body)


@contextlib.contextmanager
def injected(fault: Fault) -> Iterator[Injector]:
    """Injects `fault` into every AWS call moto answers, and records backoffs instead of sleeping."""
    import botocore.endpoint
    from moto.core.models import botocore_stubber

    injector = Injector(fault)
    real = botocore_stubber.process_request
    real_time = botocore.endpoint.time
    botocore_stubber.process_request = lambda request: injector.handle(real, request)
    botocore.endpoint.time = types.SimpleNamespace(sleep=injector.backoff.append)
    try:
        yield injector
    finally:
        del botocore_stubber.process_request
        botocore.endpoint.time = real_time
