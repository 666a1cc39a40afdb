"""`make fuzz`: schemathesis against every operation of every service on the local cloud.

    python -m scripts.fuzz [--api URL] [--max-examples N] [--seed N] [SERVICE ...]

Without --api it starts a local cloud of its own and stops it at the end. Each service's
committed openapi.yaml drives positive and negative cases (examples, coverage, fuzzing and
stateful phases) with the checks below; tests/e2e/test_fuzz.py runs a bounded share of the
same inside `make test`. The reports go to .fuzz/<service>/.

This module is also schemathesis' hooks module (SCHEMATHESIS_HOOKS=scripts.fuzz): importing it
registers the `no_internals` check.
"""

import argparse
import ast
import functools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import schemathesis

from scripts.deploy.components import SERVICES
from scripts.token import id_token

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / ".fuzz"

# The checks that do not apply, and why; every other built-in check runs.
EXCLUDED_CHECKS = {
    # Valid per schema yet refused by rules a schema cannot state: a product and color once per
    # basket, orderDate not with from/to, blank strings (values are trimmed), e-mail domains
    # that cannot receive mail. Those answers are 400s that name the field.
    "positive_data_acceptance": "rules beyond the schema",
    # API Gateway (REST) answers an undeclared method with 403 Missing Authentication Token;
    # a 405 would need an ANY method on every resource.
    "unsupported_method": "API Gateway answers 403",
}


TOKEN_VARIABLE = "SHOP_FUZZ_TOKEN"


@functools.cache
def admin_token(aws_endpoint: str) -> str:
    """An administrator's ID token: every operation lets an administrator in, so that what a
    case sends, not who sends it, decides the answer."""
    return id_token(aws_endpoint, "fuzz-admin", admin=True)


@schemathesis.auth()
class AdminToken:
    """Signs every case in with $SHOP_FUZZ_TOKEN, except a negative case that leaves the token out
    on purpose (schemathesis then expects, and gets, the authorizer's 401)."""

    def get(self, case, context) -> str | None:
        return os.environ.get(TOKEN_VARIABLE)

    def set(self, case, data: str, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": data}


def _class_names() -> set[str]:
    """Compound class names of the services' code (BasketItem, ProductRepository...): no answer names them."""
    names = set()
    for source in (ROOT / "services").glob("*/*/*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ClassDef) and re.fullmatch(r"(?:[A-Z][a-z0-9]+){2,}", node.name):
                names.add(node.name)
    return names


# What a body must not show: a stack trace, file paths, Python reprs, module, class and exception
# names, and AWS resource names.
LEAKS = re.compile(
    "|".join(
        [
            r"Traceback",
            r'File "',
            r"\bline \d+, in\b",
            r"\.py\b",
            r"/var/task|/opt/python|site-packages",
            r"<class |<function | object at 0x",
            r"\b(?:Decimal|datetime)\(",
            r"\b[A-Z]\w*(?:Error|Exception)\b",
            r"\b(?:pydantic|botocore|boto3|aws_lambda_powertools|shop_common)\b",
            r"\bsys\.\w+|utf-8-sig|int_max_str_digits",  # Python's hints (a setting, a codec)
            r"\b(?:product|basket|order)\.(?:handler|models|repository|catalogue|checkout|publisher|orders"
            r"|events|event_bus|stream|replica|replica_consumer|product_events|baskets)\b",
            r"\barn:aws:|shop-local-",
            r"\b(?:" + "|".join(sorted(_class_names())) + r")\b",
        ]
    )
)


def leaked(text: str) -> str | None:
    found = LEAKS.search(text)
    return found.group(0) if found else None


@schemathesis.check
def no_internals(ctx, response, case) -> bool | None:
    """No error shows a stack trace, a file path or an internal name. (A 2xx body holds what
    clients stored, which may be anything.)"""
    found = leaked(response.text or "") if response.status_code >= 400 else None
    if found:
        raise AssertionError(f"The body shows {found!r}: {(response.text or '')[:300]}")
    return None


def run(service: str, api: str, aws: str, max_examples: int, seed: int | None) -> int:
    """One `schemathesis run` of a service's document against the API; its exit status."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        str(ROOT / "services" / service / "openapi.yaml"),
        f"--url={api}",
        "--checks=all",
        f"--exclude-checks={','.join(EXCLUDED_CHECKS)}",
        "--mode=all",
        f"--max-examples={max_examples}",
        "--workers=1",  # with 2, CPython 3.11 failed: "AST constructor recursion depth mismatch"
        "--report=junit,ndjson",
        f"--report-dir={REPORTS / service}",
        *([f"--seed={seed}"] if seed is not None else []),
    ]
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "scripts.fuzz",  # AdminToken and the no_internals check
        "PYTHONPATH": str(ROOT),
        TOKEN_VARIABLE: admin_token(aws),
    }
    return subprocess.run(command, cwd=ROOT, env=environment, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("services", nargs="*", metavar="SERVICE", help=f"one of {', '.join(SERVICES)}")
    parser.add_argument("--api", help="a running local cloud's URL (default: start one)")
    parser.add_argument("--aws", help="with --api: its embedded AWS endpoint (in its endpoints.json)")
    parser.add_argument("--max-examples", type=int, default=200, help="cases per operation and phase")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(argv)
    if unknown := set(args.services) - set(SERVICES):
        parser.error(f"unknown services: {', '.join(sorted(unknown))}")
    if (args.api is None) != (args.aws is None):
        parser.error("--api and --aws go together")
    cloud = None
    if args.api is None:
        from scripts.localcloud import process

        state = Path(tempfile.mkdtemp(prefix="fuzz-"))
        print(f"Starting a local cloud (logs in {state}/logs)...", flush=True)
        cloud = process.start(state)
    try:
        failed = [
            s
            for s in args.services or SERVICES
            if run(s, args.api or cloud.api, args.aws or cloud.aws, args.max_examples, args.seed)
        ]
    finally:
        if cloud is not None:
            cloud.stop()
    print(f"\nfuzzed {', '.join(args.services or SERVICES)}; failed: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
