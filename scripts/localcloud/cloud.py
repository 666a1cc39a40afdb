"""The local cloud: the embedded AWS, the functions from their built packages, API Gateway and
the event source mappings, put together in one process, on the ports and in the state
directory it holds (instance.py).

Start order: take the state directory and both ports (refusing before anything is touched),
put the saved AWS state back (persistence.py), serve the embedded AWS and create what
system.py declares in it, build the packages, start the functions, then the gateway and the
mappings. Stop order is the reverse, and the AWS state is saved last, when nothing calls it.
"""

import contextlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from scripts import lambda_python
from scripts.localcloud import instance, system
from scripts.localcloud.aws.resources import CreatedUserPool, provision
from scripts.localcloud.aws.server import EmbeddedAws
from scripts.localcloud.event_sources.dynamodb_stream import StreamEventSourceMapping
from scripts.localcloud.event_sources.sqs import SqsEventSourceMapping
from scripts.localcloud.functions import packages
from scripts.localcloud.functions.invocation import InvokeResult, error_payload
from scripts.localcloud.functions.pool import INIT_TIMEOUT, FunctionPool, PoolStopped
from scripts.localcloud.functions.variables import runtime_environment
from scripts.localcloud.gateway.authorizer import CognitoAuthorizer
from scripts.localcloud.gateway.docs import ApiDocs
from scripts.localcloud.gateway.routes import load_resources
from scripts.localcloud.gateway.server import ApiGateway
from scripts.localcloud.gateway.stage import Stage
from scripts.localcloud.logs import FunctionLogs
from scripts.localcloud.persistence import Persistence
from scripts.localcloud.reload import HotReload
from scripts.localcloud.xray.daemon import XRayDaemon
from scripts.localcloud.xray.store import TraceStore


class LocalCloud:
    def __init__(
        self,
        port: int = instance.DEFAULT_PORT,
        state_dir: Path | None = None,
        services: tuple[system.Service, ...] = system.SERVICES,
        console: Callable[[str], None] = print,
        redelivery_seconds: int | None = None,
        prepared: dict[str, Path] | None = None,
        aws_port: int = 0,
        persistence: Persistence | None = None,
        reload: bool = False,
    ):
        """`aws_port` 0 takes any free port; `persistence` None keeps nothing across runs;
        `reload` watches services/ for hot reloads."""
        self.port = port
        self.state_dir = state_dir or instance.state_dir(port)
        self.services = services
        self.console = console
        self.redelivery_seconds = redelivery_seconds
        self.prepared = prepared or {}  # package directories that need no build (the benchmark's baseline)
        self.persistence = persistence
        self.reload = reload
        self.mappings: list[SqsEventSourceMapping | StreamEventSourceMapping] = []
        self.traces = TraceStore(self.state_dir / "traces.jsonl")
        self.xray: XRayDaemon | None = None
        self.aws = EmbeddedAws(aws_port)
        self.pools: dict[str, FunctionPool] = {}
        self.packages: dict[str, Path] = {}  # package directory by package name
        self.gateway: ApiGateway | None = None
        self.user_pools: dict[str, CreatedUserPool] = {}
        self.state = ""  # what the console says of the AWS state at start
        self._lock = instance.StateLock(self.state_dir)
        self._runtime_dir: Path | None = None
        self._hot_reload: HotReload | None = None
        self._stopping = False
        self.logs = FunctionLogs(self.state_dir / "logs")

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def functions_dir(self) -> Path:
        return self.state_dir / "functions"

    def start(self) -> None:
        """instance.Refused, with nothing touched, when the state directory or a port is taken."""
        self._claim()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _claim(self) -> None:
        self._lock.acquire(self.port)
        try:
            self.gateway = ApiGateway(
                self.port, Stage([], self.invoke, self._docs(), self.console, self.traces.add)
            )
        except OSError as error:
            self._lock.release()
            raise instance.port_refused(self.port, "the APIs", "PORT", error) from None
        try:
            self.aws.bind()
        except OSError as error:
            self.gateway.server_close()
            self.gateway = None
            self._lock.release()
            raise instance.port_refused(self.aws.port, "the embedded AWS", "AWS_PORT", error) from None
        self.port = self.gateway.server_address[1]
        self._lock.record(port=self.port, aws_port=self.aws.port)

    def _docs(self) -> ApiDocs:
        return ApiDocs({s.name: api.openapi for s in self.services for api in s.apis})

    def _start(self) -> None:
        # From here on the state directory is this instance's. Each run starts with empty logs and traces.
        for directory in ("logs", "functions"):
            shutil.rmtree(self.state_dir / directory, ignore_errors=True)
            (self.state_dir / directory).mkdir(parents=True)
        self.traces.path.unlink(missing_ok=True)
        self.xray = XRayDaemon(self.traces)
        self.xray.start()
        if self.persistence:
            self.state = self.persistence.restore()
        self.aws.serve()
        self.console(lambda_python.local_summary())
        self.user_pools = provision(self.aws.endpoint, self.services, self.redelivery_seconds, self.console)
        functions = [f for s in self.services for f in s.functions]
        to_build = sorted({f.package for f in functions} - set(self.prepared))
        self._runtime_dir, built = packages.prepare(to_build, self.functions_dir, self.console)
        self.packages = built | self.prepared
        for function in functions:
            self.pools[function.name] = self._pool(function, self.packages[function.package])
            self.pools[function.name].start(warm=1)
        assert self.gateway is not None
        self.gateway.stage.resources = self._resources()
        self.gateway.start()
        self._publish_api_urls()
        sqs = self.aws.client("sqs")
        self.mappings = [
            SqsEventSourceMapping.declared(sqs, mapping, self.invoke, self.console)
            for mapping in (m for s in self.services for m in s.mappings)
        ]
        self.mappings += [
            StreamEventSourceMapping.declared(self.aws.client, mapping, self.invoke, self.console)
            for mapping in (m for s in self.services for m in s.stream_mappings)
        ]
        for mapping in self.mappings:
            mapping.start()
        self._write_endpoints()
        if self.persistence:
            self.persistence.start()
        if self.reload:
            self._hot_reload = HotReload(self, system.ROOT / "services")
            self._hot_reload.start()

    def _pool(self, function: system.Function, package_dir: Path) -> FunctionPool:
        assert self._runtime_dir is not None and self.xray is not None
        environment = runtime_environment(
            function, package_dir, self._runtime_dir, self.aws.endpoint, self.xray.address
        )
        return FunctionPool(
            function, package_dir, environment, self.logs.write, self.traces.add, self.console
        )

    def _resources(self) -> list:
        apis = tuple(api for s in self.services for api in s.apis)
        return load_resources(apis, self.authorizers())

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
        result = self.invocation(function, payload, trace_header)
        if result is None:
            return error_payload("Runtime.Unavailable", "The local cloud is stopping"), True
        return result.payload, result.error

    def invocation(self, function: str, payload: bytes, trace_header: str | None) -> InvokeResult | None:
        """The invocation's result from whichever pool serves `function`; None once stopping."""
        while True:
            try:
                return self.pools[function].invoke(payload, trace_header)
            except PoolStopped:
                if self._stopping:
                    return None
                time.sleep(0.01)  # replaced meanwhile (a reload, a recycle): the new pool takes it

    def replace(self, function: str, package_dir: Path) -> float | None:
        """Deploys `package_dir` as `function`'s code without a gap: a new environment starts,
        takes every invocation once initialised, and the old ones finish theirs, then stop.
        Returns the init duration in seconds, or None when the init failed."""
        old = self.pools[function]
        new = self._pool(old.function, package_dir)
        new.start(warm=1)
        initialised = new.wait_initialised(INIT_TIMEOUT + 5)
        self.pools[function] = new
        threading.Thread(target=old.drain, args=(old.function.timeout + INIT_TIMEOUT,), daemon=True).start()
        return new.init_durations[0] if initialised else None

    def reload_routes(self) -> None:
        assert self.gateway is not None
        try:
            self.gateway.stage.resources = self._resources()
        except Exception as error:  # a document being edited: keep the routes that work
            self.console(f"Routes not reloaded, the old ones stay: {error}")
            return
        self.console(f"Routes reloaded: {', '.join(r.path for r in self.gateway.stage.resources)}")

    def recycle(self, function: str, package_dir: Path | None = None, timeout: float = 60) -> float:
        """Replaces the function's execution environments with one new one, as after a deploy
        (from `package_dir` instead of its package, if given), and returns its init duration in
        seconds. The old ones stop first, so that nothing else runs during the init."""
        old = self.pools[function]
        old.stop()
        pool = self._pool(old.function, package_dir or self.packages[old.function.package])
        self.pools[function] = pool
        pool.start(warm=1)
        if not pool.wait_initialised(timeout):
            raise TimeoutError(f"{function} did not initialise in {timeout} s")
        return pool.init_durations[0]

    def wait_until_warm(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        for pool in list(self.pools.values()):
            pool.wait_initialised(max(0.0, deadline - time.monotonic()))

    def _publish_api_urls(self) -> None:
        """Each API's URL in the parameter where a deployed stage publishes its own (rest-api's
        url_parameter_name): `make smoke` finds either the same way."""
        ssm = self.aws.client("ssm")
        for api in (a for s in self.services for a in s.apis if a.url_parameter):
            ssm.put_parameter(Name=api.url_parameter, Value=self.api_url, Type="String", Overwrite=True)

    def _write_endpoints(self) -> None:
        assert self.xray is not None
        endpoints = {
            "api": self.api_url,
            "aws": self.aws.endpoint,
            "region": system.REGION,
            "logs": str(self.state_dir / "logs"),
            "traces": str(self.traces.path),
            "xray_daemon": self.xray.address,
            "user_pools": {name: vars(pool) for name, pool in self.user_pools.items()},
            "pid": os.getpid(),
        }
        (self.state_dir / instance.ENDPOINTS).write_text(json.dumps(endpoints, indent=2))

    def stop(self) -> None:
        """Stops what was started, in reverse order; safe after a partial start."""
        self._stopping = True
        if self._hot_reload is not None:
            self._hot_reload.stop()
        if self.gateway is not None:
            with contextlib.suppress(OSError):
                self.gateway.stop()
        for mapping in self.mappings:
            mapping.stop()
        for pool in self.pools.values():
            pool.stop()
        if self.persistence:
            saved = self.persistence.stop()
            if saved:
                self.console(saved)
        self.aws.stop()
        if self.xray is not None:
            self.xray.stop()
        self.logs.close()
        self._lock.release()
