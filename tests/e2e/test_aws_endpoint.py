"""The README's aws CLI example needs no AWS configuration: its variables are all an SDK needs
to reach the embedded AWS (here on the test cloud's port instead of 4566)."""

import os
import re
import shlex
import subprocess
import sys

from scripts.localcloud import system

README = (system.ROOT / "README.md").read_text()


def example() -> tuple[dict[str, str], list[list[str]]]:
    """The variables the README exports, and its aws commands (service, operation, options)."""
    exported = re.search(r"^export (AWS_.+)$", README, re.MULTILINE)
    assert exported, "the README exports the region and credentials for the aws CLI"
    variables = dict(pair.split("=", 1) for pair in shlex.split(exported.group(1)))
    commands = [
        shlex.split(line)[3:]
        for line in README.splitlines()
        if line.startswith("aws --endpoint-url http://localhost:4566 ")
    ]
    return variables, commands


def test_the_example_names_a_region_and_credentials_and_the_fixed_port():
    variables, commands = example()
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= set(variables)
    assert variables.get("AWS_DEFAULT_REGION", variables.get("AWS_REGION")) == system.REGION
    assert commands


# The aws CLI's command as boto3 calls it: `dynamodb scan --table-name T` is scan(TableName=T).
CALL = """
import sys, boto3
from botocore import xform_name
endpoint, service, operation, *options = sys.argv[1:]
parameters = {
    "".join(word.capitalize() for word in name.removeprefix("--").split("-")): value
    for name, value in zip(options[::2], options[1::2])
}
getattr(boto3.client(service, endpoint_url=endpoint), xform_name(operation.replace("-", "_")))(**parameters)
print("ok")
"""


def test_the_examples_commands_work_with_only_its_variables(cloud, tmp_path):
    variables, commands = example()
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)} | variables
    clean |= {
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
    }
    for arguments in commands:
        result = subprocess.run(
            [sys.executable, "-c", CALL, cloud.aws, *arguments],
            env=clean,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.strip() == "ok", (arguments, result.stderr)
