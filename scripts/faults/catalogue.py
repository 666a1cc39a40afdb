"""The faults that `make faults` injects: what each try of a call to DynamoDB or EventBridge meets.

A call is one SDK operation (PutItem, PutEvents); the SDK makes it in one or more tries (HTTP
requests), retrying throttling, 5xx, timeouts and lost connections. A fault says what the first
try meets, what the second meets, and so on; the last entry goes on for any further tries.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Try:
    """What one HTTP request meets. Nothing set: it goes through to (moto's) AWS as usual."""

    answer: tuple[int, str] | None = None  # an AWS error answer: (HTTP status, error code)
    raises: str | None = None  # no answer: this botocore exception, where the HTTP call is made
    carried_out: bool = False  # the request reaches AWS and is carried out before `raises`
    failed_entry: bool = False  # PutEvents answers 200, its first entry refused, any others published
    crashes: bool = False  # carried out, then the function dies (a Lambda timeout, a crash)


PASS = Try()


@dataclass(frozen=True)
class Fault:
    name: str
    service: str  # the AWS service it hits: dynamodb or events ("" for none)
    summary: str
    tries: tuple[Try, ...] = (PASS,)  # what the first, second... try meets; the last one repeats
    retried: bool = True  # botocore's standard mode retries it

    def meets(self, attempt: int) -> Try:
        """What try number `attempt` (1 for the first) meets."""
        return self.tries[min(attempt, len(self.tries)) - 1]

    @property
    def lost_answer(self) -> bool:
        """Carried out, its answer lost, then the SDK's retry goes through: the call succeeds."""
        return len(self.tries) > 1 and self.tries[0].carried_out and self.tries[-1] == PASS

    @property
    def down(self) -> bool:
        """Every try fails: the dependency is down (or refuses) for the whole call."""
        return self.tries[-1] != PASS


def _answer(status: int, code: str) -> tuple[Try]:
    return (Try(answer=(status, code)),)


def _raises(exception: str) -> tuple[Try]:
    return (Try(raises=exception),)


_LOST = (Try(carried_out=True, raises="ReadTimeoutError"), PASS)

NO_FAULT = Fault("none", "", "no fault")
LOST_ANSWER = Fault("lost-answer", "dynamodb", "applied, then its answer lost (ReadTimeoutError)", _LOST)
DYNAMODB_FAULTS = (
    Fault("throttled", "dynamodb", "400 ThrottlingException", _answer(400, "ThrottlingException")),
    Fault(
        "capacity",
        "dynamodb",
        "400 ProvisionedThroughputExceededException",
        _answer(400, "ProvisionedThroughputExceededException"),
    ),
    Fault("5xx", "dynamodb", "500 InternalServerError", _answer(500, "InternalServerError")),
    Fault(
        "read-timeout",
        "dynamodb",
        "ReadTimeoutError (no answer in read_timeout)",
        _raises("ReadTimeoutError"),
    ),
    Fault("connect-timeout", "dynamodb", "ConnectTimeoutError", _raises("ConnectTimeoutError")),
    Fault("no-route", "dynamodb", "EndpointConnectionError", _raises("EndpointConnectionError")),
    Fault(
        "denied",
        "dynamodb",
        "400 AccessDeniedException (not retryable)",
        _answer(400, "AccessDeniedException"),
        retried=False,
    ),
    LOST_ANSWER,
)
BUS_THROTTLED = Fault(
    "bus-throttled", "events", "PutEvents: 400 ThrottlingException", _answer(400, "ThrottlingException")
)
BUS_DENIED = Fault(
    "bus-denied",
    "events",
    "PutEvents: 400 AccessDeniedException (not retryable)",
    _answer(400, "AccessDeniedException"),
    retried=False,
)
# The event reached the bus, and no try got an answer: the outcome is unknown.
BUS_PUBLISHED_TIMEOUT = Fault(
    "bus-published-timeout",
    "events",
    "PutEvents: published, then no answer (ReadTimeoutError), at every try",
    (Try(carried_out=True, raises="ReadTimeoutError"),),
)
EVENTS_FAULTS = (
    BUS_THROTTLED,
    Fault("bus-5xx", "events", "PutEvents: 500 InternalException", _answer(500, "InternalException")),
    Fault(
        "bus-timeout", "events", "PutEvents: ReadTimeoutError (not published)", _raises("ReadTimeoutError")
    ),
    Fault(
        "bus-entry-failed",
        "events",
        "PutEvents: 200, FailedEntryCount 1: its first entry refused, any others published",
        (Try(failed_entry=True),),
        retried=False,
    ),
    BUS_DENIED,
    Fault(
        "bus-lost-answer", "events", "PutEvents: published, then its answer lost; the retry published", _LOST
    ),
    BUS_PUBLISHED_TIMEOUT,
    # The SDK's retry is refused, but the first try may have published: not a refusal.
    Fault(
        "bus-published-throttled",
        "events",
        "PutEvents: the first try published and timed out, the SDK's retry throttled (400)",
        (Try(carried_out=True, raises="ReadTimeoutError"), Try(answer=(400, "ThrottlingException"))),
    ),
)
# The function dies right after its PutEvents reached the bus (cut off by its timeout, or a crash):
# the client gets API Gateway's 5xx, and nothing after PutEvents runs; the product publisher's
# stream mapping takes it for a function error. In scenarios and the publisher's cases.
BUS_PUBLISHED_CRASH = Fault(
    "bus-published-crash",
    "events",
    "PutEvents: published, then the function dies",
    (Try(carried_out=True, crashes=True),),
)
FAULTS = (NO_FAULT, *DYNAMODB_FAULTS, *EVENTS_FAULTS)
