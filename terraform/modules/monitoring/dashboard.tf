# The environment's dashboard. Every name comes from the naming convention of the service
# modules (<prefix>-<environment>-<service>...), so no other root's state is read; a widget of a
# service not applied yet stays empty.

locals {
  region            = data.aws_region.current.region
  metrics_namespace = local.name_prefix # POWERTOOLS_METRICS_NAMESPACE of every function
  console           = "https://${local.region}.console.aws.amazon.com"

  # In the order of the flow: products are created, baskets checked out, orders created.
  services = [
    { name = "product", functions = ["${local.name_prefix}-product", "${local.name_prefix}-product-publisher"] },
    { name = "basket", functions = ["${local.name_prefix}-basket", "${local.name_prefix}-basket-catalogue-consumer"] },
    { name = "order", functions = ["${local.name_prefix}-order-api", "${local.name_prefix}-order-consumer"] },
  ]

  # Metrics the code publishes with EMF (Powertools adds the dimension service = its name).
  business_graphs = [
    { title = "Products created (product)", service = "product", metrics = ["ProductsCreated"] },
    { title = "Product events published (product)", service = "product", metrics = ["ProductEventsPublished", "BatchItemFailures"] },
    { title = "Catalogue replica (basket)", service = "basket", metrics = ["CatalogueReplicaUpdates", "StaleProductEventsIgnored", "BatchItemFailures"] },
    { title = "Checkouts (basket)", service = "basket", metrics = ["CheckoutsAccepted", "CheckoutsFailed"] },
    { title = "Checkout events consumed (order)", service = "order", metrics = ["OrdersCreated", "DuplicateDeliveriesIgnored", "BatchItemFailures"] },
    { title = "Checkout events refused, bound for the DLQ (order)", service = "order", metrics = ["InvalidCheckoutsRefused", "ConflictingCheckoutsRefused"] },
  ]

  checkout_queue = "${local.name_prefix}-order-checkout"
  checkout_dlqs  = ["${local.checkout_queue}-dlq", "${local.checkout_queue}-delivery-dlq"]
  # The product events' failures: stream records given up, and events the replica kept failing.
  catalogue_dlqs = [
    "${local.name_prefix}-product-events-failed",
    "${local.name_prefix}-basket-catalogue-dlq",
    "${local.name_prefix}-basket-catalogue-delivery-dlq",
  ]

  # The graphs of each service's API (AWS/ApiGateway) and of each of its functions (AWS/Lambda).
  api_graphs = [
    { title = "API requests", stat = "Sum", metrics = ["Count"] },
    { title = "API errors (5XX, 4XX)", stat = "Sum", metrics = ["5XXError", "4XXError"] },
    { title = "API latency p99 (ms)", stat = "p99", metrics = ["Latency", "IntegrationLatency"] },
  ]
  function_graphs = [
    { title = "invocations", stat = "Sum", metric = "Invocations" },
    { title = "errors", stat = "Sum", metric = "Errors" },
    { title = "throttles", stat = "Sum", metric = "Throttles" },
    { title = "duration p99 (ms)", stat = "p99", metric = "Duration" },
  ]

  # Properties shared by every graph.
  graph = {
    view    = "timeSeries"
    stacked = false
    region  = local.region
    period  = 300
  }

  header_widgets = [
    {
      type   = "text"
      width  = 24
      height = 2
      properties = {
        markdown = join("\n", [
          "# ${local.name_prefix}",
          "Alarms `${local.name_prefix}-*` notify the topic [${local.topic_name}](${local.console}/sns/v3/home?region=${local.region}#/topic/${aws_sns_topic.alarms.arn}); see their [state](${local.console}/cloudwatch/home?region=${local.region}#alarmsV2:). Sums and percentiles per 5 minutes.",
        ])
      }
    },
  ]

  flow_widgets = concat(
    [
      {
        type       = "text"
        width      = 24
        height     = 1
        properties = { markdown = "## The checkout flow: basket publishes CheckoutBasket, the bus delivers it to ${local.checkout_queue}, the order consumer creates the order" }
      },
    ],
    [
      for graph in local.business_graphs : {
        type   = "metric"
        width  = 8
        height = 6
        properties = merge(local.graph, {
          title   = graph.title
          stat    = "Sum"
          metrics = [for metric in graph.metrics : [local.metrics_namespace, metric, "service", graph.service]]
        })
      }
    ],
    [
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = merge(local.graph, {
          title = "Checkout queue: messages waiting and age of the oldest (s, right)"
          stat  = "Maximum"
          metrics = [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", local.checkout_queue, { label = "visible messages" }],
            ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", local.checkout_queue, { label = "age of oldest (s)", yAxis = "right" }],
          ]
        })
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = merge(local.graph, {
          title   = "Dead-letter queues: messages waiting (should be 0)"
          stat    = "Maximum"
          metrics = [for queue in concat(local.checkout_dlqs, local.catalogue_dlqs) : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { label = queue }]]
        })
      },
    ],
  )

  # Per service: a header, its API (name <prefix>-<environment>-<service>, stage <environment>)
  # on one row, its functions on the next.
  service_widgets = flatten([
    for service in local.services : concat(
      [
        {
          type       = "text"
          width      = 24
          height     = 1
          properties = { markdown = "## ${service.name}: API ${local.name_prefix}-${service.name} (stage ${var.environment}), functions ${join(", ", service.functions)}" }
        },
      ],
      [
        for graph in local.api_graphs : {
          type   = "metric"
          width  = 8
          height = 6
          properties = merge(local.graph, {
            title   = "${service.name}: ${graph.title}"
            stat    = graph.stat
            metrics = [for metric in graph.metrics : ["AWS/ApiGateway", metric, "ApiName", "${local.name_prefix}-${service.name}", "Stage", var.environment]]
          })
        }
      ],
      [
        for graph in local.function_graphs : {
          type   = "metric"
          width  = 6
          height = 6
          properties = merge(local.graph, {
            title   = "${service.name}: function ${graph.title}"
            stat    = graph.stat
            metrics = [for function_name in service.functions : ["AWS/Lambda", graph.metric, "FunctionName", function_name, { label = function_name }]]
          })
        }
      ],
    )
  ])
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.name_prefix
  dashboard_body = jsonencode({
    widgets = concat(local.header_widgets, local.flow_widgets, local.service_widgets)
  })
}
