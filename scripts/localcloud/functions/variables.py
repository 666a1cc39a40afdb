"""What Lambda tells a function about itself: its environment variables and its ARN."""

import os
from pathlib import Path

from scripts.localcloud import system


def function_arn(function_name: str) -> str:
    return f"arn:aws:lambda:{system.REGION}:{system.ACCOUNT}:function:{function_name}"


def runtime_environment(
    function: system.Function,
    package_dir: Path,
    runtime_dir: Path,
    aws_endpoint: str,
    xray_daemon: str | None,
) -> dict[str, str]:
    """The environment variables Lambda sets, plus the function's own, pointed at the local cloud."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TZ": ":UTC",
        "PYTHONPATH": f"{package_dir}{os.pathsep}{runtime_dir}",
        "PYTHONUNBUFFERED": "1",
        "LAMBDA_TASK_ROOT": str(package_dir),
        "LAMBDA_RUNTIME_DIR": str(runtime_dir),
        "_HANDLER": function.handler,
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
        "AWS_LAMBDA_LOG_FORMAT": "JSON",
        "AWS_LAMBDA_LOG_LEVEL": "INFO",
        "AWS_REGION": system.REGION,
        "AWS_DEFAULT_REGION": system.REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_ENDPOINT_URL": aws_endpoint,
        **function.environment,
    }
    if xray_daemon:
        environment["AWS_XRAY_DAEMON_ADDRESS"] = xray_daemon
    return environment
