"""The one way to make an API function's Lambda entry point from its resolver.

Each invocation logs with the API request id as its correlation id and with nothing left from
the previous invocation (keys appended during one request, such as a checkoutId, are cleared);
the handler is traced without recording its answer, which may hold personal data; the metrics
of the invocation are flushed with a cold start metric.
"""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

EntryPoint = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def api_entry_point(
    app: APIGatewayRestResolver, logger: Logger, tracer: Tracer, metrics: Metrics
) -> EntryPoint:
    """The Lambda handler of an API function: `lambda_handler = api_entry_point(app, ...)`."""

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
    @tracer.capture_lambda_handler(capture_response=False)
    @metrics.log_metrics(capture_cold_start_metric=True)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return app.resolve(event, context)

    return lambda_handler
