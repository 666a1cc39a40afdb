"""The bytecode in the packages: what scripts/bytecode.py compiles, and that the functions' init
on Lambda's Python loads it without compiling anything, with readable tracebacks."""

import json
import marshal
import os
import shutil
import subprocess
import traceback
import types

import pytest

from scripts import build, bytecode, lambda_python
from scripts.localcloud import system
from scripts.localcloud.functions.packages import extract
from scripts.localcloud.functions.runtime import ensure_runtime

SAMPLE = b'''"""The module's docstring."""
from __future__ import annotations


class Documented:
    """Kept: pydantic and dataclasses read class docstrings."""


def documented():
    """Dropped."""
    return 1


def only_a_docstring():
    """Its body becomes `pass`."""


def checks(value):
    assert value, "asserts stay"
    raise ValueError(value)
'''


def load(pyc: bytes, name: str = "sample") -> types.ModuleType:
    module = types.ModuleType(name)
    exec(marshal.loads(pyc[16:]), module.__dict__)
    return module


def test_module_and_function_docstrings_go_and_class_docstrings_asserts_and_lines_stay():
    module = load(bytecode.pyc(SAMPLE, "/var/task/sample.py", strip=True))
    assert module.__doc__ is None and module.documented.__doc__ is None
    assert module.documented() == 1 and module.only_a_docstring() is None
    assert module.Documented.__doc__ == "Kept: pydantic and dataclasses read class docstrings."
    with pytest.raises(AssertionError, match="asserts stay"):
        module.checks(0)
    with pytest.raises(ValueError) as raised:
        module.checks(1)
    frame = traceback.extract_tb(raised.tb)[-1]
    assert (frame.filename, frame.lineno) == ("/var/task/sample.py", 20)  # the line in the source


def test_without_strip_the_code_is_what_the_source_says():
    module = load(bytecode.pyc(SAMPLE, "sample.py", strip=False))
    assert module.__doc__ == "The module's docstring." and module.documented.__doc__ == "Dropped."


def test_the_header_is_unchecked_hash_based_and_the_same_source_gives_the_same_bytes():
    import importlib.util

    first, second = bytecode.pyc(SAMPLE, "a.py", strip=True), bytecode.pyc(SAMPLE, "a.py", strip=True)
    assert first == second
    assert first[:4] == importlib.util.MAGIC_NUMBER
    assert first[4:8] == b"\x01\x00\x00\x00"  # hash-based, check_source off (PEP 552)
    assert first[8:16] == importlib.util.source_hash(SAMPLE)


@pytest.fixture(scope="module")
def packages(lambda_python_313, tmp_path_factory) -> dict[str, object]:
    """Each service's local build (the Lambda zip's layout and bytecode, with this machine's
    wheels), extracted and made read-only, as /var/task is."""
    root = tmp_path_factory.mktemp("task")
    found = {}
    for service in build.services():
        package = extract(build.build(service, "local").path, root / service)
        shutil.copyfile(system.ROOT / "scripts" / "bench" / "probe.py", package / "probe.py")
        for directory, _, _ in os.walk(package):
            os.chmod(directory, 0o555)
        found[service] = package
    yield found
    for directory, _, _ in os.walk(root):
        os.chmod(directory, 0o755)


def run_in(package, handler: str, code: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """`code` run by the local interpreter (python3.13) in `package`, with the Lambda runtime's
    packages, the function's environment, and no bytecode written (as on Lambda)."""
    return subprocess.run(
        [str(lambda_python.local().path), "-S", "-c", code],
        cwd=package,
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": f"{package}{os.pathsep}{ensure_runtime()}",
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_REGION": system.REGION,
            "AWS_DEFAULT_REGION": system.REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_LAMBDA_FUNCTION_NAME": "bytecode-test",  # Powertools' Tracer patches botocore, as in Lambda
            "LAMBDA_TASK_ROOT": str(package),
            "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:9",
            "BENCH_HANDLER": handler,
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


FUNCTIONS = [f for s in system.SERVICES for f in s.functions]


@pytest.mark.parametrize("function", FUNCTIONS, ids=[f.name for f in FUNCTIONS])
def test_a_functions_init_on_python313_compiles_nothing(packages, function):
    """scripts/bench/probe.py counts every compile from source (SourceLoader.source_to_code
    runs only when a module has no usable bytecode) while the handler module is imported."""
    probe = "import json, probe; print(json.dumps(probe.lambda_handler({'benchProbe': True}, None)))"
    result = run_in(packages[function.package], function.handler, probe, function.environment)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["init_compiled"] == []
    assert {"pydantic.main", "aws_lambda_powertools", function.handler.rsplit(".", 1)[0]} <= set(
        found["modules"]
    )


def test_tracebacks_show_our_source_lines_and_where_a_dependency_runs_on_lambda(packages):
    code = (
        "import traceback\n"
        "from pydantic import TypeAdapter\n"
        "from product.settings import Settings\n"
        "from shop_common.settings import load_settings\n"
        "try:\n    load_settings(Settings, {})\nexcept RuntimeError:\n    traceback.print_exc()\n"
        "try:\n    TypeAdapter(int).validate_python('x')\nexcept Exception:\n    traceback.print_exc()\n"
    )
    product = system.PRODUCT.functions[0]
    result = run_in(packages["product"], product.handler, code, {})
    ours = f'File "{packages["product"]}/shop_common/settings.py", line 17, in load_settings'
    assert ours in result.stderr
    assert 'raise RuntimeError(f"Invalid configuration: {problems}") from None' in result.stderr
    assert 'File "/var/task/pydantic/type_adapter.py", line ' in result.stderr
