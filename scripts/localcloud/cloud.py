"""The local cloud: embedded AWS, the functions from their built packages, and API Gateway."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scripts import build
from scripts.localcloud import system
from scripts.localcloud.authorizer import CognitoAuthorizer
from scripts.localcloud.aws import CreatedUserPool, EmbeddedAws, queue_arn
from scripts.localcloud.docs import ApiDocs
from scripts.localcloud.esm import SqsEventSourceMapping
from scripts.localcloud.functions import FunctionPool, runtime_environment
from scripts.localcloud.gateway import ApiGateway, load_resources
from scripts.localcloud.stream_mapping import StreamEventSourceMapping
from scripts.localcloud.xray import TraceStore, XRayDaemon

RUNTIME_REQUIREMENTS = Path(__file__).with_name("runtime-requirements.txt")
RUNTIME_DIR = system.ROOT / ".build" / "runtime"


def ensure_runtime(directory: Path = RUNTIME_DIR) -> Path:
    """Installs what the Lambda runtime provides (awslambdaric, boto3) for this interpreter, once."""
    expected = hashlib.sha256(RUNTIME_REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()
    stamp = directory / ".inputs"
    if stamp.exists() and stamp.read_text() == expected:
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-qq",
            "--disable-pip-version-check",
            "--no-deps",
            "--target",
            str(directory),
            "-r",
            str(RUNTIME_REQUIREMENTS),
        ],
        check=True,
    )
    stamp.write_text(expected)
    return directory


def extract(package: Path, directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(directory)
    return directory


class LocalCloud:
    def __init__(
        self,
        port: int = 3000,
        state_dir: Path = system.ROOT / ".localcloud",
        services: tuple[system.Service, ...] = system.SERVICES,
        console: Callable[[str], None] = print,
        redelivery_seconds: int | None = None,
        prepared: dict[str, Path] | None = None,
    ):
        self.port = port
        self.state_dir = state_dir
        self.services = services
        self.console = console
        self.redelivery_seconds = redelivery_seconds
        self.prepared = prepared or {}  # package directories that need no build (the benchmark's baseline)
        self.mappings: list[SqsEventSourceMapping | StreamEventSourceMapping] = []
        self.traces = TraceStore(state_dir / "traces.jsonl")
        self.xray = XRayDaemon(self.traces)
        self.aws = EmbeddedAws()
        self.pools: dict[str, FunctionPool] = {}
        self.packages: dict[str, Path] = {}  # package directory by package name
        self.gateway: ApiGateway | None = None
        self.user_pools: dict[str, CreatedUserPool] = {}
        self._log_files: dict[str, Any] = {}
        self._log_lock = threading.Lock()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # Each run starts with empty logs and traces.
        shutil.rmtree(self.state_dir / "logs", ignore_errors=True)
        (self.state_dir / "logs").mkdir(parents=True)
        self.traces.path.unlink(missing_ok=True)
        self.xray.start()
        self.aws.start()
        self.user_pools = self.aws.provision(self.services, self.redelivery_seconds)
        functions = [f for s in self.services for f in s.functions]
        with ThreadPoolExecutor(max_workers=4) as pool:
            runtime = pool.submit(ensure_runtime)
            to_build = sorted({f.package for f in functions} - set(self.prepared))
            builds = {p: pool.submit(build.build, p, "local") for p in to_build}
            runtime_dir = runtime.result()
            packages = {
                p: extract(b.result().path, self.state_dir / "functions" / p) for p, b in builds.items()
            } | self.prepared
        self.packages = packages
        for function in functions:
            environment = runtime_environment(
                function, packages[function.package], runtime_dir, self.aws.endpoint, self.xray.address
            )
            self.pools[function.name] = FunctionPool(
                function, packages[function.package], environment, self._log, self.traces.add
            )
            self.pools[function.name].start(warm=1)
        apis = tuple(api for s in self.services for api in s.apis)
        resources = load_resources(apis, self.authorizers())
        docs = ApiDocs({s.name: api.openapi for s in self.services for api in s.apis})
        self.gateway = ApiGateway(self.port, resources, self.invoke, self.console, self.traces.add, docs)
        self.port = self.gateway.server_address[1]
        self.gateway.start()
        sqs = self.aws.client("sqs")
        for mapping in (m for s in self.services for m in s.mappings):
            self.mappings.append(
                SqsEventSourceMapping(
                    sqs,
                    sqs.get_queue_url(QueueName=mapping.queue)["QueueUrl"],
                    queue_arn(mapping.queue),
                    lambda payload, trace, function=mapping.function: self.invoke(function, payload, trace),
                    batch_size=mapping.batch_size,
                    batching_window=mapping.batching_window,
                    max_concurrency=mapping.max_concurrency,
                    log=self.console,
                    name=mapping.function,
                )
            )
        for spec in (m for s in self.services for m in s.stream_mappings):
            self.mappings.append(self.stream_mapping(spec))
        for mapping in self.mappings:
            mapping.start()
        self._write_endpoints()

    def stream_mapping(self, spec: system.StreamMapping) -> StreamEventSourceMapping:
        table = self.aws.client("dynamodb").describe_table(TableName=spec.table)["Table"]
        sqs = self.aws.client("sqs")
        return StreamEventSourceMapping(
            self.aws.client("dynamodbstreams"),
            sqs,
            table["LatestStreamArn"],
            lambda payload, trace, function=spec.function: self.invoke(function, payload, trace),
            function=spec.function,
            on_failure_url=sqs.get_queue_url(QueueName=spec.on_failure)["QueueUrl"],
            batch_size=spec.batch_size,
            bisect=spec.bisect,
            max_retries=spec.max_retries,
            max_record_age=spec.max_record_age,
            log=self.console,
        )

    def authorizers(self) -> dict[str, CognitoAuthorizer]:
        """A Cognito authorizer per user pool, reading the pool's keys from the embedded AWS."""
        return {
            name: CognitoAuthorizer(
                system.REGION,
                pool.id,
                [pool.client_id],
                f"{self.aws.endpoint}/{pool.id}/.well-known/jwks.json",
            )
            for name, pool in self.user_pools.items()
        }

    def invoke(self, function: str, payload: bytes, trace_header: str | None = None) -> tuple[bytes, bool]:
        result = self.pools[function].invoke(payload, trace_header)
        return result.payload, result.error

    def recycle(self, function: str, package_dir: Path | None = None, timeout: float = 60) -> float:
        """Replaces the function's execution environments with one new one, as after a deploy
        (from `package_dir` instead of its package, if given), and returns its init duration in
        seconds."""
        old = self.pools[function]
        old.stop()
        package_dir = package_dir or self.packages[old.function.package]
        runtime_dir = old.environment["LAMBDA_RUNTIME_DIR"]
        environment = old.environment | {
            "PYTHONPATH": f"{package_dir}{os.pathsep}{runtime_dir}",
            "LAMBDA_TASK_ROOT": str(package_dir),
        }
        pool = FunctionPool(old.function, package_dir, environment, self._log, self.traces.add)
        self.pools[function] = pool
        pool.start(warm=1)
        deadline = time.monotonic() + timeout
        while not pool.init_durations:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{function} did not initialise in {timeout} s")
            time.sleep(0.002)
        return pool.init_durations[0]

    def wait_until_warm(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while any(not p.init_durations for p in self.pools.values()) and time.monotonic() < deadline:
            time.sleep(0.05)

    def _log(self, function: str, line: str) -> None:
        with self._log_lock:
            file = self._log_files.get(function)
            if file is None:
                file = self._log_files[function] = open(self.state_dir / "logs" / f"{function}.log", "a")  # noqa: SIM115
            file.write(line + "\n")
            file.flush()

    def _write_endpoints(self) -> None:
        endpoints = {
            "api": self.api_url,
            "aws": self.aws.endpoint,
            "region": system.REGION,
            "logs": str(self.state_dir / "logs"),
            "traces": str(self.traces.path),
            "xray_daemon": self.xray.address,
            "user_pools": {name: vars(pool) for name, pool in self.user_pools.items()},
        }
        (self.state_dir / "endpoints.json").write_text(json.dumps(endpoints, indent=2))

    def stop(self) -> None:
        if self.gateway is not None:
            self.gateway.stop()
        for mapping in self.mappings:
            mapping.stop()
        for pool in self.pools.values():
            pool.stop()
        self.aws.stop()
        self.xray.stop()
        for file in self._log_files.values():
            file.close()
