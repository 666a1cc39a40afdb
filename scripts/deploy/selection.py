"""What `make test-component COMPONENT=...` runs: one component's tests, as its pipeline runs them.

A service's own unit and contract tests and the shared code's (tests/<service>, tests/common,
the OpenAPI documents), and for every component its Terraform (every root planned for every
environment, every module's `terraform test`, the policies as Terraform renders them), the event
contracts' compatibility with their released versions, and the delivery code. The whole system
over HTTP (tests/e2e), the fault matrix and the local cloud's own tests run in `make test` on every
change to main; the pipeline's smoke test runs the end-to-end path against the deployed stage.

    python -m scripts.deploy.selection COMPONENT    # prints the pytest arguments
"""

import sys

from scripts.deploy.components import SERVICES, components

EVERY_COMPONENT = ["tests/terraform", "tests/test_contract_compatibility.py", "tests/deploy"]
SERVICE = ["tests/common", "tests/test_openapi.py"]


def test_paths(component: str) -> list[str]:
    if component not in components():
        raise SystemExit(f"COMPONENT={component!r} is not one of {', '.join(components())}")
    own = [f"tests/{component}", *SERVICE] if component in SERVICES else []
    return [*own, *EVERY_COMPONENT]


if __name__ == "__main__":
    print(" ".join(test_paths(sys.argv[1])))
