"""Structural checks on the parsed Terraform: each test asserts one property everywhere, so that a
resource added to any module is held to it, or compares Terraform with the Python sources.

A module's own contract (a function's tracing and logs, a stage's tracing and access logs, ...)
is stated by its terraform test files (terraform/modules/*/tests/*.tftest.hcl), run by
tests/terraform/test_terraform.py."""

import re
from pathlib import Path

from tests.terraform.conftest import ENVIRONMENTS

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"
LIVE = TERRAFORM / "live"

# The functions' entry points; `make build` packages services/<svc>/<svc>/ into dist/<svc>.zip.
HANDLERS = {
    "product.handler.lambda_handler",
    "product.stream.lambda_handler",
    "basket.handler.lambda_handler",
    "basket.replica_consumer.lambda_handler",
    "order.handler.lambda_handler",
    "order.consumer.lambda_handler",
}


SERVICES = ("product", "basket", "order")

# The building blocks that create alarms; every call must say whom they notify.
ALARMING_MODULES = ("lambda-function", "rest-api", "eventing/modules/subscription")

# Written by the monitoring module, read by the services (unless given alarm_topic_arn).
ALARM_TOPIC_PARAMETER = "/${var.prefix}/${var.environment}/monitoring/alarm-topic-arn"


def _offenders(message: str, offenders: list[str]) -> str:
    return message + ":\n  " + "\n  ".join(offenders)


def test_lambda_handlers_are_the_packaged_entry_points(tf):
    handlers = {
        block.body["handler"]
        for block in tf.blocks("module")
        if isinstance(block.body.get("handler"), str) and "lambda-function" in block.body.get("source", "")
    }
    assert handlers == HANDLERS, (
        f"handlers in terraform/modules: {sorted(handlers)}, expected {sorted(HANDLERS)}"
    )


def test_lambda_handlers_exist_in_the_service_sources():
    missing = []
    for handler in sorted(HANDLERS):
        package, module, function = handler.split(".")
        source = REPO / "services" / package / package / f"{module}.py"
        if not source.is_file() or not re.search(rf"^def {function}\(", source.read_text(), re.MULTILINE):
            missing.append(f"{handler}: no `def {function}(` in {source.relative_to(REPO)}")
    assert not missing, _offenders("handlers that the packages would not hold", missing)


def test_dynamodb_tables_have_pitr_and_sse(tf):
    tables = tf.resources("aws_dynamodb_table")
    assert tables, "no aws_dynamodb_table found"
    bad = [
        t.address
        for t in tables
        if t.first("point_in_time_recovery").get("enabled") is not True
        or t.first("server_side_encryption").get("enabled") is not True
    ]
    assert not bad, _offenders("point_in_time_recovery and server_side_encryption must be enabled", bad)


def test_sqs_queues_are_encrypted(tf):
    queues = tf.resources("aws_sqs_queue")
    assert queues, "no aws_sqs_queue found"
    bad = [
        q.address
        for q in queues
        if q.body.get("sqs_managed_sse_enabled") is not True and not q.body.get("kms_master_key_id")
    ]
    assert not bad, _offenders("sqs_managed_sse_enabled = true (or a KMS key) required", bad)


def test_event_source_mappings_report_batch_item_failures(tf):
    mappings = tf.resources("aws_lambda_event_source_mapping")
    assert mappings, "no aws_lambda_event_source_mapping found"
    bad = [
        m.address for m in mappings if m.body.get("function_response_types") != ["ReportBatchItemFailures"]
    ]
    assert not bad, _offenders('function_response_types = ["ReportBatchItemFailures"] required', bad)


COMPONENTS = ("eventing", "monitoring", "identity", *SERVICES)


def test_live_roots_are_one_per_component_with_each_environments_files(tf):
    assert {"dev", "prod"} <= set(ENVIRONMENTS), ENVIRONMENTS
    roots = {root.name for root in tf.live_roots()}
    assert roots == set(COMPONENTS), f"terraform/live/<component>/ roots: {sorted(roots)}"
    bad = []
    for root in tf.live_roots():
        expected = {f"{env}.{kind}" for env in ENVIRONMENTS for kind in ("tfvars", "backend.hcl")}
        found = {path.name for path in (root / "envs").glob("*")}
        if found != expected:
            bad.append(f"{root.relative_to(REPO)}/envs: {sorted(found)}, expected {sorted(expected)}")
    assert not bad, _offenders(
        "each root needs envs/<env>.tfvars and envs/<env>.backend.hcl, nothing else", bad
    )


def test_each_environments_values_name_that_environment(tf):
    bad = []
    for root in tf.live_roots():
        for env in ENVIRONMENTS:
            values = root / "envs" / f"{env}.tfvars"
            named = re.findall(r'^environment\s*=\s*"([^"]*)"', values.read_text(), re.MULTILINE)
            if named != [env]:
                bad.append(f"{values.relative_to(REPO)}: environment = {named}")
    assert not bad, _offenders('envs/<env>.tfvars must set environment = "<env>"', bad)


def test_live_roots_use_a_partial_s3_backend(tf):
    bad = []
    for root in tf.live_roots():
        terraform_blocks = tf.files[root / "main.tf"].get("terraform", [])
        backends = [label for t in terraform_blocks for b in t.get("backend", []) for label in b]
        if backends != ["s3"]:
            bad.append(f"{root.relative_to(REPO)}/main.tf: backends {backends}")
    assert not bad, _offenders('each live root needs exactly one backend "s3" {} block', bad)


def test_each_environments_state_has_its_own_key(tf):
    """<env>/<component>/terraform.tfstate: unique, and what a deploy role per environment and
    component can be limited to."""
    bad = []
    for root in tf.live_roots():
        for env in ENVIRONMENTS:
            backend = root / "envs" / f"{env}.backend.hcl"
            keys = re.findall(r'^\s*key\s*=\s*"([^"]+)"', backend.read_text(), re.MULTILINE)
            if keys != [f"{env}/{root.name}/terraform.tfstate"]:
                bad.append(f"{backend.relative_to(REPO)}: key {keys}")
    assert not bad, _offenders(
        'envs/<env>.backend.hcl needs key = "<env>/<component>/terraform.tfstate"', bad
    )


def test_live_roots_guard_their_state_against_another_environments_values(tf):
    bad = []
    for root in tf.live_roots():
        calls = [c for c in _module_calls(tf, "environment-guard") if c.path.parent == root]
        if [c.body.get("environment") for c in calls] != ["${var.environment}"]:
            bad.append(f"{root.relative_to(REPO)}/main.tf")
    assert not bad, _offenders("live roots must call modules/environment-guard with var.environment", bad)


def test_modules_have_the_standard_files():
    modules = sorted({p.parent for p in (TERRAFORM / "modules").rglob("*.tf")})
    assert modules, "no module under terraform/modules"
    standard = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
    bad = [
        f"{module.relative_to(REPO)}: no {name}"
        for module in modules
        for name in standard
        if not (module / name).is_file()
    ]
    assert not bad, _offenders(
        "modules need main.tf, variables.tf, outputs.tf, versions.tf and README.md", bad
    )


def test_variables_have_description_and_type(tf):
    bad = [v.address for v in tf.blocks("variable") if not v.body.get("description") or "type" not in v.body]
    assert not bad, _offenders("variables without a description or a type", bad)


def test_no_terraform_remote_state():
    bad = [
        str(path.relative_to(REPO))
        for path in sorted(TERRAFORM.rglob("*.tf"))
        if "terraform_remote_state" in path.read_text()
    ]
    assert not bad, _offenders("shared values come from SSM parameters, not terraform_remote_state", bad)


def _empty(value) -> bool:
    return value in (None, "", [], "${[]}")


def _module_calls(tf, module: str) -> list:
    """The module blocks whose source is terraform/modules/<module>."""
    return [
        block
        for block in tf.blocks("module")
        if isinstance(block.body.get("source"), str)
        and (block.path.parent / block.body["source"]).resolve() == (TERRAFORM / "modules" / module).resolve()
    ]


def test_metric_alarms_notify_on_alarm_and_on_ok(tf):
    alarms = tf.resources("aws_cloudwatch_metric_alarm")
    assert alarms, "no aws_cloudwatch_metric_alarm found"
    bad = [
        a.address for a in alarms if _empty(a.body.get("alarm_actions")) or _empty(a.body.get("ok_actions"))
    ]
    assert not bad, _offenders("alarm_actions and ok_actions must not be empty", bad)


def test_metric_alarms_treat_missing_data_as_not_breaching(tf):
    bad = [
        a.address
        for a in tf.resources("aws_cloudwatch_metric_alarm")
        if a.body.get("treat_missing_data") != "notBreaching"
    ]
    assert not bad, _offenders(
        'treat_missing_data = "notBreaching" required (an idle environment is OK)', bad
    )


def test_metric_alarms_have_a_description(tf):
    bad = [
        a.address
        for a in tf.resources("aws_cloudwatch_metric_alarm")
        if len(str(a.body.get("alarm_description") or "")) < 80
    ]
    assert not bad, _offenders("alarm_description must say what happened and what to do", bad)


def test_alarming_modules_require_alarm_actions(tf):
    variables = {v.path.parent: v for v in tf.blocks("variable") if v.labels[0] == "alarm_actions"}
    bad = []
    for module in ALARMING_MODULES:
        variable = variables.get(TERRAFORM / "modules" / module)
        if variable is None:
            bad.append(f"terraform/modules/{module}: no variable alarm_actions")
        elif "default" in variable.body:
            bad.append(f"{variable.address}: has a default")
    assert not bad, _offenders("alarming modules need a variable alarm_actions without a default", bad)


def test_lambda_function_rest_api_and_subscription_calls_pass_alarm_actions(tf):
    calls = [call for module in ALARMING_MODULES for call in _module_calls(tf, module)]
    assert {c.body["source"].rsplit("/", 1)[-1] for c in calls} == {
        "lambda-function",
        "rest-api",
        "subscription",
    }
    bad = [c.address for c in calls if _empty(c.body.get("alarm_actions"))]
    assert not bad, _offenders("module calls without alarm_actions", bad)


def test_the_monitoring_root_calls_the_monitoring_module(tf):
    root = LIVE / "monitoring"
    assert root in tf.live_roots(), f"{root.relative_to(REPO)}: no main.tf"
    assert [c for c in _module_calls(tf, "monitoring") if c.path.parent == root], (
        "no call of modules/monitoring"
    )


def test_service_roots_pass_or_read_an_alarm_topic(tf):
    reads_the_parameter = {
        block.path.parent.resolve()
        for block in tf.blocks("data")
        if block.labels[0] == "aws_ssm_parameter" and block.body.get("name") == ALARM_TOPIC_PARAMETER
    }
    bad = []
    for service in SERVICES:
        calls = [c for c in _module_calls(tf, service) if c.path.parent == LIVE / service]
        if not calls:
            bad.append(f"terraform/live/{service}: no call of modules/{service}")
        for call in calls:
            passes = "alarm_topic_arn" in call.body
            reads = (call.path.parent / call.body["source"]).resolve() in reads_the_parameter
            if not (passes or reads):
                bad.append(f"{call.address}: no alarm_topic_arn, and the module does not read it")
    assert not bad, _offenders("service roots whose alarms would notify nobody", bad)


def test_the_dashboard_shows_every_metric_the_services_publish():
    published = {
        (source.relative_to(REPO), name)
        for source in sorted(REPO.glob("services/*/*/*.py"))
        for name in re.findall(r"add_metric\(\s*name=\"(\w+)\"", source.read_text())
    }
    assert published, "no add_metric(name=...) found under services/"
    dashboard = "\n".join(p.read_text() for p in sorted((TERRAFORM / "modules" / "monitoring").glob("*.tf")))
    bad = [f"{source}: {name}" for source, name in sorted(published) if f'"{name}"' not in dashboard]
    assert not bad, _offenders("EMF metrics missing from the dashboard in terraform/modules/monitoring", bad)


def test_every_role_a_module_makes_carries_a_permissions_boundary(tf):
    """The deploy roles may create roles only with the environment's boundary (terraform/bootstrap,
    whose own deploy roles are made by an administrator and are exempt)."""
    roles = [r for r in tf.resources("aws_iam_role") if (TERRAFORM / "modules") in r.path.parents]
    assert roles, "no aws_iam_role in terraform/modules"
    bad = [r.address for r in roles if not str(r.body.get("permissions_boundary") or "").startswith("${")]
    assert not bad, _offenders("permissions_boundary = <the environment's boundary ARN> required", bad)


def test_every_function_publishes_versions(tf):
    functions = tf.resources("aws_lambda_function")
    assert functions, "no aws_lambda_function found"
    bad = [f.address for f in functions if f.body.get("publish") is not True]
    assert not bad, _offenders("publish = true required: callers invoke an alias of a published version", bad)


def test_only_the_codedeploy_alias_leaves_its_version_to_codedeploy(tf):
    """lifecycle cannot be conditional: lambda-function has one alias resource per owner, and only
    the one CodeDeploy owns ignores the version and the weights that CodeDeploy moves."""
    ignored = {
        a.labels[1]: sorted(a.first("lifecycle").get("ignore_changes", []))
        for a in tf.resources("aws_lambda_alias")
    }
    assert ignored == {
        "moved_by_terraform": [],
        "moved_by_codedeploy": ["function_version", "routing_config"],
    }


def test_event_source_mappings_invoke_an_alias(tf):
    mappings = tf.resources("aws_lambda_event_source_mapping")
    bad = [m.address for m in mappings if not str(m.body.get("function_name")).endswith(".alias_arn}")]
    assert not bad, _offenders(
        "function_name = module.<function>.alias_arn required (what CodeDeploy shifts)", bad
    )


def test_live_providers_accept_only_their_environments_account(tf):
    bad = []
    for root in tf.live_roots():
        (provider,) = tf.files[root / "main.tf"]["provider"]
        if provider["aws"].get("allowed_account_ids") != ["${var.account_id}"]:
            bad.append(f"{root.relative_to(REPO)}/main.tf")
        for env in ENVIRONMENTS:
            values = root / "envs" / f"{env}.tfvars"
            if not re.search(r'^account_id\s*=\s*"[0-9]{12}"', values.read_text(), re.MULTILINE):
                bad.append(f"{values.relative_to(REPO)}: no account_id of 12 digits")
    assert not bad, _offenders(
        "allowed_account_ids = [var.account_id], account_id in each envs/<env>.tfvars", bad
    )
