"""`make invoke` beside a running local cloud: the function runs against its AWS, so what it
writes is there for the APIs, and its trace is in the cloud's `make traces`."""

import json
import subprocess
import sys

from scripts.localcloud import system
from scripts.localcloud.invoke import EVENTS
from tests.e2e.conftest import eventually


def test_an_invocation_uses_the_running_clouds_aws_and_traces(cloud, http):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.localcloud.invoke",
            "product",
            str(EVENTS / "product" / "create-product.json"),
            "--state-dir",
            str(cloud.state),
        ],
        cwd=system.ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    port = cloud.api.rsplit(":", 1)[1]
    assert f"against the local cloud running on port {port}" in result.stderr
    answer = json.loads(result.stdout)
    assert answer["statusCode"] == 201
    created = json.loads(answer["body"])
    assert http.get(f"/product/{created['id']}").json()["name"] == created["name"]
    request_id = next(
        json.loads(line)["record"]["requestId"]
        for line in result.stderr.splitlines()
        if '"type": "platform.report"' in line
    )

    def traced():
        """the function's segment is in the cloud's traces"""
        return request_id in (cloud.state / "traces.jsonl").read_text()

    eventually(traced)
