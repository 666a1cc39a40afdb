"""The local cloud (scripts/localcloud/system.py) declares what the Terraform modules declare.

Names are compared after putting the local prefix and environment into Terraform's
expressions; numbers that are module variables are compared with their defaults, and the
batching window with the dev environment's value.
"""

import json
import re
from typing import Any

import pytest

from scripts.localcloud import system
from scripts.localcloud.aws.resources import CreatedUserPool, user_pool_parameters
from tests.helpers import checkout_schema, event_schema
from tests.terraform.conftest import LIVE, MODULES, TerraformTree

SERVICES = {"product": system.PRODUCT, "basket": system.BASKET, "order": system.ORDER}


class Module:
    """One module's parsed HCL, with its locals and variable defaults for resolving expressions."""

    def __init__(self, name: str):
        self.tree = TerraformTree(MODULES / name)
        self.scope: dict[str, Any] = {"var.prefix": system.PREFIX, "var.environment": system.ENVIRONMENT}
        for block in self.tree.blocks("variable"):
            self.scope.setdefault(f"var.{block.labels[0]}", block.body.get("default"))
        for parsed in self.tree.files.values():
            for entry in parsed.get("locals", []):
                self.scope.update({f"local.{k}": v for k, v in entry.items()})

    def resolve(self, value: Any) -> Any:
        """Replaces ${var.x} and ${local.x}; a whole-value reference keeps its type, and so does
        ${merge(local.a, local.b)} of maps."""
        if not isinstance(value, str):
            return value
        merged = re.fullmatch(r"\$\{merge\(((?:(?:var|local)\.\w+,?\s*)+)\)\}", value)
        if merged:
            result: dict[str, Any] = {}
            for reference in re.findall(r"(?:var|local)\.\w+", merged.group(1)):
                result.update(self.resolve(f"${{{reference}}}"))
            return result
        whole = re.fullmatch(r"\$\{((?:var|local)\.\w+)\}", value)
        if whole and whole.group(1) in self.scope:
            return self.resolve(self.scope[whole.group(1)])
        return re.sub(
            r"\$\{((?:var|local)\.\w+)\}",
            lambda m: str(self.resolve(self.scope[m.group(1)])) if m.group(1) in self.scope else m.group(0),
            value,
        )

    def functions(self) -> list[dict[str, Any]]:
        return [
            {k: self.resolve(v) for k, v in block.body.items()}
            for block in self.tree.blocks("module")
            if block.body.get("source") == "../lambda-function"
        ]

    def module(self, source: str) -> dict[str, Any]:
        (block,) = [b for b in self.tree.blocks("module") if b.body.get("source") == source]
        return {k: self.resolve(v) for k, v in block.body.items()}


@pytest.mark.parametrize("service", SERVICES)
def test_tables_have_the_same_names_keys_and_indexes(service):
    module = Module(service)
    declared = set()
    for table in module.tree.resources("aws_dynamodb_table"):
        indexes = tuple(
            system.Index(
                module.resolve(index["name"]),
                index["hash_key"],
                index.get("range_key"),
            )
            for index in table.body.get("global_secondary_index", [])
        )
        declared.add(
            system.Table(
                module.resolve(table.body["name"]),
                table.body["hash_key"],
                table.body.get("range_key"),
                indexes,
                table.body.get("stream_view_type") if table.body.get("stream_enabled") else None,
            )
        )
    assert declared == set(SERVICES[service].tables)


@pytest.mark.parametrize("service", SERVICES)
def test_functions_have_the_same_names_handlers_timeouts_and_environment(service):
    module = Module(service)
    declared = {
        f["function_name"]: (
            f["handler"],
            module.resolve(f["timeout"]),
            module.resolve(f["memory_size"]),
            sorted(module.resolve(f["environment_variables"])),
        )
        for f in module.functions()
    }
    local = {
        f.name: (f.handler, f.timeout, f.memory, sorted(f.environment)) for f in SERVICES[service].functions
    }
    assert declared == local


@pytest.mark.parametrize("service", SERVICES)
def test_functions_publish_metrics_to_the_same_namespace(service):
    module = Module(service)
    declared = {
        f["function_name"]: module.resolve(
            module.resolve(f["environment_variables"])["POWERTOOLS_METRICS_NAMESPACE"]
        )
        for f in module.functions()
    }
    local = {f.name: f.environment["POWERTOOLS_METRICS_NAMESPACE"] for f in SERVICES[service].functions}
    assert declared == local


def test_functions_read_their_own_tables():
    """TABLE_NAME is the service's first table; any other table a function names is its service's."""
    for spec in SERVICES.values():
        tables = {table.name for table in spec.tables}
        for function in spec.functions:
            if "TABLE_NAME" in function.environment:
                assert function.environment["TABLE_NAME"] == spec.tables[0].name, function.name
            named = {v for k, v in function.environment.items() if k.endswith("TABLE_NAME")}
            assert named <= tables, function.name


def test_order_queues_have_the_same_names_and_settings():
    order = Module("order")
    subscription = order.module("../eventing/modules/subscription")
    defaults = Module("eventing/modules/subscription")
    queue, dlq, delivery_dlq = system.ORDER.queues
    name = subscription["name"]
    assert (queue.name, dlq.name, delivery_dlq.name) == (name, f"{name}-dlq", f"{name}-delivery-dlq")
    consumer_timeout = order.resolve("${var.consumer_timeout}")
    assert queue.visibility_timeout == 6 * consumer_timeout
    assert queue.max_receive_count == order.resolve("${var.max_receive_count}")
    assert queue.dead_letter_queue == dlq.name
    assert queue.retention == defaults.resolve("${var.message_retention_seconds}")
    assert queue.receive_wait == defaults.resolve("${var.receive_wait_time_seconds}")
    assert dlq.retention == delivery_dlq.retention == defaults.resolve("${var.dlq_message_retention_seconds}")


def test_the_order_rule_matches_what_basket_publishes():
    subscription = Module("order").module("../eventing/modules/subscription")
    (rule,) = system.ORDER.rules
    assert rule.name == subscription["rule_name"]
    pattern = subscription["event_pattern"]
    schema = checkout_schema()["properties"]
    assert rule.pattern == {"source": schema["source"]["enum"], "detail-type": schema["detail-type"]["enum"]}
    for key, values in rule.pattern.items():
        assert json.dumps(key) in pattern or key in pattern
        assert all(json.dumps(v) in pattern for v in values), pattern


def test_the_catalogue_queues_have_the_same_names_and_settings():
    basket = Module("basket")
    subscription = basket.module("../eventing/modules/subscription")
    defaults = Module("eventing/modules/subscription")
    queue, dlq, delivery_dlq = system.BASKET.queues
    name = subscription["name"]
    assert (queue.name, dlq.name, delivery_dlq.name) == (name, f"{name}-dlq", f"{name}-delivery-dlq")
    assert queue.visibility_timeout == 6 * basket.resolve("${var.catalogue_consumer_timeout}")
    assert queue.max_receive_count == basket.resolve("${var.catalogue_max_receive_count}")
    assert queue.dead_letter_queue == dlq.name
    assert queue.retention == defaults.resolve("${var.message_retention_seconds}")
    assert queue.receive_wait == defaults.resolve("${var.receive_wait_time_seconds}")
    assert dlq.retention == delivery_dlq.retention == defaults.resolve("${var.dlq_message_retention_seconds}")


def test_the_catalogue_rule_matches_what_product_publishes():
    subscription = Module("basket").module("../eventing/modules/subscription")
    (rule,) = system.BASKET.rules
    assert (rule.name, rule.queue) == (subscription["rule_name"], subscription["name"])
    changed, deleted = (
        event_schema("ProductChanged")["properties"],
        event_schema("ProductDeleted")["properties"],
    )
    assert rule.pattern == {
        "source": changed["source"]["enum"],
        "detail-type": changed["detail-type"]["enum"] + deleted["detail-type"]["enum"],
    }
    pattern = subscription["event_pattern"]
    for values in rule.pattern.values():
        assert all(json.dumps(v) in pattern for v in values), pattern


def test_the_catalogue_event_source_mapping_has_the_same_settings():
    basket = Module("basket")
    (declared,) = basket.tree.resources("aws_lambda_event_source_mapping")
    (mapping,) = system.BASKET.mappings
    assert (mapping.batch_size, mapping.batching_window, mapping.max_concurrency) == (
        declared.body["batch_size"],
        declared.body["maximum_batching_window_in_seconds"],
        declared.first("scaling_config")["maximum_concurrency"],
    )
    consumer = next(f for f in basket.functions() if f["handler"].endswith("replica_consumer.lambda_handler"))
    assert mapping.function == consumer["function_name"]
    assert mapping.queue == basket.module("../eventing/modules/subscription")["name"]


def test_the_product_stream_mapping_has_the_same_settings():
    product = Module("product")
    (declared,) = product.tree.resources("aws_lambda_event_source_mapping")
    body = declared.body
    (mapping,) = system.PRODUCT.stream_mappings
    assert body["event_source_arn"] == "${aws_dynamodb_table.product.stream_arn}"
    assert body["starting_position"] == "TRIM_HORIZON"
    assert body["function_response_types"] == ["ReportBatchItemFailures"]
    assert (mapping.batch_size, mapping.bisect, mapping.max_retries, mapping.max_record_age) == (
        product.resolve(body["batch_size"]),
        body["bisect_batch_on_function_error"],
        product.resolve(body["maximum_retry_attempts"]),
        product.resolve(body["maximum_record_age_in_seconds"]),
    )
    publisher = next(f for f in product.functions() if f["handler"].endswith("stream.lambda_handler"))
    assert mapping.function == publisher["function_name"]
    assert mapping.table == product.resolve(product.tree.resources("aws_dynamodb_table")[0].body["name"])
    destination = declared.first("destination_config")["on_failure"][0]["destination_arn"]
    assert destination == "${aws_sqs_queue.events_failed.arn}"
    (failed,) = product.tree.resources("aws_sqs_queue")
    (queue,) = system.PRODUCT.queues
    assert mapping.on_failure == queue.name == product.resolve(failed.body["name"])
    assert queue.retention == failed.body["message_retention_seconds"]


def test_the_event_source_mapping_has_the_same_settings():
    order = Module("order")
    dev = (LIVE / "order" / "envs" / "dev.tfvars").read_text()
    window = int(re.search(r"maximum_batching_window_in_seconds\s*=\s*(\d+)", dev).group(1))
    (mapping,) = system.ORDER.mappings
    assert (mapping.batch_size, mapping.max_concurrency) == (
        order.resolve("${var.batch_size}"),
        order.resolve("${var.maximum_concurrency}"),
    )
    assert mapping.batching_window == window
    assert mapping.function == next(
        f["function_name"] for f in order.functions() if f["handler"].endswith("consumer.lambda_handler")
    )


def test_the_bus_and_its_parameters_have_the_same_names():
    eventing = Module("eventing")
    (bus,) = eventing.tree.resources("aws_cloudwatch_event_bus")
    assert system.EVENTING.buses == (eventing.resolve(bus.body["name"]),)
    names = {eventing.resolve(p.body["name"]) for p in eventing.tree.resources("aws_ssm_parameter")}
    assert set(system.EVENTING.parameters) <= names


@pytest.mark.parametrize("service", SERVICES)
def test_apis_have_the_same_name_and_openapi_document(service):
    (api,) = SERVICES[service].apis
    assert api.name == Module(service).module("../rest-api")["name"]
    assert f"services/{service}/openapi.yaml" in (LIVE / service / "main.tf").read_text()
    assert api.openapi == system.ROOT / "services" / service / "openapi.yaml"


def test_the_user_pool_client_and_admin_group_have_the_same_names_and_settings():
    identity = Module("identity")
    (pool,) = system.IDENTITY.user_pools
    (declared,) = identity.tree.resources("aws_cognito_user_pool")
    (client,) = identity.tree.resources("aws_cognito_user_pool_client")
    (group,) = identity.tree.resources("aws_cognito_user_group")
    assert pool.name == identity.resolve(declared.body["name"])
    assert pool.client == identity.resolve(client.body["name"])
    assert pool.admin_group == identity.resolve(group.body["name"]) == system.ADMIN_GROUP
    assert pool.min_password_length == identity.resolve(declared.first("password_policy")["minimum_length"])


def test_the_user_pool_parameters_have_the_same_names():
    identity = Module("identity")
    (pool,) = system.IDENTITY.user_pools
    declared = {identity.resolve(p.body["name"]) for p in identity.tree.resources("aws_ssm_parameter")}
    assert set(user_pool_parameters(pool, CreatedUserPool("id", "arn", "client"))) == declared


@pytest.mark.parametrize("service", SERVICES)
def test_apis_are_authorized_by_the_user_pool_the_identity_root_publishes(service):
    module = Module(service)
    (api,) = SERVICES[service].apis
    assert api.user_pool == system.USER_POOL
    parameters = {
        block.labels[1]: module.resolve(block.body["name"])
        for block in module.tree.blocks("data")
        if block.labels[0] == "aws_ssm_parameter"
    }
    assert parameters["user_pool_arn"] == f"{system.IDENTITY_PARAMETERS}/user-pool-arn"
    assert parameters["admin_group"] == f"{system.IDENTITY_PARAMETERS}/admin-group"
    arns = module.module("../rest-api")["cognito_user_pool_arns"]
    assert arns == ["${data.aws_ssm_parameter.user_pool_arn.insecure_value}"]


@pytest.mark.parametrize("service", SERVICES)
def test_api_functions_get_the_admin_group_as_terraform_gives_it(service):
    module = Module(service)
    for function in module.functions():
        environment = module.resolve(function["environment_variables"])
        local = next(f for f in SERVICES[service].functions if f.name == function["function_name"])
        if "ADMIN_GROUP" in environment:
            assert environment["ADMIN_GROUP"] == "${data.aws_ssm_parameter.admin_group.insecure_value}"
            assert local.environment["ADMIN_GROUP"] == system.ADMIN_GROUP


@pytest.mark.parametrize("service", SERVICES)
def test_apis_publish_their_urls_in_the_same_parameter(service):
    """`make smoke` finds a deployed stage's APIs and the local cloud's by the same names."""
    (api,) = SERVICES[service].apis
    assert Module(service).module("../rest-api")["url_parameter_name"] == api.url_parameter
