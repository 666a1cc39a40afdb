"""Structural checks on the parsed Terraform: each test asserts one property everywhere."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"
LIVE = TERRAFORM / "live"

# The functions' entry points; `make build` packages services/<svc>/<svc>/ into dist/<svc>.zip.
HANDLERS = {
    "product.handler.lambda_handler",
    "basket.handler.lambda_handler",
    "order.handler.lambda_handler",
    "order.consumer.lambda_handler",
}


def _offenders(message: str, offenders: list[str]) -> str:
    return message + ":\n  " + "\n  ".join(offenders)


def test_lambda_functions_have_active_tracing(tf):
    functions = tf.resources("aws_lambda_function")
    assert functions, "no aws_lambda_function found"
    bad = [f.address for f in functions if f.first("tracing_config").get("mode") != "Active"]
    assert not bad, _offenders('tracing_config { mode = "Active" } missing', bad)


def test_lambda_functions_run_python313_on_arm64(tf):
    bad = [
        f.address
        for f in tf.resources("aws_lambda_function")
        if f.body.get("runtime") != "python3.13" or f.body.get("architectures") != ["arm64"]
    ]
    assert not bad, _offenders('runtime must be "python3.13" and architectures ["arm64"]', bad)


def test_lambda_functions_log_json_to_their_log_group(tf):
    bad = [
        f.address
        for f in tf.resources("aws_lambda_function")
        if f.first("logging_config").get("log_format") != "JSON"
        or not f.first("logging_config").get("log_group")
    ]
    assert not bad, _offenders('logging_config { log_format = "JSON", log_group = ... } missing', bad)


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


def test_api_stages_trace_and_log_access(tf):
    stages = tf.resources("aws_api_gateway_stage")
    assert stages, "no aws_api_gateway_stage found"
    bad = [
        s.address
        for s in stages
        if s.body.get("xray_tracing_enabled") is not True or not s.first("access_log_settings").get("format")
    ]
    assert not bad, _offenders("xray_tracing_enabled = true and access_log_settings required", bad)


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


def test_live_roots_cover_every_environment_and_component(tf):
    roots = {str(root.relative_to(LIVE)) for root in tf.live_roots()}
    expected = {f"{env}/{c}" for env in ("dev", "prod") for c in ("eventing", "product", "basket", "order")}
    assert expected <= roots, f"missing live roots: {sorted(expected - roots)}"


def test_live_roots_use_a_partial_s3_backend(tf):
    bad = []
    for root in tf.live_roots():
        terraform_blocks = tf.files[root / "main.tf"].get("terraform", [])
        backends = [label for t in terraform_blocks for b in t.get("backend", []) for label in b]
        if backends != ["s3"]:
            bad.append(f"{root.relative_to(REPO)}/main.tf: backends {backends}")
    assert not bad, _offenders('each live root needs exactly one backend "s3" {} block', bad)


def test_live_roots_have_backend_hcl_with_unique_keys(tf):
    keys: dict[str, list[str]] = {}
    bad = []
    for root in tf.live_roots():
        name = str(root.relative_to(REPO))
        backend_hcl = root / "backend.hcl"
        if not backend_hcl.is_file():
            bad.append(f"{name}: no backend.hcl")
            continue
        key = re.search(r'^\s*key\s*=\s*"([^"]+)"', backend_hcl.read_text(), re.MULTILINE)
        if not key:
            bad.append(f"{name}/backend.hcl: no key")
            continue
        keys.setdefault(key.group(1), []).append(name)
    bad += [f"key {key} used by {roots}" for key, roots in keys.items() if len(roots) > 1]
    assert not bad, _offenders("every live root needs a backend.hcl with its own state key", bad)


def test_live_roots_have_tfvars(tf):
    bad = [
        str(root.relative_to(REPO)) for root in tf.live_roots() if not (root / "terraform.tfvars").is_file()
    ]
    assert not bad, _offenders("live roots without terraform.tfvars", bad)


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
