"""The build tests that need Lambda's Python (python3.13) get it here, or are skipped, saying why."""

import pytest

from scripts import lambda_python


@pytest.fixture(scope="session")
def lambda_python_313() -> lambda_python.Interpreter:
    found = lambda_python.find()
    if found is None:
        pytest.skip(
            f"no {lambda_python.RUNTIME} on this machine (LAMBDA_PYTHON, PATH, pyenv): the Lambda zips "
            "and their bytecode need one (pyenv install 3.13)"
        )
    return found
