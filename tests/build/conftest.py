"""The build tests that need Lambda's Python (python3.13) get it here, or are skipped, saying why."""

import pytest

from scripts import lambda_python


@pytest.fixture(scope="session")
def lambda_python_313() -> lambda_python.Interpreter:
    try:
        return lambda_python.require()
    except lambda_python.NoLambdaPython as missing:
        pytest.skip(f"the Lambda zips and their bytecode need Lambda's Python: {missing}")
