"""The one way to wrap an API function's Lambda entry point:

    @api_entry_point(logger, tracer, metrics)
    def lambda_handler(event: dict, context: LambdaContext) -> dict:
        return app.resolve(event)

Each invocation logs with the API request id as its correlation id and with nothing left from
the previous invocation (keys appended during one request, such as a checkoutId, are cleared);
the handler is traced without recording its answer, which may hold personal data; the metrics
of the invocation are flushed, with a cold start metric.
"""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def api_entry_point(logger: Logger, tracer: Tracer, metrics: Metrics) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        handler = metrics.log_metrics(capture_cold_start_metric=True)(handler)
        handler = tracer.capture_lambda_handler(capture_response=False)(handler)
        return logger.inject_lambda_context(
            correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
        )(handler)

    return wrap
